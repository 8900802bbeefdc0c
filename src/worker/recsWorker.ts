// The worker that owns tfjs and the models. It loads the store's data, fits the
// baselines, and answers ranking requests — newest request per channel only.
import { buildCatalogIndex } from '../recs/catalogIndex';
import { StoreRanker } from '../recs/storeRanker';
import type { Game } from '../data/types';
import { decodeCommunity, recentCounts, toInteractionMatrix } from '../ml/communityData';
import { startBackend, webgpuDeviceLost } from './backend';
import type { BackendName, BackendPreference, WorkerCommand, WorkerStatus } from './protocol';

type RankCommand = Extract<WorkerCommand, { type: 'rank' }>;

const post = (status: WorkerStatus) => self.postMessage(status);
let ranker: StoreRanker | null = null;
const pending = new Map<string, RankCommand>();
let drainScheduled = false;

async function loadStore(dataBaseUrl: string): Promise<{ ranker: StoreRanker; users: number; ms: number }> {
  post({ type: 'loading', stage: 'Loading the catalog and community data' });
  const [catalogResponse, communityResponse] = await Promise.all([
    fetch(new URL('catalog.json', dataBaseUrl)),
    fetch(new URL('community.bin', dataBaseUrl)),
  ]);
  if (!catalogResponse.ok || !communityResponse.ok) {
    throw new Error(
      `could not load the store's data (HTTP ${catalogResponse.status}/${communityResponse.status})`,
    );
  }
  const { games } = (await catalogResponse.json()) as { games: Game[] };
  const community = decodeCommunity(await communityResponse.arrayBuffer());
  post({ type: 'loading', stage: 'Learning which games go together' });
  const started = performance.now();
  const store = new StoreRanker({
    index: buildCatalogIndex(games),
    community: toInteractionMatrix(community),
    recentCounts: recentCounts(community),
  });
  await store.fit();
  return { ranker: store, users: community.userCount, ms: performance.now() - started };
}

async function watchDeviceLoss(preference: BackendPreference, excluded: BackendName[]): Promise<void> {
  const lost = webgpuDeviceLost();
  if (!lost) return;
  const message = await lost;
  const report = await startBackend(preference, [...excluded, 'webgpu']);
  report.reason = `The GPU device was lost (${message}); switched to ${report.active}. ${report.reason}`;
  post({ type: 'backend', backend: report });
}

async function init(command: Extract<WorkerCommand, { type: 'init' }>): Promise<void> {
  post({ type: 'loading', stage: 'Starting the compute backend' });
  const [backend, store] = await Promise.all([startBackend(command.backend), loadStore(command.dataBaseUrl)]);
  ranker = store.ranker;
  void watchDeviceLoss(command.backend, []);
  post({
    type: 'ready',
    backend,
    itemCount: store.ranker.knn.itemCount,
    communityUsers: store.users,
    modelMs: store.ms,
  });
  drain();
}

function drain(): void {
  drainScheduled = false;
  if (!ranker) return;
  for (const [channel, command] of pending) {
    pending.delete(channel);
    const started = performance.now();
    const rows = ranker.rankRows(command.rows, command.signals, command.diversity);
    post({ type: 'ranked', id: command.id, channel, rows, ms: performance.now() - started });
  }
}

self.onmessage = (message: MessageEvent<WorkerCommand>) => {
  const command = message.data;
  if (command.type === 'init') {
    init(command).catch((error: unknown) =>
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
    return;
  }
  // Latest request wins: a newer request on the same channel replaces the queued one,
  // and the queue is drained on the next task so a burst collapses into one ranking.
  pending.set(command.channel, command);
  if (!drainScheduled) {
    drainScheduled = true;
    setTimeout(drain, 0);
  }
};

// The store's worker. It loads the store's data, fits the baselines, answers ranking requests —
// newest request per channel only — and then, in the background, trains (or loads) the learned
// models and switches "For you" to the hybrid blend. The training steps themselves run in a
// trainer worker of its own (worker/trainer/), so a ranking never waits for one.
// first: no other module of this worker runs before the network guard is in place
import './guard/installGuard';
import { buildCatalogIndex, type CatalogIndex } from '../recs/catalogIndex';
import { StoreRanker } from '../recs/storeRanker';
import { getDb } from '../data/db';
import { completeTraining, getCheckpoint, getModel, putCheckpoint } from '../data/models';
import { eventsAfterId } from '../data/events';
import { getProfileEdits, putProfileWithEdits, putShopperProfile } from '../data/profile';
import { communityPurchaseDistributions, profileCatalog } from '../recs/profile';
import { decodeCommunity, recentCounts, toInteractionMatrix } from '../ml/communityData';
import { ContentHasher } from '../ml/io/hash';
import { startBackend, webgpuDeviceLost } from './backend/start';
import type { BackendName, BackendPreference } from '../data/records';
import type { BackendReport } from './backend/types';
import type { StoreCommand, StoreStatus, StoreTrainingMode } from './store/protocol';
import { fetchStoreFiles } from './storeFiles';
import { holdOutLastItems, type HeldOutSplit } from './store/heldOut';
import type { ModelRepository } from './store/orchestrator';
import { ProfileKeeper, type ProfileStore } from './store/profileKeeper';
import { storeTrainingPlans, type StoreTrainingPlan } from './store/plan';
import { learnStoreModels } from './store/storeLearning';
import { TrainerDeviceLostError, workerTrainer, type TrainerPort } from './trainer/trainerClient';

type RankCommand = Extract<StoreCommand, { type: 'rank' }>;
type ProfileCommand = Extract<StoreCommand, { type: 'profileSync' | 'profileEdits' | 'profileErased' }>;

const post = (status: StoreStatus) => self.postMessage(status);
let ranker: StoreRanker | null = null;
const pending = new Map<string, RankCommand>();
let drainScheduled = false;

interface LoadedStore {
  ranker: StoreRanker;
  profile: ProfileKeeper;
  index: CatalogIndex;
  /** baselines and learned models train on this (held-out players' last games removed) */
  split: HeldOutSplit;
  users: number;
  dataHash: string;
  ms: number;
}

async function loadStore(dataBaseUrl: string, plan: StoreTrainingPlan | null): Promise<LoadedStore> {
  post({ type: 'loading', stage: 'Loading the catalog and community data' });
  const { games, communityBytes } = await fetchStoreFiles(dataBaseUrl);
  const community = decodeCommunity(communityBytes);
  post({ type: 'loading', stage: 'Learning which games go together' });
  const started = performance.now();
  const index = buildCatalogIndex(games);
  // Every model, baselines included, trains without the held-out games, so the blend and the
  // model cards are measured on behaviour none of them saw (a few hundred of 180k entries).
  const split = holdOutLastItems(toInteractionMatrix(community), plan?.heldOutPlayers ?? 0, plan?.seed ?? 0);
  const store = new StoreRanker({ index, community: split.train, recentCounts: recentCounts(community) });
  await store.fit();
  return {
    ranker: store,
    profile: new ProfileKeeper({
      catalog: profileCatalog(games),
      community: communityPurchaseDistributions(
        community,
        Float64Array.from(games, (game) => game.price ?? 0),
      ),
      store: databaseProfileStore(),
      publish: (profile) => post({ type: 'profile', profile }),
    }),
    index,
    split,
    users: community.userCount,
    dataHash: new ContentHasher().updateBytes(new Uint8Array(communityBytes)).digest(),
    ms: performance.now() - started,
  };
}

const databaseRepository = (): ModelRepository => {
  const db = getDb();
  return {
    getModel: (name) => getModel(db, name),
    getCheckpoint: (name) => getCheckpoint(db, name),
    putCheckpoint: (checkpoint) => putCheckpoint(db, checkpoint),
    completeTraining: (model) => completeTraining(db, model),
  };
};

const databaseProfileStore = (): ProfileStore => {
  const db = getDb();
  return {
    allEvents: () => db.events.orderBy('id').toArray(),
    eventsAfter: (id) => eventsAfterId(db, id),
    getEdits: () => getProfileEdits(db),
    putProfile: (profile) => putShopperProfile(db, profile),
    putProfileWithEdits: (profile, edits) => putProfileWithEdits(db, profile, edits),
  };
};

/** Profile commands that arrive before the store is loaded wait here, in order. */
let profileKeeper: ProfileKeeper | null = null;
const waitingProfileCommands: ProfileCommand[] = [];

function handleProfile(command: ProfileCommand): void {
  if (!profileKeeper) {
    waitingProfileCommands.push(command);
    return;
  }
  const done =
    command.type === 'profileEdits'
      ? profileKeeper.setEdits(command.edits)
      : command.type === 'profileErased'
        ? profileKeeper.forget()
        : command.rebuild
          ? profileKeeper.rebuild()
          : profileKeeper.sync();
  done.catch((error: unknown) =>
    post({
      type: 'error',
      message: `The profile could not be updated: ${error instanceof Error ? error.message : String(error)}`,
    }),
  );
}

let activeBackend: BackendReport | null = null;
let learningRun: { abort: AbortController; done: Promise<void> } | null = null;

const spawnTrainer = (): TrainerPort =>
  new Worker(new URL('./trainer/trainerWorker.ts', import.meta.url), {
    type: 'module',
    name: 'aisle-trainer',
  }) as unknown as TrainerPort;

// each job gets a fresh trainer on the backend active now (a new one after a lost GPU device)
const trainer = workerTrainer(spawnTrainer, () => activeBackend?.active ?? 'cpu');

/**
 * Set by init: leave WebGPU after a lost device (ours or the trainer's) and restart learning;
 * `cause` says which device was lost and why, as the start of a sentence.
 */
let onDeviceLost: ((cause: string) => void) | null = null;

function startLearning(store: LoadedStore, plan: StoreTrainingPlan): void {
  const abort = new AbortController();
  // a quick plan trains on a sample of players; the baselines keep the whole community
  const split =
    plan.maxUsers === undefined
      ? store.split
      : {
          ...store.split,
          train: holdOutLastItems(store.split.train, 0, plan.seed, { maxUsers: plan.maxUsers }).train,
        };
  const done = learnStoreModels({
    index: store.index,
    split,
    ranker: store.ranker,
    dataHash: store.dataHash,
    plan,
    repository: databaseRepository(),
    backend: () => activeBackend?.active ?? 'unknown',
    signal: abort.signal,
    post,
    train: trainer,
  }).catch((error: unknown) => {
    if (abort.signal.aborted) return; // stopped on purpose (a lost GPU device): a new run follows
    if (error instanceof TrainerDeviceLostError && onDeviceLost) {
      // not awaited: it waits for this run's end, which is this handler's return
      onDeviceLost(error.message);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    post({
      type: 'learning',
      phase: 'failed',
      message: `Learning stopped: ${message}. The store keeps recommending with its baseline models.`,
    });
  });
  learningRun = { abort, done };
}

function deviceLossHandler(
  preference: BackendPreference,
  excluded: BackendName[],
  restartLearning: () => void,
): (cause: string) => void {
  let handled = false;
  return (cause) => {
    if (handled) return;
    handled = true;
    leaveWebgpu(cause, preference, excluded, restartLearning).catch((error: unknown) =>
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
  };
}

async function leaveWebgpu(
  cause: string,
  preference: BackendPreference,
  excluded: BackendName[],
  restartLearning: () => void,
): Promise<void> {
  // stop training on the dead device first (its trainer is terminated); the new run resumes from
  // the last checkpoint, in a new trainer on the new backend
  learningRun?.abort.abort(new Error('the GPU device was lost'));
  await learningRun?.done;
  const report = await startBackend(preference, [...excluded, 'webgpu']);
  report.reason = `${cause}; switched to ${report.active}. ${report.reason}`;
  activeBackend = report;
  post({ type: 'backend', backend: report });
  restartLearning();
}

async function init(command: Extract<StoreCommand, { type: 'init' }>): Promise<void> {
  const mode: StoreTrainingMode = command.training ?? 'full';
  const plan = mode === 'off' ? null : storeTrainingPlans[mode];
  post({ type: 'loading', stage: 'Starting the compute backend' });
  // One after the other: 'auto' races the backends on a timed warm-up, and the store's
  // synchronous decoding and fitting running alongside would be counted against whichever
  // backend happened to be measured then.
  const backend = await startBackend(command.backend);
  const store = await loadStore(command.dataBaseUrl, plan);
  activeBackend = backend;
  ranker = store.ranker;
  ranker.warmUp();
  profileKeeper = store.profile;
  // the events at start are read whole: what arrived since is above the high-water mark
  handleProfile({ type: 'profileSync', rebuild: true });
  for (const waiting of waitingProfileCommands.splice(0)) handleProfile(waiting);
  post({
    type: 'ready',
    backend,
    itemCount: store.ranker.knn.itemCount,
    communityUsers: store.users,
    modelMs: store.ms,
  });
  drain();
  if (!plan) {
    post({
      type: 'learning',
      phase: 'off',
      message: 'Learned models are switched off; the baselines serve.',
    });
    return;
  }
  const restart = () => startLearning(store, plan);
  onDeviceLost = deviceLossHandler(command.backend, [], restart);
  const handler = onDeviceLost;
  void webgpuDeviceLost()?.then((message) => handler(`The GPU device was lost (${message})`));
  restart();
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

self.onmessage = (message: MessageEvent<StoreCommand>) => {
  const command = message.data;
  if (command.type === 'init') {
    init(command).catch((error: unknown) =>
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
    return;
  }
  if (command.type === 'vaultKey') {
    getDb()
      .vault.useKey(command.key)
      .catch((error: unknown) =>
        post({
          type: 'error',
          message: `Your encrypted data could not be read: ${error instanceof Error ? error.message : String(error)}`,
        }),
      );
    return;
  }
  if (command.type === 'profileSync' || command.type === 'profileEdits' || command.type === 'profileErased') {
    handleProfile(command);
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

// The store's worker. It loads the store's data, fits the baselines and answers ranking
// requests (newest request per channel only) at once, in plain JavaScript; only after the first
// rows are posted does it import tfjs (./store/backgroundLearning, a separate chunk), start a
// backend and, in the background, train (or load) the learned models and switch "For you" to the
// hybrid blend. The training steps run in a trainer worker of their own (worker/trainer/), so a
// ranking never waits for one.
// first: no other module of this worker runs before the network guard is in place
import './guard/installGuard';
import { buildCatalogIndex, type CatalogIndex } from '../recs/catalogIndex';
import type { StoreRanker } from '../recs/storeRanker';
import { getDb } from '../data/db';
import { eventsAfterId } from '../data/events';
import { allStoredEvents } from '../data/storedEvents';
import { getProfileEdits, putProfileWithEdits, putShopperProfile } from '../data/profile';
import { replaceStandingOffers, unreplacedOffers } from '../data/offers';
import type { Game } from '../data/types';
import type { BackendPreference } from '../data/records';
import { getCachedNeighbours, putCachedNeighbours } from '../data/settings';
import type { ModelSnapshot } from '../ml/recommender';
import { communityPurchaseDistributions, profileCatalog } from '../recs/profile';
import { decodeCommunity } from '../ml/communityData';
import type { StoreCommand, StoreStatus, StoreTrainingMode } from './store/protocol';
import { fetchStoreFiles } from './storeFiles';
import type { HeldOutSplit } from './store/heldOut';
import {
  communityHash,
  neighboursFileName,
  neighboursFingerprint,
  preparedNeighbours,
  storeSplit,
} from './store/storeNeighbours';
import { ProfileKeeper, type ProfileStore } from './store/profileKeeper';
import { OfferKeeper, type OfferStore } from './store/offerKeeper';
import { OfferRequests } from './store/offerRequests';
import { profileTargets, type ProfileTargets } from './store/profileTargets';
import { storeTrainingPlans, type StoreTrainingPlan } from './store/plan';
import { absoluteNow, startupMarker } from './store/startupMarks';
import { answerRequest, newStoreRanker } from './store/storeRanking';
import { FirstClickWarmUp } from './store/firstClickWarmUp';

type RankCommand = Extract<StoreCommand, { type: 'rank' }>;
type ProfileCommand = Extract<StoreCommand, { type: 'profileSync' | 'profileEdits' | 'profileErased' }>;
type ModelImportCommand = Extract<StoreCommand, { type: 'importModel' | 'useStoreModel' }>;

const post = (status: StoreStatus) => self.postMessage(status);
const mark = startupMarker(post);
mark('worker-started');
let ranker: StoreRanker | null = null;
/** the catalog as parsed here, for the games sent with rows to a page that has none yet */
let storeGames: readonly Game[] = [];
/** the newest request per channel, with when it arrived (the round trip's hops, docs/benchmarks.md) */
const pending = new Map<string, { command: RankCommand; receivedAt: number }>();
let drainScheduled = false;
/** ranks as the first click will, once the page says its first rows are painted */
const firstClick = new FirstClickWarmUp(() => mark('first-click-warmed'));
/**
 * Resolves when the backend start is over (chosen, or failed): its race allocates enough for the
 * engine to drop what a warm-up before it had compiled (a first click still ranked 20+ ms after one).
 */
let backendStartOver: () => void = () => undefined;
const afterBackendStart = new Promise<void>((resolve) => (backendStartOver = resolve));

interface LoadedStore {
  games: Game[];
  ranker: StoreRanker;
  profile: ProfileKeeper;
  index: CatalogIndex;
  /** baselines and learned models train on this (held-out players' last games removed) */
  split: HeldOutSplit;
  /** what the profile encoder's heads predict of each game */
  targets: ProfileTargets;
  /** each game's Steam app id, in catalog order (an imported model's ids meet these) */
  catalogIds: readonly string[];
  users: number;
  /** identifies the community data for the stored models */
  dataHash: () => string;
  ms: number;
  /** keep the neighbour table fitted in this visit for the next one (nothing when it was read from there) */
  cacheNeighbours: () => Promise<void>;
}

async function loadStore(
  dataBaseUrl: string,
  mode: StoreTrainingMode,
  plan: StoreTrainingPlan | null,
): Promise<LoadedStore> {
  post({ type: 'loading', stage: 'Loading the catalog and community data' });
  const { games, communityBytes, neighbours } = await fetchStoreFiles(
    dataBaseUrl,
    mark,
    neighboursFileName(mode),
  );
  const community = decodeCommunity(communityBytes);
  mark('community-decoded');
  const started = performance.now();
  const index = buildCatalogIndex(games);
  mark('index-built');
  const split = storeSplit(community, plan);
  const store = newStoreRanker(index, community, split);
  const dataHash = communityHash(communityBytes);
  const fingerprint = neighboursFingerprint(dataHash, plan, store.knn.config);
  const table = await preparedNeighbours(neighbours, fingerprint, {
    readCache: readCachedNeighbours,
    warn: (message) => console.warn(`Aisle: ${message}`),
  });
  mark('neighbours-read');
  if (!table.snapshot) post({ type: 'loading', stage: 'Learning which games go together' });
  await store.fit(table.snapshot ?? undefined);
  mark('ranker-fitted');
  return {
    games,
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
    targets: profileTargets(games),
    catalogIds: games.map((game) => game.appId),
    users: community.userCount,
    dataHash: () => dataHash,
    ms: performance.now() - started,
    // a table fitted now is kept for the next visit (after the first rows: it is a write of ~1 MB)
    cacheNeighbours: table.snapshot
      ? () => Promise.resolve()
      : () => writeCachedNeighbours(fingerprint, store.knn.save()),
  };
}

/** The last visit's kNN table, or null (none, another fingerprint, or no storage here). */
async function readCachedNeighbours(fingerprint: string): Promise<ModelSnapshot | null> {
  try {
    return await getCachedNeighbours(getDb(), fingerprint);
  } catch {
    return null;
  }
}

/** A cache: a failed write (quota, no storage) only means the next visit fits the table again. */
async function writeCachedNeighbours(fingerprint: string, snapshot: ModelSnapshot): Promise<void> {
  await putCachedNeighbours(getDb(), fingerprint, snapshot).catch(() => undefined);
}

const databaseProfileStore = (): ProfileStore => {
  const db = getDb();
  return {
    allEvents: () => allStoredEvents(db, 'id'),
    eventsAfter: (id) => eventsAfterId(db, id),
    getEdits: () => getProfileEdits(db),
    putProfile: (profile) => putShopperProfile(db, profile),
    putProfileWithEdits: (profile, edits) => putProfileWithEdits(db, profile, edits),
  };
};

const databaseOfferStore = (): OfferStore => {
  const db = getDb();
  return {
    unreplaced: () => unreplacedOffers(db),
    replace: (offers, now) => replaceStandingOffers(db, offers, now),
  };
};

/** offers requests: the newest is answered once the store is loaded (store/offerRequests.ts) */
const offerRequests = new OfferRequests(post);

/** Profile commands that arrive before the store is loaded wait here, in order. */
let profileKeeper: ProfileKeeper | null = null;
const waitingProfileCommands: ProfileCommand[] = [];

function handleProfile(command: ProfileCommand): void {
  if (!profileKeeper) {
    waitingProfileCommands.push(command);
    return;
  }
  if (command.type === 'profileErased') offerRequests.forget();
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

/** The backend preference, once the page has read the shopper's settings ('learn'). */
let resolvePreference: (preference: BackendPreference) => void = () => undefined;
const backendPreference = new Promise<BackendPreference>((resolve) => (resolvePreference = resolve));

/** Lets the page render the rows just posted before the next long task in this worker. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/** the loaded store's catalog ids while learning can use an imported model; null before, or with learning off */
let importTarget: { catalogIds: readonly string[] } | null = null;
/** one import or undo at a time, in the order asked */
let modelImports: Promise<void> = Promise.resolve();

function handleModelImport(command: ModelImportCommand): void {
  modelImports = modelImports.then(() => answerModelImport(command));
}

/** Loaded on demand with the model readers: no part of the store's first rows. */
async function answerModelImport(command: ModelImportCommand): Promise<void> {
  const reply = (ok: boolean, message: string) => post({ type: 'modelImport', id: command.id, ok, message });
  if (!importTarget) {
    reply(false, 'The store is still loading, or its learned models are switched off here; nothing changed.');
    return;
  }
  const imports = await import('./store/modelImport');
  const store = imports.databaseImportedModelStore(getDb());
  try {
    if (command.type === 'useStoreModel') {
      await imports.forgetImportedModel(store);
      // the deleted factors serve no ranking: the baselines do until the blend is fitted again
      ranker?.useLearned(null);
      post({ type: 'importedModel', view: null });
      reply(true, "The store's own MF is back; the blend is fitted again around it.");
    } else {
      const prepared = await imports.importCommunityModel(command.files, importTarget.catalogIds, store);
      const { importedModelView } = await import('./store/importedCommunityModel');
      post({ type: 'importedModel', view: importedModelView(prepared.record, prepared.aligned, null) });
      reply(
        true,
        `Imported ${prepared.record.source}: ${prepared.summary} Its held-out figures are measured below.`,
      );
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const what = command.type === 'importModel' ? 'The model was not imported' : 'Nothing changed';
    reply(false, `${what}: ${message.replace(/\.$/, '')}. Nothing stored was changed.`);
    return;
  }
  const { learnAgain } = await import('./store/backgroundLearning');
  await learnAgain();
}

async function init(command: Extract<StoreCommand, { type: 'init' }>): Promise<void> {
  const mode: StoreTrainingMode = command.training ?? 'full';
  const plan = mode === 'off' ? null : storeTrainingPlans[mode];
  const store = await loadStore(command.dataBaseUrl, mode, plan);
  ranker = store.ranker;
  if (plan) importTarget = { catalogIds: store.catalogIds };
  storeGames = store.games;
  post({
    type: 'ready',
    itemCount: store.ranker.knn.itemCount,
    communityUsers: store.users,
    modelMs: store.ms,
  });
  // the first rows first: everything below can wait for them
  drain();
  await nextTask();
  ranker.warmUp();
  await store.cacheNeighbours();
  profileKeeper = store.profile;
  const storeRanker = store.ranker;
  const offerKeeper = new OfferKeeper({
    catalog: store.games,
    sources: {
      // a click's rows waiting to be ranked go first: the shopper is looking at them, offers can wait
      forYou: (signals, k, diversity) => {
        if (pending.size > 0) drain();
        return storeRanker.rank('forYou', signals, k, diversity);
      },
      neighboursOf: (item) => storeRanker.knn.neighboursOf(item),
    },
    store: databaseOfferStore(),
  });
  offerRequests.useKeeper(offerKeeper);
  // the events at start are read whole: what arrived since is above the high-water mark
  handleProfile({ type: 'profileSync', rebuild: true });
  for (const waiting of waitingProfileCommands.splice(0)) handleProfile(waiting);
  offerRequests.answerWaiting();
  const preference = await backendPreference;
  post({ type: 'loading', stage: 'Starting the compute backend' });
  const { startBackendAndLearning } = await import('./store/backgroundLearning');
  mark('tfjs-loaded');
  try {
    await startBackendAndLearning(store, plan, preference, post, command.fault);
  } finally {
    backendStartOver();
  }
  mark('backend-chosen');
}

/** Loaded on the first request: the federated maths is no part of the store's first rows. */
async function answerCommunityUpdate({
  id,
  history,
}: Extract<StoreCommand, { type: 'communityUpdate' }>): Promise<void> {
  if (!ranker) {
    post({
      type: 'communityUpdate',
      id,
      update: null,
      problem: 'The store is still loading; try again in a moment.',
    });
    return;
  }
  try {
    const { computeCommunityUpdate } = await import('./store/communityUpdate');
    post({
      type: 'communityUpdate',
      id,
      update: computeCommunityUpdate(history, storeGames, ranker.learnedModels, new Date()),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    post({
      type: 'communityUpdate',
      id,
      update: null,
      problem: `The update could not be computed: ${reason}`,
    });
  }
}

function drain(): void {
  drainScheduled = false;
  if (!ranker) return;
  for (const [channel, { command, receivedAt }] of pending) {
    pending.delete(channel);
    const started = performance.now();
    const { rows, games } = answerRequest(ranker, command, command.withGames ? storeGames : undefined);
    const ms = performance.now() - started;
    post({ type: 'ranked', id: command.id, channel, rows, ms, receivedAt, postedAt: absoluteNow(), games });
    if (channel !== 'home') continue;
    mark('first-rows-posted');
    firstClick.answered(command, rows);
  }
}

self.onmessage = (message: MessageEvent<StoreCommand>) => {
  const command = message.data;
  if (command.type === 'init') {
    mark('init-received');
    init(command).catch((error: unknown) =>
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
    return;
  }
  if (command.type === 'learn') {
    resolvePreference(command.backend);
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
  if (command.type === 'offers') {
    offerRequests.handle(command);
    return;
  }
  if (command.type === 'warmFirstClick') {
    void afterBackendStart.then(() => (ranker ? firstClick.run(ranker, () => pending.size > 0) : undefined));
    return;
  }
  if (command.type === 'communityUpdate') {
    void answerCommunityUpdate(command);
    return;
  }
  if (command.type === 'importModel' || command.type === 'useStoreModel') {
    handleModelImport(command);
    return;
  }
  if (command.channel === 'home') mark('first-home-request');
  // Latest request wins: a newer request on the same channel replaces the queued one,
  // and the queue is drained on the next task so a burst collapses into one ranking.
  pending.set(command.channel, { command, receivedAt: absoluteNow() });
  if (!drainScheduled) {
    drainScheduled = true;
    setTimeout(drain, 0);
  }
};

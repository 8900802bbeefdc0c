// The page's only door to the recommendation worker. Components read $state here
// and never call postMessage; every request carries an id and only the newest
// reply per channel is kept.
import { untrack } from 'svelte';
import type { BackendPreference } from '../data/records';
import type { BackendReport } from '../worker/backend/types';
import { trainingFaultFromQuery } from '../worker/trainer/faultHook';
import type {
  HybridWeightsView,
  ImportedModelView,
  LearningPhase,
  RankedRow,
  RowRequest,
  StoreModelCard,
  StoreCommand,
  StoreStatus,
  StoreTrainingMode,
  StoreTrainingProgress,
} from '../worker/store/protocol';
import type { ShopperSignals } from '../recs/types';
import type { ProfileEdits } from '../data/profileTypes';
import { profileState } from './profileState.svelte';
import { markStartup } from './startupMarks';
import { catalog } from './catalog.svelte';
import type { ForYouQuality } from '../recs/forYouQuality';
import { offers } from './offers.svelte';
import { communityUpdate } from './communityUpdate.svelte';
import { getDb } from '../data/db';
import { shopper } from './shopper.svelte';
import { homeRequestKey, type HomeRequest } from '../worker/store/homeRequest';
import { rowGameIds } from '../worker/store/rowGames';
import { browserPaintEnvironment, HomePaint, type PaintChoice } from './firstPaint/homePaint';
import type { PaintSource } from './firstPaint/paintSources';
import { trainingModeOfSearch } from './firstPaint/earlyMarkup';
import { mergeRows } from './rowsMerge';
import { onceIdleInView } from './offPath';

export class RecsClient {
  backend = $state<BackendReport | null>(null);
  stage = $state('Starting');
  ready = $state(false);
  /** games in the store's catalog, from the worker (before the page's catalog is loaded) */
  itemCount = $state<number | null>(null);
  error = $state<string | null>(null);
  rankMs = $state<number | null>(null);
  /** raw: an answer replaces only the rows that changed (rowsMerge.ts), each row is never mutated */
  rows = $state.raw<Record<string, RankedRow[]>>({});
  /** what painted the home rows first: the build's rows, the last visit's, or the worker (null: none yet) */
  paintSource = $state<PaintSource | null>(null);
  /** the background learning of the learned models (null until the worker starts it) */
  learning = $state<{ phase: LearningPhase; message: string; progress?: StoreTrainingProgress } | null>(null);
  /** a non-fatal problem while learning (a checkpoint that could not be saved, a failure) */
  learningWarning = $state<string | null>(null);
  modelCards = $state<StoreModelCard[]>([]);
  hybridWeights = $state<HybridWeightsView | null>(null);
  /** "For you" measured as served beside each component, and what serves it (null until measured) */
  forYouQuality = $state<ForYouQuality | null>(null);
  /** the community model imported in place of the store's MF (null: the store's own MF serves) */
  importedModel = $state<ImportedModelView | null>(null);
  /** the latest import or undo: under way, or what came of it in words */
  modelImport = $state<{ busy: boolean; ok: boolean; message: string | null }>({
    busy: false,
    ok: true,
    message: null,
  });
  private worker: Worker;
  private nextId = 1;
  private latestId = new Map<string, number>();
  private readonly homePaint = new HomePaint(
    browserPaintEnvironment(
      trainingModeFromUrl(),
      () => getDb().vault.status === 'off' && !shopper.memoryOnly,
    ),
  );
  /** the newest home request: its key and signals, to keep its rows for the next visit */
  private homeRequest: {
    id: number;
    key: string;
    signals: HomeRequest['signals'];
    stateVersion: string | null;
  } | null = null;
  /** the key of the painted rows while they are up, until the worker's first home answer */
  private paintedKey: string | null = null;
  /** the worker was asked (or will be, when idle and in view) to rank as the first click will */
  private firstClickWarmAsked = false;

  /**
   * The worker starts loading and ranking at once; the tfjs backend (and the learning on it)
   * starts when start() passes the shopper's preference, after the first rows.
   */
  constructor(dataBaseUrl: string) {
    // first, before the worker competes for the CPU: rows from index.html or the last visit, when
    // the state version says they are this shopper's (firstPaint/), so the first render shows them
    this.paintEarly();
    markStartup('worker-created');
    this.worker = new Worker(new URL('../worker/recsWorker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (message: MessageEvent<StoreStatus>) => this.receive(message.data);
    this.worker.onerror = (event) => {
      this.error = `The recommendation worker failed: ${event.message || 'unknown error'}`;
    };
    const fault = trainingFaultFromQuery(location.search);
    this.post({ type: 'init', dataBaseUrl, training: trainingModeFromUrl(), ...(fault ? { fault } : {}) });
  }

  /**
   * Before the shopper's storage is read: the build's rows while nothing that changes a row was
   * ever stored, or the last visit's while the state version is still theirs. Should the first
   * real request's key differ (a shopper stored before versions were kept), it takes them down.
   */
  private paintEarly(): void {
    const painted = this.homePaint.paintEarly();
    if (painted) this.showPainted(painted);
  }

  start(preference: BackendPreference): void {
    this.post({ type: 'learn', backend: preference });
  }

  private post(command: StoreCommand): void {
    this.worker.postMessage(command);
  }

  /**
   * Posts a command on the click's path. Its values are plain already (the shopper's signals are a
   * derived plain object), and postMessage copies them anyway: $state.snapshot would copy them
   * first, one structuredClone call per number of a long history. Only a $state proxy that
   * slipped in (which the browser refuses to clone, changing nothing) is posted as a snapshot.
   */
  private postPlain(command: StoreCommand): void {
    try {
      this.worker.postMessage(command);
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'DataCloneError')) throw error;
      this.worker.postMessage($state.snapshot(command));
    }
  }

  /** Stored events changed: fold in the new ones, or rebuild after a deletion or import. */
  syncProfile(rebuild: boolean): void {
    this.post({ type: 'profileSync', rebuild });
  }

  /** After "erase everything": the worker forgets the profile without touching the database. */
  forgetProfile(): void {
    this.post({ type: 'profileErased' });
  }

  /** The page unlocked (a key) or locked (null) the shopper's data: the worker reads with the same key. */
  sendVaultKey(key: CryptoKey | null): void {
    this.worker.postMessage({ type: 'vaultKey', key });
  }

  sendProfileEdits(edits: ProfileEdits): void {
    this.post({ type: 'profileEdits', edits: $state.snapshot(edits) });
  }

  /** Ask for the offers that stand for these signals (the shopper has offers on). */
  requestOffers(signals: ShopperSignals, diversity: number): void {
    const id = this.nextId++;
    this.latestId.set('offers', id);
    this.postPlain({ type: 'offers', id, signals, diversity });
  }

  /** Ask for the shopper's shareable community update from these history items; returns the request id. */
  requestCommunityUpdate(history: readonly number[]): number {
    const id = this.nextId++;
    this.post({ type: 'communityUpdate', id, history: [...history] });
    return id;
  }

  /**
   * "Use a community model trained elsewhere": the picked files' bytes go to the worker, which
   * reads, aligns, stores and measures them; a refused file changes nothing.
   */
  async importModel(files: readonly File[]): Promise<void> {
    const id = this.nextId++;
    this.latestId.set('modelImport', id);
    this.modelImport = { busy: true, ok: true, message: 'Reading the model files…' };
    try {
      const named = await Promise.all(
        files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })),
      );
      // transferred, not copied: a model file can be tens of megabytes
      this.worker.postMessage(
        { type: 'importModel', id, files: named } satisfies StoreCommand,
        named.map((file) => file.bytes.buffer),
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.modelImport = { busy: false, ok: false, message: `The files could not be read: ${reason}` };
    }
  }

  /** "Use the store's own model": the imported factors are deleted in the worker. */
  useStoreModel(): void {
    const id = this.nextId++;
    this.latestId.set('modelImport', id);
    this.modelImport = { busy: true, ok: true, message: "Going back to the store's own model…" };
    this.post({ type: 'useStoreModel', id });
  }

  /**
   * The home page's rows. The first request is painted at once when the build's rows or the last
   * visit's answer it (firstPaint/paintSources.ts); the worker's answer then replaces them, which
   * changes nothing on screen when they are the same rows.
   */
  requestHome(plain: HomeRequest): void {
    // called from an effect: the rows and the paint source it reads and writes must not make it run again
    untrack(() => {
      const key = homeRequestKey(plain);
      this.homePaint.cancelKeep();
      if (this.paintSource === null) this.paintFirst(key);
      // the shopper acted before the worker answered: painted rows of another state are taken
      // down (placeholders) rather than left up until the worker can rank
      else if (this.paintedKey !== null && this.paintedKey !== key) {
        this.rows = { ...this.rows, home: [] };
        this.paintedKey = null;
      }
      // posted first: the state version's first bump (a new shopper's first taste) is a
      // localStorage write, 6.6 ms in one profile of the first click, which the worker need not wait for
      const id = this.request('home', plain.signals, plain.rows, plain.diversity);
      const stateVersion = this.homePaint.stateVersionFor(key);
      this.homeRequest = { id, key, signals: plain.signals, stateVersion };
    });
  }

  private paintFirst(requestKey: string): void {
    const painted = this.homePaint.paint(requestKey);
    if (painted) this.showPainted(painted);
  }

  /** Rows painted before the worker's answer stay up while the requests have their key. */
  private showPainted(painted: PaintChoice): void {
    catalog.addShown(painted.games);
    this.rows = { ...this.rows, home: painted.rows };
    this.paintedKey = painted.requestKey;
    this.markPainted(painted.source);
  }

  private markPainted(source: PaintSource): void {
    this.paintSource = source;
    markStartup('rows-painted');
    markStartup(`paint-source-${source}`);
  }

  /** Ask for rows on a channel (one channel per place on the page); returns the request's id. */
  request(channel: string, signals: ShopperSignals, rows: RowRequest[], diversity: number): number {
    const id = this.nextId++;
    this.latestId.set(channel, id);
    this.postPlain({
      type: 'rank',
      id,
      channel,
      signals,
      rows,
      diversity,
      // untracked: a request made in an effect must not run again when the catalog arrives
      withGames: untrack(() => !catalog.loaded),
    });
    return id;
  }

  private receiveRows(channel: string, rows: RankedRow[]): void {
    const merged = mergeRows(this.rows[channel], rows);
    if (merged !== this.rows[channel]) this.rows = { ...this.rows, [channel]: merged };
    if (channel !== 'home') return;
    this.paintedKey = null;
    markStartup('rows-received');
    if (this.paintSource === null) this.markPainted('worker');
    this.warmFirstClickOnce();
    const request = this.homeRequest;
    if (!request || this.latestId.get('home') !== request.id) return;
    this.homePaint.keep({
      requestKey: request.key,
      stateVersion: request.stateVersion,
      rows,
      games: () => rowGameIds(rows, request.signals).flatMap((id) => catalog.game(id) ?? []),
    });
  }

  /**
   * The worker's first home rows are in: once they are painted and the page is idle and in view,
   * the worker ranks as a first feedback click will (worker/store/firstClickWarmUp.ts), so the
   * shopper's first click does not pay for what the first real ranking builds.
   */
  private warmFirstClickOnce(): void {
    if (this.firstClickWarmAsked) return;
    this.firstClickWarmAsked = true;
    onceIdleInView(() => this.post({ type: 'warmFirstClick' }));
  }

  private receive(status: StoreStatus): void {
    switch (status.type) {
      case 'loading':
        this.stage = status.stage;
        break;
      case 'ready':
        this.itemCount = status.itemCount;
        this.ready = true;
        this.stage = 'Ready';
        break;
      case 'backend':
        this.backend = status.backend;
        break;
      case 'ranked':
        if (this.latestId.get(status.channel) !== status.id) return; // a newer request is on its way
        // before the rows: their cards read these games while the catalog is not loaded
        if (status.games) catalog.addShown(status.games);
        this.receiveRows(status.channel, status.rows);
        this.rankMs = status.ms;
        break;
      case 'mark':
        markStartup(status.name, status.at - performance.timeOrigin);
        break;
      case 'error':
        this.error = status.message;
        break;
      case 'learning':
        // a 'training' status without progress is a note (a new stage, or a storage warning)
        if (status.phase === 'failed') this.learningWarning = status.message;
        if (status.warning) {
          this.learningWarning = status.message;
          return;
        }
        this.learning = {
          phase: status.phase,
          message: status.message,
          progress: status.progress ?? (status.phase === 'training' ? this.learning?.progress : undefined),
        };
        break;
      case 'models':
        this.modelCards = status.cards;
        this.hybridWeights = status.hybrid;
        this.forYouQuality = status.forYou;
        break;
      case 'profile':
        profileState.status = status.profile;
        break;
      case 'offers':
        if (this.latestId.get('offers') !== status.id) return; // a newer request is on its way
        offers.receive(status.offers, status.problem);
        break;
      case 'communityUpdate':
        communityUpdate.receive(status);
        break;
      case 'modelImport':
        if (this.latestId.get('modelImport') !== status.id) return; // a newer request is on its way
        this.modelImport = { busy: false, ok: status.ok, message: status.message };
        break;
      case 'importedModel':
        this.importedModel = status.view;
        break;
    }
  }

  dispose(): void {
    this.worker.terminate();
  }
}

/** `?train=quick` (tests, slow machines), `?train=tiny` (fault tests) or `?train=off`; anything else trains the full plan. */
export function trainingModeFromUrl(): StoreTrainingMode {
  return trainingModeOfSearch(location.search);
}

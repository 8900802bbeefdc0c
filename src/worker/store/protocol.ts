// The store worker's protocol (worker/recsWorker.ts ↔ ui/recsClient.svelte.ts). Commands go
// in, statuses come out. Every request carries an id; for each channel only the newest request
// is answered (the worker drops superseded ones, the client ignores stale replies), so a burst
// of shopper events costs one ranking, not many.
import type { ProfileEdits } from '../../data/profileTypes';
import type { BackendPreference } from '../../data/records';
import type { StoredOffer } from '../../data/offerTypes';
import type { EventKind, Game } from '../../data/types';
import type { ProfileView } from '../../recs/profile';
import type { PredictedInterest } from '../../recs/profile/predicted';
import type { HomeRowFeatures } from '../../recs/profile/rowFeatures';
import type { ForYouQuality } from '../../recs/forYouQuality';
import type { RowBlend } from '../../recs/storeRanker';
import type { RankedItem, RowKey, ShopperSignals } from '../../recs/types';
import type { BackendReport } from '../backend/types';
import type { TrainingFault } from '../trainer/faultHook';
import type { ContributionFile } from '../../ml/federated/shopperContribution';
import type { ConfidenceInterval } from '../../ml/eval/statistics';
import type { ModelFileFormat } from '../../ml/io/models/itemFactors';
import type { ModelFileDigest, NamedBytes } from '../../ml/io/models/readModel';
import type { RankerQuality } from '../../recs/forYouQuality';

export interface RowRequest {
  key: RowKey;
  k: number;
  /** the item a row is about ('becauseYouViewed', 'similar', 'alsoOwn') */
  item?: number;
}

/** What a ranking is asked for: whose signals, which rows, how much variety. */
export interface RankRequest {
  signals: ShopperSignals;
  rows: RowRequest[];
  diversity: number;
}

export type StoreCommand =
  /** Sent as the worker is created: load the data and answer rankings as soon as it can. */
  | {
      type: 'init';
      dataBaseUrl: string;
      /** how the learned models train in the background (default 'full'); see StoreTrainingMode */
      training?: StoreTrainingMode;
      /** a test hook from the page's URL (worker/trainer/faultHook.ts); absent in normal use */
      fault?: TrainingFault;
    }
  /**
   * Sent once the shopper's settings are read: which tfjs backend to start (and learn on) after
   * the first rows. 'auto' starts the one this device's last race picked, or races.
   */
  | { type: 'learn'; backend: BackendPreference }
  | (RankRequest & {
      type: 'rank';
      id: number;
      channel: string;
      /** the page has no catalog yet: send the games the rows show with them (store/rowGames.ts) */
      withGames?: boolean;
    })
  /**
   * Events changed in storage: `rebuild` false after new ones were stored (the worker folds
   * in those above its high-water mark), true after any were deleted, imported or expired.
   */
  | { type: 'profileSync'; rebuild: boolean }
  /**
   * Sent once, when the first home rows are painted and the page is idle and in view: rank the
   * home rows as a first feedback click would ask for them, and drop the rows (store/firstClickWarmUp.ts).
   */
  | { type: 'warmFirstClick' }
  /** Everything was erased: start from an empty profile without opening the database again. */
  | { type: 'profileErased' }
  /** The shopper edited the profile; the worker stores the edits and publishes the result. */
  | { type: 'profileEdits'; edits: ProfileEdits }
  /**
   * The offers that stand for these signals (made and stored when the offer profile changed).
   * Only the newest request is answered. The page sends none while the shopper has offers off.
   */
  | { type: 'offers'; id: number; signals: ShopperSignals; diversity: number }
  /**
   * The key that opens the shopper's encrypted records (data/encryption/), null once the page
   * locks. Sent before the profileSync that should read with it: messages keep their order.
   */
  | { type: 'vaultKey'; key: CryptoKey | null }
  /** The shopper's shareable update to the community item vectors from these history items (nothing is sent). */
  | { type: 'communityUpdate'; id: number; history: number[] }
  /**
   * Use a community model trained elsewhere (Spark ALS, implicit .npz, safetensors + manifest) in
   * place of the store's own MF: read, aligned to the catalog, stored, then learning runs again
   * with it. Answered by a 'modelImport' status; a refused file changes nothing.
   */
  | { type: 'importModel'; id: number; files: NamedBytes[] }
  /** Back to the store's own MF: the imported factors are deleted and learning runs again. */
  | { type: 'useStoreModel'; id: number };

export interface RankedRow {
  key: RowKey;
  item?: number;
  items: RankedItem[];
  /** "For you" only: whether the learned hybrid or the baseline blend ranked it */
  blend?: RowBlend;
}

export type StoreStatus =
  | { type: 'loading'; stage: string }
  /** rankings are answered from now on (the tfjs backend follows, in a 'backend' status) */
  | { type: 'ready'; itemCount: number; communityUsers: number; modelMs: number }
  | { type: 'backend'; backend: BackendReport }
  /** a start-up phase ended: `at` is absolute (ms since the epoch); the page marks it as `aisle:<name>` */
  | { type: 'mark'; name: string; at: number }
  | {
      type: 'ranked';
      id: number;
      channel: string;
      rows: RankedRow[];
      ms: number;
      /**
       * when the worker received the request and when it posted these rows (absoluteNow(): ms
       * since the epoch, comparable with the page's clock), so a round trip splits into its hops
       */
      receivedAt: number;
      postedAt: number;
      /** the games the rows show, when the request asked for them (withGames) */
      games?: Game[];
    }
  | { type: 'error'; id?: number; message: string }
  | {
      type: 'learning';
      phase: LearningPhase;
      message: string;
      progress?: StoreTrainingProgress;
      /** a problem that did not stop learning (e.g. a checkpoint the quota refused) */
      warning?: boolean;
    }
  | {
      type: 'models';
      cards: StoreModelCard[];
      hybrid: HybridWeightsView | null;
      /** "For you" measured as served beside each component and the baselines, and what serves; null until measured */
      forYou: ForYouQuality | null;
    }
  | { type: 'profile'; profile: ProfileStatus }
  /** the answer to an 'offers' request; `problem` says why they will not outlive this tab */
  | { type: 'offers'; id: number; offers: StoredOffer[]; problem?: string }
  /** the answer to a 'communityUpdate' request: the update, or why there is none */
  | { type: 'communityUpdate'; id: number; update: CommunityUpdateView | null; problem?: string }
  /** the answer to 'importModel' or 'useStoreModel': what happened, in words */
  | { type: 'modelImport'; id: number; ok: boolean; message: string }
  /** the imported community model in use (measured once learning reaches it), or null for none */
  | { type: 'importedModel'; view: ImportedModelView | null };

/** The imported model and the store's own MF on the same held-out players (the MF card's rule). */
export interface ImportedModelComparison {
  imported: RankerQuality;
  storeMf: RankerQuality;
  /** paired bootstrap interval of NDCG@10(imported − store's MF) */
  difference: ConfidenceInterval;
  players: number;
}

/** An imported community model as the About page shows it. */
export interface ImportedModelView {
  /** where the files say it came from ("Spark MLlib ALS 3.5.1") */
  source: string;
  format: ModelFileFormat;
  files: ModelFileDigest[];
  /** ms since the epoch */
  importedAt: number;
  /** ISO, when the files say */
  trainedAt?: string;
  rank: number;
  /** rows in the file */
  fileItems: number;
  /** catalog games the file has a vector for */
  matched: number;
  /** catalog games it has none for (they score 0 in its column) */
  missing: number;
  /** the file's rows that are no game of this store (left out) */
  unknown: number;
  /** null until the store's learning has measured it */
  heldOut: ImportedModelComparison | null;
}

/** The shopper's would-be contribution to a community model (ml/federated/shopperContribution.ts). */
export interface CommunityUpdateView {
  file: ContributionFile;
  touchedRows: number;
  pseudoRows: number;
  /** distinct games of the shopper's that the update was trained on */
  itemsUsed: number;
}

/** One event the profile cites, enough for the page to name and link it. */
export interface EvidenceEvent {
  kind: EventKind;
  at: number;
  itemId?: number;
}

/** What the store worker believes about the shopper, as the profile page shows it. */
export interface ProfileStatus {
  view: ProfileView;
  edits: ProfileEdits;
  /** which profile features fed each home row */
  rowFeatures: HomeRowFeatures;
  /** the events the view cites as evidence, by id */
  evidenceEvents: Record<number, EvidenceEvent>;
  /** the learned encoder's predictions (recs/profile/predicted.ts); absent until that model exists */
  predicted?: PredictedInterest[];
  /** how long the incremental update this status follows took per event; null after anything else */
  updateMsPerEvent: number | null;
}

// Learned models in the storefront (worker/store/). After the baselines answer, the store's
// worker trains MF and a GRU on the community data in the background (or loads them from the
// models table), then fits the hybrid blend; 'learning' statuses stream the progress, and a
// 'models' status carries the model cards once they exist.

/**
 * 'full': the shipped plan; 'quick': a small sample and one short epoch (tests, slow machines);
 * 'tiny': smaller still (the fault tests); 'off': baselines only.
 */
export type StoreTrainingMode = 'full' | 'quick' | 'tiny' | 'off';

export type StoreModelName = 'mf' | 'gru' | 'hybrid' | 'profileEncoder';

export type LearningPhase = 'checking' | 'training' | 'ready' | 'failed' | 'off';

export interface StoreTrainingProgress {
  model: StoreModelName;
  epoch: number;
  epochs: number;
  loss: number;
  interactionsPerSec: number;
  etaSec: number;
  /** 0..1 over every model this run trains */
  fraction: number;
  /** set when this run continued from a checkpoint saved after that epoch */
  resumedFromEpoch?: number;
}

export interface StoreModelCard {
  name: StoreModelName;
  /** loaded from this device's models table, resumed from a checkpoint, or trained now */
  origin: 'stored' | 'resumed' | 'trained';
  backend: string;
  trainedAt: number;
  dataHash: string;
  eventsUsed: number;
  /** e.g. { 'HR@10': 0.12, 'NDCG@10': 0.06 } on held-out community players */
  metrics: Record<string, number>;
  /** the hyperparameters (plain values only) */
  config: Record<string, string | number | boolean>;
}

/** The blend's learned weights, as shown to the shopper. */
export interface HybridWeightsView {
  features: string[];
  weights: number[];
  bias: number;
}

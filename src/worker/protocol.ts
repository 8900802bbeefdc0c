// The whole vocabulary between the page and the recommendation worker, in one file.
// Commands go in, statuses come out. Every request carries an id; for each channel
// only the newest request is answered (the worker drops superseded ones, the client
// ignores stale replies), so a burst of shopper events costs one ranking, not many.
import type { DatasetStats } from '../ml/io/dataset';
import type { ModelSnapshot, TrainingCheckpoint, TrainProgress } from '../ml/recommender';
import type { ModelNamesAmong } from '../ml/registry';
import type { BlendSummary } from '../ml/blend/labHybrid';
import type { RankedItem, RowKey, ShopperSignals } from '../recs/types';
import type { StoreTrainingJob } from './store/resumableTraining';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendPreference = BackendName | 'auto';

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** a software adapter (SwiftShader, or the browser's fallback adapter): WebGPU runs on the CPU */
  isSoftware: boolean;
}

export interface BackendAttempt {
  backend: BackendName;
  /** it started and computed its warm-up (or check) correctly, within the race's cap when raced */
  ok: boolean;
  /**
   * milliseconds of the timed warm-up step (a small embedding-model training step, read back;
   * the best of the timed runs): the number the race compares
   */
  warmupMs?: number;
  /** milliseconds of the first, untimed run (kernel compilation included) */
  firstRunMs?: number;
  /**
   * an asked-for backend is not raced: milliseconds of the check that it computes (a 128² matmul,
   * read back), not comparable with warmupMs
   */
  checkMs?: number;
  /** milliseconds tfjs took to start the backend (not part of the race's comparison or cap) */
  startMs?: number;
  /** raced, but its first run or its timed runs took more than the race's cap of this many ms: it lost */
  tooSlowAfterMs?: number;
  /** which part ran past the cap: the first run (kernel compilation included) or the timed runs */
  tooSlowIn?: 'first run' | 'timed runs';
  /** not raced: cpu is only the last resort (it is always the slowest) */
  notRaced?: boolean;
  /** why it is not ok, in words */
  error?: string;
}

export interface BackendReport {
  active: BackendName;
  /** one sentence a shopper can read: why this backend runs (the measured race, or the asked backend) */
  reason: string;
  adapter: AdapterInfo | null;
  /** every backend considered, in the order tried, with its measured warm-up */
  attempts: BackendAttempt[];
}

export interface RowRequest {
  key: RowKey;
  k: number;
  /** the item a row is about ('becauseYouViewed', 'similar', 'alsoOwn') */
  item?: number;
}

export type WorkerCommand =
  | {
      type: 'init';
      dataBaseUrl: string;
      backend: BackendPreference;
      /** how the learned models train in the background (default 'full'); see StoreTrainingMode */
      training?: StoreTrainingMode;
    }
  | {
      type: 'rank';
      id: number;
      channel: string;
      signals: ShopperSignals;
      rows: RowRequest[];
      diversity: number;
    };

export interface RankedRow {
  key: RowKey;
  item?: number;
  items: RankedItem[];
  /** "For you" only: whether the learned hybrid or the baseline blend ranked it */
  blend?: 'hybrid' | 'baseline';
}

export type WorkerStatus =
  | { type: 'loading'; stage: string }
  | { type: 'ready'; backend: BackendReport; itemCount: number; communityUsers: number; modelMs: number }
  | { type: 'backend'; backend: BackendReport }
  | { type: 'ranked'; id: number; channel: string; rows: RankedRow[]; ms: number }
  | { type: 'error'; id?: number; message: string }
  | {
      type: 'learning';
      phase: LearningPhase;
      message: string;
      progress?: StoreTrainingProgress;
      /** a problem that did not stop learning (e.g. a checkpoint the quota refused) */
      warning?: boolean;
    }
  | { type: 'models'; cards: StoreModelCard[]; hybrid: HybridWeightsView | null };

// ---------------------------------------------------------------------------------------------
// Learned models in the storefront (worker/store/). After the baselines answer, the store's
// worker trains MF and a GRU on the community data in the background (or loads them from the
// models table), then fits the hybrid blend; 'learning' statuses stream the progress, and a
// 'models' status carries the model cards once they exist.

/** 'full': the shipped plan; 'quick': a small sample and one short epoch (tests, slow machines); 'off': baselines only. */
export type StoreTrainingMode = 'full' | 'quick' | 'off';

/** The models the store trains and stores (its blend is stored as `hybrid`). */
export type StoreModelName = ModelNamesAmong<'mf' | 'gru' | 'hybrid'>;

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

// ---------------------------------------------------------------------------------------------
// Evaluation lab (worker/lab/labWorker.ts). A separate worker with its own command and status
// unions (LabCommand, LabStatus): the store's worker never receives these, and keeping them out of
// WorkerCommand keeps its exhaustive handling unchanged. The types live here so the page, the lab
// worker and the headless runner share one vocabulary.
//
// Latest request wins here too: a new labImport or labRun cancels the one in flight (a page has
// one lab), and every status carries the id of the request it answers so the client can drop
// replies to requests it has given up on.

/** Dataset file formats, named as on the `npm run eval -- --format` command line. */
export type LabDatasetFormat = 'sequences' | 'pairs' | 'inter' | 'csv' | 'sessions';

export interface LabImportSpec {
  format: LabDatasetFormat;
  /** a name for lists (the file name, usually) */
  name: string;
  /** csv only: which columns hold what (header names or 0-based indices) */
  csv?: {
    user: string | number;
    item: string | number;
    time?: string | number;
    rating?: string | number;
    minRating?: number;
    delimiter?: string;
    hasHeader?: boolean;
  };
  /** inter only: keep rows whose rating is at least this */
  minRating?: number;
}

/** Where an imported file's text comes from: a same-origin URL the worker fetches, or labImportChunk messages. */
export type LabTextSource = { kind: 'url'; url: string } | { kind: 'chunks' };

export type LabSplitSpec =
  /** SASRec / S3-Rec: last item test, second-to-last validation; model input the last maxHistory items */
  | { kind: 'leave-one-out'; maxHistory?: number }
  /** one global time cutoff (needs a format with times) */
  | { kind: 'temporal'; testFraction: number }
  /** a seeded random share of each user's interactions */
  | { kind: 'random'; testFraction: number }
  /** users dealt into folds; every fold is evaluated and the per-user results pooled */
  | { kind: 'k-fold'; folds: number };

/** A small side file of a run (negatives, item attributes): a same-origin URL, or its text. */
export type LabFileSource = { kind: 'url'; url: string } | { kind: 'text'; name: string; text: string };
export type LabNegativesSource = LabFileSource;

export type LabProtocolSpec =
  | { kind: 'full' }
  | { kind: 'sampled'; negatives: number; sampling: 'uniform' | 'popularity' }
  /** the published negatives of a dataset, e.g. LastFM_sample.txt */
  | { kind: 'fixed'; negatives: LabNegativesSource };

export interface LabTuningSpec {
  strategy: 'grid' | 'random';
  /** random search: how many points to try (default 8) */
  trials?: number;
  /** name -> values or range; default: the registry's space for the model */
  space?: Record<string, number[] | { min: number; max: number; log?: boolean; int?: boolean }>;
  /** stop the search after this many trials without a better validation NDCG@10 (default: never) */
  patience?: number;
  /**
   * Learned models (mf, sasrec, gru): each trial is validated after every epoch and stops once this
   * many epochs in a row brought no better validation NDCG@10 (default: the model config's
   * earlyStoppingPatience; without either, every trial trains all its epochs). Either way a trial
   * scores its best epoch, and the winning trial's best epoch becomes the final fit's `epochs`.
   * Ignored for models without epochs, so one tuning spec can serve several models.
   */
  earlyStoppingPatience?: number;
  /**
   * How a trial is scored: 'validation' (default) on the split's validation fold;
   * 'cross-validation' on `folds` user folds dealt from the split's training part (the test fold
   * is never seen), the mean over folds of each fold's best-epoch validation NDCG@10.
   */
  scoring?: 'validation' | 'cross-validation';
  /** cross-validation: how many user folds (default 3) */
  folds?: number;
}

export interface LabModelSpec {
  name: string;
  /** overrides of the registry's defaults */
  config?: Record<string, unknown>;
  tuning?: LabTuningSpec;
}

export interface LabRunSpec {
  /** key of an imported dataset (see LabDatasetInfo.key) */
  dataset: string;
  models: LabModelSpec[];
  split: LabSplitSpec;
  protocol: LabProtocolSpec;
  /** cut-offs, e.g. [10, 20] */
  ks: number[];
  seed: number;
  backend: BackendPreference;
  /** also return each evaluated user's top list of this length (e.g. 100), history masked */
  topK?: number;
  /** bootstrap resamples for the 95% intervals (default 1000) */
  bootstrapResamples?: number;
  /**
   * Item attributes (tags) for models that use side information (ease's attributeWeight): S3-Rec's
   * JSON (item id → attribute ids, e.g. LastFM_item2attributes.json) or lines `itemId attr …`.
   */
  itemAttributes?: LabFileSource;
}

/** The importer's statistics as the page shows them: whether there are times, not the times. */
export type LabDatasetStats = Omit<DatasetStats, 'firstTimestamp' | 'lastTimestamp'> & {
  hasTimestamps: boolean;
};

export interface LabDatasetInfo {
  /** the content hash, plus a suffix when import options (a CSV mapping) shape the result */
  key: string;
  /** FNV-1a 64 of the file's bytes */
  contentHash: string;
  name: string;
  source: string;
  format: LabDatasetFormat;
  stats: LabDatasetStats;
}

export type LabStage = 'import' | 'backend' | 'split' | 'tuning' | 'training' | 'validation' | 'evaluation';

export interface LabProgress {
  stage: LabStage;
  /** one line for people */
  message: string;
  /** 0..1 of the whole run, when it can be told */
  fraction?: number;
  model?: string;
  fold?: number;
  folds?: number;
  trial?: number;
  trials?: number;
  epoch?: number;
  epochs?: number;
  loss?: number;
  /** validation NDCG@10 after this epoch (or trial), for the live curve */
  validationNdcg10?: number;
  usersDone?: number;
  usersTotal?: number;
  linesRead?: number;
  etaSec?: number;
}

export interface LabInterval {
  mean: number;
  lower: number;
  upper: number;
}

export interface LabEpochPoint {
  epoch: number;
  loss: number;
  validationNdcg10?: number;
}

/** How one fit of a learned model went, epoch-wise (all epochs 1-based, as on the curve). */
export interface LabEpochOutcome {
  /** epochs actually trained */
  epochsTrained: number;
  /** the epoch with the best validation NDCG@10 (the last epoch when nothing was validated) */
  bestEpoch: number;
  /** training ended before the configured epochs because of early stopping */
  stoppedEarly: boolean;
}

/** One fold of a cross-validated trial (the epoch fields for learned models only). */
export interface LabTrialFold extends Partial<LabEpochOutcome> {
  /** the fold's validation NDCG@10 (a learned model's: its best epoch's) */
  validationNdcg10: number;
}

export interface LabTrialResult {
  params: Record<string, number>;
  /** the trial's score: its best epoch's validation NDCG@10 (mean over folds when cross-validated) */
  validationNdcg10: number;
  /**
   * learned models: the epoch that score came from (cross-validated: the lower median of the
   * folds' best epochs); the final fit trains this many epochs if the trial wins
   */
  bestEpoch?: number;
  /** learned models, validation scoring: epochs trained (fewer than configured when it stopped early) */
  epochsTrained?: number;
  stoppedEarly?: boolean;
  /** cross-validated trials: each fold's score and epochs */
  folds?: LabTrialFold[];
}

export interface LabTopList {
  user: string;
  targets: string[];
  items: string[];
}

/** The hybrid's blend as fitted (ml/blend/labHybrid.ts). */
export type LabBlendSummary = BlendSummary;

export interface LabModelResult {
  model: string;
  /** the config that produced the reported numbers (after tuning, when tuned) */
  config: Record<string, number | string | boolean>;
  /** metric -> mean with a 95% bootstrap interval, e.g. "NDCG@10" */
  metrics: Record<string, LabInterval>;
  /** coverage@k, novelty@k, popularityShare@k of the top-k lists */
  beyondAccuracy: Record<string, number>;
  trainMs: number;
  evalMs: number;
  /** loss (and validation NDCG@10 where measured) per epoch of the final fit; one point per fold otherwise */
  curve: LabEpochPoint[];
  /** validation NDCG@10 of the final model, when the split has a validation fold */
  validationNdcg10?: number;
  /** learned models: epochs the final fit trained (per fold, k-fold: the same in every fold) */
  epochsTrained?: number;
  /**
   * learned models: the 1-based epoch whose weights were evaluated — the best validation epoch when
   * early stopping restored it, else the last epoch trained
   */
  keptEpoch?: number;
  /** learned models: early stopping ended the final fit before its configured epochs */
  stoppedEarly?: boolean;
  trials?: LabTrialResult[];
  /** hybrid: the blend's learned weight per component (fitted on the validation fold) */
  blend?: LabBlendSummary;
  /** evaluated users (dense indices, all folds), aligned with perUser: what paired tests need */
  users: Int32Array;
  perUser: Record<string, Float64Array>;
  topLists?: LabTopList[];
}

export interface LabRunResult {
  dataset: LabDatasetInfo;
  split: LabSplitSpec;
  /** how targets were ranked, in words (includes the tie policy) */
  protocol: string;
  protocolSpec:
    { kind: 'full' } | { kind: 'sampled'; negatives: number; sampling: string } | { kind: 'fixed' };
  /** hash of the fixed negatives file, when one was used */
  negativesHash?: string;
  /** the item attributes file, when the run had one: its hash and how much of the catalogue it covers */
  itemAttributes?: { hash: string; itemsCovered: number; attributes: number; itemsUnknown: number };
  ks: number[];
  seed: number;
  backend: BackendReport;
  models: LabModelResult[];
  startedAt: number;
  totalMs: number;
}

export type LabCommand =
  | { type: 'labImport'; id: number; spec: LabImportSpec; source: LabTextSource }
  /** one piece of the file for a labImport with source 'chunks' */
  | { type: 'labImportChunk'; id: number; text: string }
  /** the file is complete */
  | { type: 'labImportEnd'; id: number }
  | { type: 'labRun'; id: number; spec: LabRunSpec }
  /** cancel whatever is in flight */
  | { type: 'labCancel' };

export type LabStatus =
  | { type: 'labImported'; id: number; dataset: LabDatasetInfo; ms: number }
  | { type: 'labProgress'; id: number; progress: LabProgress }
  | { type: 'labResult'; id: number; result: LabRunResult }
  | { type: 'labCancelled'; id: number }
  /** lineNumber is set when a file was malformed: nothing was kept */
  | { type: 'labError'; id: number; message: string; lineNumber?: number };

// ---------------------------------------------------------------------------------------------
// Trainer (worker/trainer/trainerWorker.ts). The store's worker keeps answering rankings while
// a trainer worker of its own, spawned per model, does the tfjs work: it gets one TrainerJob
// (the typed arrays are copies, transferred), starts exactly the backend it is told (no race),
// trains with the model's resumable fit and streams TrainerStatus back. postMessage keeps
// order, so every checkpoint arrives before the snapshot. Cancelling = terminating the trainer.

/** one model's training, as the trainer receives it: the store's job, the backend to start, where to resume */
export type TrainerJob = {
  type: 'train';
  /** the store worker's backend; the trainer starts this one or fails (it does not race) */
  backend: BackendName;
  /** the checkpoint to carry on from; null: start from scratch */
  resumeFrom: TrainingCheckpoint | null;
} & StoreTrainingJob;

export type TrainerStatus =
  /** the backend is up; training begins */
  | { type: 'trainerStarted'; backend: BackendName; ms: number }
  | { type: 'trainerProgress'; progress: TrainProgress }
  /** after each epoch, after its progress */
  | { type: 'trainerCheckpoint'; checkpoint: TrainingCheckpoint }
  | { type: 'trainerDone'; snapshot: ModelSnapshot }
  /** deviceLost: the trainer's WebGPU device was lost (the store worker switches backend) */
  | { type: 'trainerError'; message: string; deviceLost: boolean };

// The lab worker's protocol (worker/lab/labWorker.ts ↔ ui/lab/labClient.svelte.ts), and the
// lab's run specs and results, which the page, the lab worker and the headless runner
// (`npm run eval`) share.
//
// Latest request wins: a new labImport, labRun or labTrainingCheck cancels the one in flight (a
// page has one lab), and every status carries the id of the request it answers so the client
// can drop replies to requests it has given up on.
import type { BackendPreference } from '../../data/records';
import type { DatasetStats } from '../../ml/io/dataset';
import type { IterativeModelName } from '../../ml/registry';
import type { BlendSummary } from '../../ml/blend/labHybrid';
import type { ItemEmbeddings } from '../../ml/io/export/modelExport';
import type { BackendReport } from '../backend/types';
import type { ModelFileFormat } from '../../ml/io/models/itemFactors';
import type { ManifestArchitecture } from '../../ml/io/models/manifest';
import type { ModelFileDigest } from '../../ml/io/models/readModel';
import type { FederatedConfig, FederatedProgress, FederatedReport } from '../../ml/federated/simulate';

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

export type LabProtocolSpec =
  | { kind: 'full' }
  | { kind: 'sampled'; negatives: number; sampling: 'uniform' | 'popularity' }
  /** the published negatives of a dataset, e.g. LastFM_sample.txt */
  | { kind: 'fixed'; negatives: LabFileSource };

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
  /**
   * A community model's files for "imported" (Spark ALS metadata and Parquet parts, an implicit
   * .npz, a .safetensors and its manifest), read and laid on the dataset's items by the worker.
   */
  importedModel?: LabModelFiles;
  /**
   * A same-origin folder URL (ending in "/") where a hybrid's trained components are read (GET
   * URL + key) and stored (PUT): `npm run eval -- --model-cache DIR` serves one. See ml/modelCache.ts.
   */
  modelCacheUrl?: string;
  /**
   * After the standard run, every choice made on validation as usual, retrain the chosen
   * configuration on each user's interactions minus only the test items (the chosen epochs, no
   * early stopping) and score the test fold again: LabModelResult.finalFit (worker/lab/finalFit.ts).
   */
  finalFit?: 'train+validation';
}

/** Picked model files as bytes (ml/io/models/readModel.ts tells them apart by content). */
export interface LabModelFiles {
  files: { name: string; bytes: Uint8Array }[];
}

/** What a run says of its imported model: where it came from, its files' SHA-256, how its ids met the items. */
export interface LabImportedModelSummary {
  source: string;
  format: ModelFileFormat;
  architecture: ManifestArchitecture;
  rank: number;
  trainedAt?: string;
  files: ModelFileDigest[];
  matched: number;
  missing: number;
  unknown: number;
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
  blend?: BlendSummary;
  /** evaluated users (dense indices, all folds), aligned with perUser: what paired tests need */
  users: Int32Array;
  perUser: Record<string, Float64Array>;
  topLists?: LabTopList[];
  /** mf, sasrec, gru: the (first fold's) trained item embeddings, row i for itemIds[i], for export */
  itemEmbeddings?: LabItemEmbeddings;
  /**
   * with LabRunSpec.finalFit: the chosen configuration retrained on train + validation and scored
   * on the same test users; everything else in this result is the standard fit's, choices included
   */
  finalFit?: LabFinalFit;
}

/** The final fit on train + validation: what was retrained, and its test figures beside the standard fit's. */
export interface LabFinalFit {
  /** each user's interactions minus only the test items */
  training: 'train+validation';
  /** the chosen config with each learned part's epochs fixed at the epoch chosen on validation */
  config: Record<string, number | string | boolean>;
  /** each learned part's epochs: the one chosen on validation, or its configured epochs without a patience */
  epochs: { name: string; epochs: number }[];
  /** a hybrid: what it serves and its weights, as chosen on validation (unchanged by the refit) */
  servedBy?: string;
  /** a hybrid: the components read from the model cache rather than trained by this run */
  cached?: string[];
  metrics: Record<string, LabInterval>;
  beyondAccuracy: Record<string, number>;
  /** final fit minus standard fit, paired over the same test users, per HR@k and NDCG@k */
  differences: Record<string, LabInterval>;
  trainMs: number;
  evalMs: number;
}

export interface LabItemEmbeddings extends ItemEmbeddings {
  itemIds: string[];
}

/** A text file the worker wrote for the page to download (RecBole's atomic files). */
export interface LabTextFile {
  name: string;
  text: string;
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
  /** the run's imported model, when it had one */
  importedModel?: LabImportedModelSummary;
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
  /** the dataset and split a run of this spec would use, as RecBole atomic files (nothing is trained) */
  | { type: 'labExportRecbole'; id: number; spec: LabRunSpec }
  /** cancel whatever is in flight */
  | { type: 'labCancel' }
  | TrainingCheckCommand
  | FederatedCommand;

export type LabStatus =
  | { type: 'labImported'; id: number; dataset: LabDatasetInfo; ms: number }
  | { type: 'labProgress'; id: number; progress: LabProgress }
  | { type: 'labResult'; id: number; result: LabRunResult }
  | { type: 'labRecboleFiles'; id: number; files: LabTextFile[] }
  | { type: 'labCancelled'; id: number }
  /** lineNumber is set when a file was malformed: nothing was kept */
  | { type: 'labError'; id: number; message: string; lineNumber?: number }
  | TrainingCheckStatus
  | FederatedStatus;

// The training self-test (trainingCheck.ts): whether every learned model trains into a usable
// model on a backend.

/** Train every learned model on a toy set on this backend (see trainingCheck.ts). */
export interface TrainingCheckCommand {
  type: 'labTrainingCheck';
  id: number;
  backend: BackendPreference;
}

export interface ModelTrainingCheck {
  model: IterativeModelName;
  /** mean loss of each epoch; epoch 1 is measured at the initial weights */
  losses: number[];
  lossFell: boolean;
  /** of the scores for a fixed history, after training */
  finiteScores: number;
  distinctScores: number;
  itemCount: number;
  /** distinct scores seen in the onEpochEnd hook after each epoch (the model must be scorable there) */
  distinctScoresPerEpoch: number[];
  /** tensors still alive after fit, score and dispose (0 when nothing leaks) */
  leakedTensors: number;
  ms: number;
}

export interface TrainingCheckReport {
  backend: string;
  models: ModelTrainingCheck[];
}

/** The reply; a failure comes back as the lab's ordinary labError. */
export interface TrainingCheckStatus {
  type: 'labTrainingChecked';
  id: number;
  report: TrainingCheckReport;
}

// The federated simulation (ml/federated/, run by federatedRun.ts): an imported dataset's users as
// clients, DP-FedAvg at each target ε beside ε = ∞ and central training.

export interface FederatedCommand {
  type: 'labFederated';
  id: number;
  /** key of an imported dataset */
  dataset: string;
  config: FederatedConfig;
}

/** Progress (per round of each arm), then the report; a failure comes back as labError. */
export type FederatedStatus =
  | { type: 'labFederatedProgress'; id: number; progress: FederatedProgress }
  | { type: 'labFederatedResult'; id: number; report: FederatedReport };

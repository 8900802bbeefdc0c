// Shapes of the rows kept in the on-device database, other than the domain types in
// types.ts. Like types.ts this file has no runtime imports (only ml/ types), so the worker
// and the UI can import it without pulling Dexie into their bundles.
import type { ModelName, ModelSnapshot } from '../ml/recommender';
import type { AdamState } from '../ml/train/adam';
import type { ImportedItemFactors } from '../ml/io/models/itemFactors';
import type { ModelFileDigest } from '../ml/io/models/readModel';
import type { CartLine } from './types';

/** Any typed array a model or dataset may store; IndexedDB's structured clone keeps them as-is. */
export type StoredArray = Float32Array | Int32Array | Uint32Array;

/** The tfjs compute backends Aisle can run on. Declared here, not in worker/, because a setting stores one. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Compute backends a shopper may prefer; 'auto' lets the worker pick the fastest that works. */
export type BackendPreference = BackendName | 'auto';

/** Every user-facing setting, with the defaults in settings.ts. */
export interface Settings {
  /** When true, behavioural events are dropped before they reach the database. */
  trackingPaused: boolean;
  /** 0..1: how much the ranking trades relevance for variety (MMR lambda). */
  diversity: number;
  preferredBackend: BackendPreference;
  /** How many days events are kept; null keeps them forever. See eventRetentionChoices. */
  eventRetentionDays: EventRetentionDays;
  /** 0..1: how much popularity counts in "For you" (0 niche, 0.5 as learned, 1 popular). */
  popularity: number;
  /** Whether the shopper has picked genres to start from, or skipped that. */
  profileStartDone: boolean;
  /** Whether the store makes personalised offers; off removes every offered price at once. */
  offersEnabled: boolean;
}

/**
 * The tfjs backend race's outcome on this device (worker/backend/), remembered so that a later
 * visit starts the winner without racing again. It describes the device, not the shopper: kept in
 * the settings table under its own key, but no Setting (never exported or imported).
 */
export interface MeasuredBackend {
  backend: BackendName;
  /** when the race ran, ms since the epoch */
  measuredAt: number;
  /** the race's report as plain data (worker/backend/types.ts BackendReport), shown again by the badge */
  report: { active: BackendName; reason: string; adapter: unknown; attempts: unknown[] };
}

/** The retention windows a shopper may choose. */
export const eventRetentionChoices = [null, 90, 30] as const;

export type EventRetentionDays = (typeof eventRetentionChoices)[number];

export type SettingKey = keyof Settings;

/** One row of the settings table. */
export interface SettingRecord<K extends SettingKey = SettingKey> {
  key: K;
  value: Settings[K];
}

/** One row of the cartLines table: a cart line under a counter key, which names no game. */
export interface CartRecord extends CartLine {
  id?: number;
}

/**
 * One row of the profile table: something the app learned about the shopper, kept so it
 * can be shown and explained ("you like roguelikes") and erased. Values are JSON-like data
 * or typed arrays (for example the learned embedding).
 */
export interface ProfileRecord<T = unknown> {
  key: string;
  value: T;
  updatedAt: number;
}

/** The learned shopper vector, stored under profileKeys.shopperEmbedding. */
export interface ShopperEmbedding {
  model: ModelName;
  vector: Float32Array;
  /** Hash of the training data the vector was computed against. */
  dataHash: string;
}

/** What a trained model is, how and on what it was trained, and how well it did. */
export interface ModelCard {
  /** tfjs backend (or 'cpu' for plain JS) the model was trained on. */
  backend: string;
  trainedAt: number;
  /** Hash of the training data, so a stale model can be noticed and retrained. */
  dataHash: string;
  /** How many of the shopper's events went into training (0 for catalogue-only models). */
  eventsUsed: number;
  /** Offline metrics from the last evaluation, e.g. { 'recall@10': 0.21 }. */
  metrics: Record<string, number>;
  /** Training hyperparameters (epochs, learning rate, ...). */
  config: Record<string, unknown>;
}

/** One row of the models table: a trained model and its card, keyed by model name. */
export interface ModelRecord extends ModelCard {
  name: ModelName;
  snapshot: ModelSnapshot;
}

/**
 * One row of the importedModels table: a community model trained elsewhere (Spark ALS, implicit,
 * a PyTorch MF as safetensors) that the store uses in place of its own MF. The file's rows are
 * kept as read, ids and all, and laid out on the catalog each time they are used, so a new
 * catalog re-aligns them instead of reading a stale layout. Not the shopper's data (it came from a
 * file anyone can hash), so it is not sealed: the store uses it while the vault is locked too.
 */
export interface ImportedModelRecord {
  /** one imported model at a time: 'store' replaces the store's community MF */
  slot: 'store';
  factors: ImportedItemFactors;
  /** where the files say the model came from ("Spark MLlib ALS 3.5.1") */
  source: string;
  /** when the files say it was trained (ISO), when they say */
  trainedAt?: string;
  /** when the shopper imported it (ms since the epoch) */
  importedAt: number;
  /** each picked file's name, size and SHA-256 */
  files: ModelFileDigest[];
}

/**
 * One row of the checkpoints table: the state of an unfinished training run, written
 * after every epoch so a tab closed mid-training resumes instead of starting over.
 */
export interface CheckpointRecord {
  name: ModelName;
  /** The parameters so far, by name, in `arrays` (its config identifies the training). */
  snapshot: ModelSnapshot;
  /** Epochs completed so far. */
  epoch: number;
  epochs: number;
  /**
   * Adam's step count and moments by parameter name, so a resumed run continues exactly.
   * Rows written before it was kept lack it (and hold an empty `optimizerState` instead, which
   * nothing reads): they resume with fresh moments. Adding it needed no schema version: the
   * table stores whole objects and indexes only `name`.
   */
  optimizer?: AdamState;
  dataHash: string;
  savedAt: number;
}

/** One row of the evalRuns table: one model evaluated on one dataset in the lab. */
export interface EvalRunRecord {
  id?: number;
  createdAt: number;
  /** Dataset hash (see DatasetRecord) or a built-in dataset name. */
  dataset: string;
  /** Model name, or a labelled variant such as 'mf:dim=64'. */
  model: string;
  metrics: Record<string, number>;
  config: Record<string, unknown>;
  backend?: string;
  durationMs?: number;
}

/** One row of the datasets table: an imported dataset, keyed by a hash of its contents. */
export interface DatasetRecord {
  hash: string;
  name: string;
  /** Where it came from (file name or URL), for the shopper's information only. */
  source: string;
  importedAt: number;
  userCount: number;
  itemCount: number;
  interactionCount: number;
  /** The data itself, e.g. the CSR arrays of an InteractionMatrix. */
  arrays: Record<string, StoredArray>;
}

// The benchmark worker's protocol (worker/bench/benchWorker.ts ↔ ui/bench/benchApi.ts), which
// `npm run bench` (Node) shares through window.aisleBench. Plain JSON-able values only: specs
// travel through page.evaluate and postMessage, results come back the same way and are written
// to bench.json as they are.
import type { ReplicaExchange } from '../replica/replicaClient';
import type { BackendName } from '../../data/records';
import type { BackendReport } from '../backend/types';

/** One research dataset file the page can fetch from its own origin, optionally thinned out. */
export interface BenchDatasetSpec {
  /** the name printed in the table, e.g. "amazon-beauty" or "amazon-beauty[2000 users]" */
  name: string;
  /** same-origin URL of a sequence file (`userId item1 item2 …` per line) */
  url: string;
  /** keep only this many users, evenly spaced through the file (the --quick slice); all when absent */
  maxUsers?: number;
}

/** One row of the table: a model on a backend. */
export interface BenchRowSpec {
  model: string;
  backend: BackendName;
  dataset: BenchDatasetSpec;
  /** epochs for the models that train in epochs (mf, sasrec, gru) */
  epochs: number;
  /** overrides of the registry's defaults for this model */
  config?: Record<string, unknown>;
  /**
   * Train on this share (0..1] of the users only and extrapolate seconds per epoch to the whole
   * set: for backends too slow to finish a full epoch inside the time budget.
   */
  trainFraction?: number;
  /**
   * Seconds of training the row may spend. A short probe (probeUsers users, one epoch) estimates
   * a full epoch; when the asked epochs would not fit, one epoch runs on the share of users that
   * fits (at least the probe itself) and s/epoch is extrapolated. Ignored when trainFraction is set.
   */
  trainBudgetSec?: number;
  /** users in that probe (default 256: two SASRec/GRU batches) */
  probeUsers?: number;
  /** event -> top-10 timings to take */
  latencySamples: number;
  /** give up on the row after this many seconds (the worker is terminated) */
  timeoutSec: number;
  /**
   * wasm rows only: threads the backend computes with, or 'all' (every core, up to the binary's
   * pool); threads need a cross-origin isolated page, without it the row runs on one
   */
  wasmThreads?: WasmThreadSetting;
}

export type WasmThreadSetting = number | 'all';

export interface BenchDatasetInfo {
  name: string;
  users: number;
  items: number;
  interactions: number;
  /** users and interactions the model was actually trained on (fewer when trainFraction < 1) */
  trainUsers: number;
  trainInteractions: number;
}

export interface BenchTraining {
  epochs: number;
  /** wall seconds of each epoch; the first includes setup and kernel compilation */
  epochSeconds: number[];
  /** whole fit() call, seconds */
  fitSeconds: number;
  /**
   * Seconds per epoch on the whole dataset: the mean of the epochs after the first when there
   * are several (warm kernels), else the only one; scaled up when trained on a fraction.
   */
  secondsPerEpoch: number;
  /** interactions per second over the epochs secondsPerEpoch is taken from */
  interactionsPerSec: number;
  /** set when secondsPerEpoch was extrapolated from a fraction of an epoch */
  extrapolatedFrom?: number;
  finalLoss?: number;
}

export interface BenchLatency {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
}

export interface BenchMemory {
  /** largest tf.memory().numBytes seen while training */
  peakBytes: number;
  /** largest tf.memory().numTensors seen while training */
  peakTensors: number;
  /** the same over the latency samples */
  inferencePeakBytes: number;
  inferencePeakTensors: number;
}

export interface BenchRowResult {
  model: string;
  backend: BackendName;
  /** the dataset's name, even when the row failed */
  datasetName: string;
  ok: boolean;
  /** why the row could not run (backend missing, a kernel error, a time-out) */
  error?: string;
  dataset?: BenchDatasetInfo;
  backendReport?: BackendReport;
  /** the thread setting a wasm row asked for (what it got is backendReport.wasm.threads) */
  wasmThreads?: WasmThreadSetting;
  /**
   * SASRec / GRU rows asked for every core ('all'): data-parallel training on one wasm thread per
   * replica instead of one tfjs with threads (ml/train/dataParallel.ts). count: the replicas the
   * last fit really trained with (1 when the second never computed a step).
   */
  replicas?: BenchReplicas;
  config?: Record<string, unknown>;
  training?: BenchTraining;
  latency?: BenchLatency;
  memory?: BenchMemory;
  /** bytes of the saved snapshot: its typed arrays plus its JSON config */
  modelBytes?: number;
  wallSeconds: number;
}

export interface BenchReplicas {
  count: number;
  /** the last fit's exchange with the second replica (worker/replica/replicaClient.ts) */
  exchange?: ReplicaExchange;
  /** why training went on with one replica, when the second failed or could not start */
  fallback?: string;
}

export interface BenchProgress {
  message: string;
}

export type BenchWorkerCommand = { type: 'benchRun'; spec: BenchRowSpec };

export type BenchWorkerStatus =
  { type: 'benchProgress'; progress: BenchProgress } | { type: 'benchResult'; result: BenchRowResult };

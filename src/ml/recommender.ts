// One interface for every model (after implicit's RecommenderBase): the page, the
// benchmark and the evaluation runner only ever talk to this.
import type { BlendSummary } from './blend/labHybrid';
import type { EvalFold, RankingProtocol } from './eval';
import type { InteractionMatrix } from './interactions';
import type { ModelCacheScope } from './modelCache';
import type { ModelName } from './registry';
import type { AdamState } from './train/adam';
import type { GradientReplica } from './train/dataParallel';

// the names are the registry table's keys; re-exported for the many modules that speak of models
export type { ModelName };

export interface TrainProgress {
  epoch: number;
  epochs: number;
  loss: number;
  /** training interactions processed per second in the last epoch */
  interactionsPerSec: number;
  etaSec: number;
}

/** What an onEpochEnd hook tells the training loop: go on, or end training now. */
export type EpochDecision = 'continue' | 'stop';

/**
 * A learned model's training after some epochs, enough to carry on later (another fit, another
 * tab) exactly as if it had never stopped. Plain data: typed arrays and numbers, storable as is.
 */
export interface TrainingCheckpoint {
  /** epochs finished; a resumed fit starts with epoch epochsDone + 1 */
  epochsDone: number;
  /** every trainable parameter by name, row-major */
  params: Record<string, Float32Array>;
  /**
   * Adam's step count and moments. Absent in checkpoints written before the optimizer was
   * saved: such a fit resumes with fresh moments (a few noisier steps, not an error).
   */
  optimizer?: AdamState;
}

export interface TrainOptions {
  signal?: AbortSignal;
  onProgress?: (progress: TrainProgress) => void;
  /**
   * Learned models: carry on from this checkpoint (made by onCheckpoint of a fit of the same
   * model type, config and data) instead of starting from the seeded initial weights. Epochs
   * are seeded one by one, so the result equals the uninterrupted fit's when the optimizer
   * state is present. A checkpoint with epochsDone ≥ the configured epochs just loads it.
   */
  resumeFrom?: TrainingCheckpoint;
  /**
   * Learned models call this after every epoch (after onProgress, before onEpochEnd) with a
   * checkpoint to resume from, and wait for it (a database write) before going on.
   */
  onCheckpoint?: (checkpoint: TrainingCheckpoint) => void | Promise<void>;
  /**
   * Learned models: steps between reading the losses back and yielding to the event loop
   * (default 4). Smaller keeps a worker that also answers requests more responsive.
   */
  yieldEvery?: number;
  /**
   * Learned models call this after every epoch (after onProgress) with themselves in a scorable
   * state: scoreAll, recommend and save reflect the weights at the end of that epoch. Returning
   * 'stop' ends training there, and fit resolves with that epoch's model. The hook is how the
   * lab scores validation per epoch and stops early. Note: with a hook, a fit cancelled later
   * leaves the last completed epoch's model in place rather than the previous one.
   */
  onEpochEnd?: (epoch: number, model: Recommender) => EpochDecision | Promise<EpochDecision>;
  /**
   * Models made of other models (the hybrid) report each component's training here, since
   * onProgress speaks of the model's own epochs and a component's epoch is not one of them.
   */
  onComponentProgress?: (component: string, progress: TrainProgress) => void;
  /**
   * SASRec and the GRU (BCE loss, no L2, on wasm or cpu): a second replica in another worker that
   * computes half of every step's batch (ml/train/dataParallel.ts), the same step up to float
   * summation order. If it fails, the step computes that half itself and training goes on with
   * one replica; onReplicaFallback hears why.
   */
  gradientReplica?: GradientReplica;
  onReplicaFallback?: (reason: string) => void;
  /**
   * Models made of other models: load a component trained before on the same data with the same
   * config from this cache instead of training it, and store the ones trained now.
   */
  modelCache?: ModelCacheScope;
  /**
   * Models made of other models: the validation fold a learned component with a patience is
   * scored on after every epoch (NDCG@10, full ranking), keeping its best epoch.
   */
  componentValidation?: EvalFold;
  /** a line when the model cache is used or fails (a failure never stops the training) */
  onMessage?: (message: string) => void;
}

export interface ValidationFitOptions {
  signal?: AbortSignal;
  /** the ranking the run reports, so that what the fit decides is about that ranking */
  protocol?: RankingProtocol;
  /** a line for a progress report at each stage of the fit */
  onMessage?: (message: string) => void;
}

/** What a model knows about the current shopper: their items in time order. */
export interface ShopperState {
  history: readonly number[];
  /** Optional per-item confidence aligned with history (purchase > view). */
  weights?: readonly number[];
}

export interface ScoredItem {
  item: number;
  score: number;
}

export interface RecommendFilter {
  /** items never to return (owned, in cart, not interested, already seen) */
  exclude?: ReadonlySet<number>;
  /** keep only items for which this returns true */
  allow?: (item: number) => boolean;
}

/** A serialisable snapshot: typed arrays plus JSON-able config, stored in our own tables. */
export interface ModelSnapshot {
  name: ModelName;
  config: Record<string, unknown>;
  arrays: Record<string, Float32Array | Int32Array | Uint32Array>;
}

export interface Recommender {
  readonly name: ModelName;
  fit(data: InteractionMatrix, options?: TrainOptions): Promise<void>;
  /** A score for every item (length itemCount); higher is better. */
  scoreAll(state: ShopperState): Float32Array;
  /**
   * Optional: scoreAll for many shoppers in one go, row i at [i · itemCount, (i + 1) · itemCount).
   * Models whose scoring is a tensor computation implement it so that evaluating 20,000 users is
   * a few hundred batched passes rather than 20,000 single ones. Same scores as scoreAll (up to
   * float32 rounding).
   */
  scoreMany?(states: readonly ShopperState[]): Promise<Float32Array>;
  /**
   * Optional: a second fitting step, after fit, on a validation fold (never the test fold). The
   * hybrid fits its blend weights there and decides what it serves; whoever trains a model calls
   * this whenever the model has it, so no caller needs to know which models these are.
   */
  fitOnValidation?(fold: EvalFold, options?: ValidationFitOptions): Promise<BlendSummary>;
  recommend(state: ShopperState, k: number, filter?: RecommendFilter): ScoredItem[];
  similarItems(item: number, k: number, filter?: RecommendFilter): ScoredItem[];
  save(): ModelSnapshot;
  load(snapshot: ModelSnapshot): void;
  dispose(): void;
}

/**
 * Top-k of a score vector: finite scores only, filtered items skipped, best first, ties broken by
 * the lower item index. Runs on every ranking, so an item that cannot beat the current k-th is
 * dismissed before the filter (a Set lookup or a callback) is asked about it.
 */
export function topK(scores: Float32Array, k: number, filter?: RecommendFilter): ScoredItem[] {
  if (k <= 0) return [];
  const exclude = filter?.exclude;
  const allow = filter?.allow;
  const picked: ScoredItem[] = [];
  let threshold = -Infinity;
  for (let item = 0; item < scores.length; item++) {
    const score = scores[item];
    // once k are held, only a strictly higher score gets in (a tie loses to the lower index)
    if (picked.length === k && !(score > threshold)) continue;
    if (!Number.isFinite(score)) continue;
    if (exclude?.has(item)) continue;
    if (allow && !allow(item)) continue;
    if (picked.length < k) {
      picked.push({ item, score });
      if (picked.length === k) {
        picked.sort(byScoreThenItem);
        threshold = picked[k - 1].score;
      }
    } else {
      picked[k - 1] = { item, score };
      // one insertion step keeps the list sorted in O(k)
      for (let i = k - 1; i > 0 && byScoreThenItem(picked[i], picked[i - 1]) < 0; i--) {
        [picked[i], picked[i - 1]] = [picked[i - 1], picked[i]];
      }
      threshold = picked[k - 1].score;
    }
  }
  return picked.length < k ? picked.sort(byScoreThenItem) : picked;
}

/** topK for "items like this one": the item itself is never among its own answers. */
export function topKExcept(
  scores: Float32Array,
  k: number,
  item: number,
  filter?: RecommendFilter,
): ScoredItem[] {
  const exclude = new Set(filter?.exclude ?? []);
  exclude.add(item);
  return topK(scores, k, { ...filter, exclude });
}

function byScoreThenItem(a: ScoredItem, b: ScoredItem): number {
  return b.score - a.score || a.item - b.item;
}

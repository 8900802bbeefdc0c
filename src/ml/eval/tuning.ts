// Hyper-parameter search. The lab only proposes parameter sets and keeps score; what a score
// means (cross-validated mean, validation NDCG@10, …) is the caller's objective, so the same
// search drives any model.
import { createRng, type Rng } from '../random';

/** A continuous or integer range; `log` samples evenly in log space (learning rates, regularisation). */
export interface ParamRange {
  min: number;
  max: number;
  log?: boolean;
  int?: boolean;
}

/** Each parameter is either a list of values to try or a range to sample from. */
export type SearchSpace = Record<string, readonly number[] | ParamRange>;

export type Params = Record<string, number>;

export type Objective = (params: Params, context: { trial: number; signal?: AbortSignal }) => Promise<number>;

export interface Trial {
  /** order in which the trial ran, from 0 */
  index: number;
  params: Params;
  /** higher is better; NaN (a failed run) sorts last */
  score: number;
}

export interface SearchResult {
  /** best first; equal scores keep the earlier trial first */
  trials: Trial[];
  best?: Trial;
  /** true when the signal stopped the search early; trials holds what finished */
  aborted: boolean;
}

export interface SearchOptions {
  signal?: AbortSignal;
  onTrial?: (trial: Trial) => void;
}

function isRange(values: readonly number[] | ParamRange): values is ParamRange {
  return !Array.isArray(values);
}

/**
 * Every combination of the listed values, the first parameter varying slowest. Ranges cannot be
 * enumerated and are rejected.
 */
export function gridPoints(space: SearchSpace): Params[] {
  let points: Params[] = [{}];
  for (const [name, values] of Object.entries(space)) {
    if (isRange(values)) throw new TypeError(`grid search needs a list of values for "${name}", not a range`);
    if (values.length === 0) throw new RangeError(`"${name}" has no values to try`);
    points = points.flatMap((point) => values.map((value) => ({ ...point, [name]: value })));
  }
  return points;
}

/** One random point: a uniform pick from a list, or a uniform / log-uniform draw from a range. */
export function sampleParams(space: SearchSpace, random: Rng): Params {
  const params: Params = {};
  for (const [name, values] of Object.entries(space)) {
    if (!isRange(values)) {
      params[name] = values[random.nextInt(values.length)];
      continue;
    }
    const { min, max } = values;
    if (!(min <= max)) throw new RangeError(`"${name}" has min ${min} above max ${max}`);
    if (values.int) {
      // each integer in [min, max] equally likely (log: each order of magnitude equally likely)
      const low = Math.ceil(min);
      const high = Math.floor(max);
      const draw = values.log
        ? Math.exp(Math.log(low) + random.next() * (Math.log(high + 1) - Math.log(low)))
        : low + random.next() * (high + 1 - low);
      params[name] = Math.min(high, Math.floor(draw));
    } else if (values.log) {
      if (min <= 0) throw new RangeError(`"${name}" needs a positive min for a log range`);
      params[name] = Math.exp(Math.log(min) + random.next() * (Math.log(max) - Math.log(min)));
    } else {
      params[name] = min + random.next() * (max - min);
    }
  }
  return params;
}

async function runTrials(
  points: Iterable<Params>,
  objective: Objective,
  options: SearchOptions,
): Promise<SearchResult> {
  const trials: Trial[] = [];
  let aborted = false;
  for (const params of points) {
    if (options.signal?.aborted) {
      aborted = true;
      break;
    }
    let score: number;
    try {
      score = await objective(params, { trial: trials.length, signal: options.signal });
    } catch (error) {
      // an objective that stops because of our signal ends the search; other errors are real
      if (options.signal?.aborted) {
        aborted = true;
        break;
      }
      throw error;
    }
    const trial = { index: trials.length, params, score };
    trials.push(trial);
    options.onTrial?.(trial);
  }
  const sorted = trials.slice().sort(byScoreDescending);
  return { trials: sorted, best: sorted[0], aborted };
}

function byScoreDescending(a: Trial, b: Trial): number {
  const scoreA = Number.isNaN(a.score) ? -Infinity : a.score;
  const scoreB = Number.isNaN(b.score) ? -Infinity : b.score;
  return scoreB - scoreA || a.index - b.index;
}

/** Tries every grid point in order. */
export function gridSearch(space: SearchSpace, objective: Objective, options: SearchOptions = {}) {
  return runTrials(gridPoints(space), objective, options);
}

export interface RandomSearchOptions extends SearchOptions {
  trials: number;
  seed?: number;
}

/** Tries `trials` random points drawn from a seeded stream (Bergstra & Bengio, JMLR 2012). */
export function randomSearch(space: SearchSpace, objective: Objective, options: RandomSearchOptions) {
  const random = createRng(options.seed ?? 0);
  function* points() {
    for (let i = 0; i < options.trials; i++) yield sampleParams(space, random);
  }
  return runTrials(points(), objective, options);
}

export interface EarlyStoppingOptions {
  /** epochs without improvement before stopping */
  patience: number;
  /** an improvement must beat the best score by more than this (default 0) */
  minDelta?: number;
}

export interface EarlyStoppingDecision {
  improved: boolean;
  shouldStop: boolean;
}

/**
 * Patience on a validation score (e.g. NDCG@10, higher is better): remembers the best epoch and,
 * if given, a snapshot taken at that epoch, so training can restore the best weights rather than
 * the last ones. The snapshot is a thunk so it is only taken when the score improved.
 */
export class EarlyStopping<Snapshot = undefined> {
  bestEpoch = -1;
  bestScore = -Infinity;
  bestSnapshot: Snapshot | undefined;
  private epochsWithoutImprovement = 0;
  private readonly patience: number;
  private readonly minDelta: number;

  constructor(options: EarlyStoppingOptions) {
    if (!(options.patience >= 1)) throw new RangeError('patience must be at least 1');
    this.patience = options.patience;
    this.minDelta = options.minDelta ?? 0;
  }

  report(epoch: number, score: number, snapshot?: () => Snapshot): EarlyStoppingDecision {
    const improved = score > this.bestScore + this.minDelta || this.bestEpoch < 0;
    if (improved && !Number.isNaN(score)) {
      this.bestEpoch = epoch;
      this.bestScore = score;
      this.bestSnapshot = snapshot?.();
      this.epochsWithoutImprovement = 0;
    } else {
      this.epochsWithoutImprovement++;
    }
    return { improved: improved && !Number.isNaN(score), shouldStop: this.shouldStop };
  }

  get shouldStop(): boolean {
    return this.epochsWithoutImprovement >= this.patience;
  }
}

export interface FoldScore {
  /** the fold's score (for a model trained in epochs: its best epoch's) */
  score: number;
  /** the 1-based epoch that score came from, for models trained in epochs */
  bestEpoch?: number;
}

/**
 * One cross-validated score from per-fold ones: the mean of the folds' scores (NaN if any fold's
 * is), and the epochs to train with — the lower median of the folds' best epochs, so it is an
 * epoch some fold chose and, between two middle ones, the earlier (early stopping stops early
 * for a reason). The epoch is undefined unless every fold has one.
 */
export function combineFolds(folds: readonly FoldScore[]): FoldScore {
  if (folds.length === 0) throw new RangeError('no folds to combine');
  const score = folds.reduce((sum, fold) => sum + fold.score, 0) / folds.length;
  const epochs = folds.map((fold) => fold.bestEpoch);
  if (epochs.some((epoch) => epoch === undefined)) return { score };
  const sorted = (epochs as number[]).slice().sort((a, b) => a - b);
  return { score, bestEpoch: sorted[Math.floor((sorted.length - 1) / 2)] };
}

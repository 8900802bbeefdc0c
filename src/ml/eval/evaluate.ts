// The evaluation runner: ranks every evaluated user's held-out targets with a trained model under
// a protocol, and returns per-user metric arrays (for intervals and paired tests), their summary,
// and optionally each user's top list. It only talks to the Recommender interface.
import { userRow } from '../interactions';
import type { Recommender, ShopperState } from '../recommender';
import { topK } from '../recommender';
import { throwIfAborted } from '../io/errors';
import {
  averagePrecision,
  catalogCoverage,
  hitRate,
  intraListDiversity,
  itemPopularity,
  ndcg,
  novelty,
  popularityShare,
  recall,
  reciprocalRank,
} from './metrics';
import {
  DEFAULT_TIE_POLICY,
  cumulativeWeights,
  describeProtocol,
  sampleNegatives,
  targetPositions,
  type Competitors,
  type RankingProtocol,
  type TiePolicy,
} from './protocols';
import { createRng, deriveSeed } from '../random';
import { DEFAULT_TIE_BREAK, type TieBreak } from './tieBreak';
import { evaluatedUsers, type EvalFold } from './splits';
import { bootstrapConfidenceInterval, pairedComparison, type ConfidenceInterval } from './statistics';

export interface EvaluationProgress {
  done: number;
  total: number;
}

export interface EvaluationOptions {
  /** cut-offs for HR, Recall, NDCG and MAP (default [5, 10, 20]) */
  ks?: readonly number[];
  /** seeds negative sampling and the bootstrap (default 0) */
  seed?: number;
  tiePolicy?: TiePolicy;
  /**
   * How a model's equal scores are ordered before ranking (default 'popularity': by `popularity`,
   * below the smallest gap between the model's own scores, see tieBreak.ts); 'none' leaves them
   * as ties for tiePolicy to settle.
   */
  tieBreak?: TieBreak;
  onProgress?: (progress: EvaluationProgress) => void;
  signal?: AbortSignal;
  /** return each user's top list of this length (e.g. 100), seen items masked */
  topKOut?: number;
  /** also compute coverage, novelty, popularity share (and diversity) on the top-max(ks) lists */
  beyondAccuracy?: boolean;
  /** item-item similarity in [0, 1] for intra-list diversity */
  itemSimilarity?: (a: number, b: number) => number;
  /** the "popular head" for popularity share (default 0.2: the top 20% of items) */
  popularHeadFraction?: number;
  /** per-item popularity for popularity sampling and novelty (default: distinct users in fold.seen) */
  popularity?: ArrayLike<number>;
  /** bootstrap resamples for the confidence intervals (default 1000) */
  bootstrapResamples?: number;
}

export interface TopListLine {
  user: number;
  /** the held-out targets */
  targets: number[];
  /** the model's ranked items, seen items masked */
  items: number[];
}

export interface EvaluationResult {
  protocol: string;
  ks: number[];
  /** dense indices of the evaluated users (those with targets), aligned with every perUser array */
  users: Int32Array;
  /** metric name (HR@10, Recall@10, NDCG@10, MAP@10, MRR) -> value per evaluated user */
  perUser: Record<string, Float64Array>;
  /** metric name -> mean with a seeded 95% bootstrap interval */
  summary: Record<string, ConfidenceInterval>;
  /** catalogue-level metrics of the top-max(ks) lists, keyed like "coverage@10" */
  beyondAccuracy?: Record<string, number>;
  topLists?: TopListLine[];
}

/** How many users are scored between progress reports and yields to the event loop (and, for
 * models with scoreMany, in one batched pass). */
const USERS_PER_BATCH = 64;

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Evaluates `model` on one fold (a split's `test` or `validation`): for each user with targets,
 * the model scores every item given the user's history, the targets are ranked under the
 * protocol (seen items are never candidates, targets always are), and the metrics are computed
 * from the targets' positions. Cancels with the signal's reason between users.
 */
export async function evaluateRecommender(
  model: Recommender,
  fold: EvalFold,
  protocol: RankingProtocol,
  options: EvaluationOptions = {},
): Promise<EvaluationResult> {
  const ks = [...(options.ks ?? [5, 10, 20])].sort((a, b) => a - b);
  const maxK = ks[ks.length - 1];
  const seed = options.seed ?? 0;
  const tiePolicy = options.tiePolicy ?? DEFAULT_TIE_POLICY;
  const tieBreak = options.tieBreak ?? DEFAULT_TIE_BREAK;
  const itemCount = fold.targets.itemCount;
  const users = evaluatedUsers(fold);
  const popularity = options.popularity ?? itemPopularity(fold.seen);
  const cumulative =
    protocol.kind === 'sampled' && protocol.sampling === 'popularity'
      ? cumulativeWeights(popularity)
      : undefined;
  const listLength = Math.max(options.topKOut ?? 0, options.beyondAccuracy ? maxK : 0);

  const metricNames = [...ks.flatMap((k) => [`HR@${k}`, `Recall@${k}`, `NDCG@${k}`, `MAP@${k}`]), 'MRR'];
  const perUser: Record<string, Float64Array> = {};
  for (const name of metricNames) perUser[name] = new Float64Array(users.length);
  const topLists: TopListLine[] = [];
  const excluded = new Uint8Array(itemCount);

  // Models with a batched scorer score a block of users at once; the rest one user at a time.
  let block: { start: number; scores: Float32Array } | null = null;
  const scoresFor = async (index: number): Promise<Float32Array> => {
    if (!model.scoreMany) {
      return model.scoreAll(shopperState(fold, users[index], userRow(fold.history, users[index])));
    }
    if (!block || index >= block.start + USERS_PER_BATCH) {
      const blockUsers = users.subarray(index, index + USERS_PER_BATCH);
      const states = Array.from(blockUsers, (user) => shopperState(fold, user, userRow(fold.history, user)));
      block = { start: index, scores: await model.scoreMany(states) };
      if (block.scores.length < blockUsers.length * itemCount) {
        throw new RangeError(
          `${model.name} returned ${block.scores.length} scores for ${blockUsers.length} users × ${itemCount} items`,
        );
      }
    }
    const offset = (index - block.start) * itemCount;
    return block.scores.subarray(offset, offset + itemCount);
  };

  for (let index = 0; index < users.length; index++) {
    throwIfAborted(options.signal);
    const user = users[index];
    const seen = userRow(fold.seen, user);
    const targets = userRow(fold.targets, user);
    const scores = await scoresFor(index);
    if (scores.length < itemCount) {
      throw new RangeError(`${model.name} returned ${scores.length} scores for ${itemCount} items`);
    }

    for (const item of seen) excluded[item] = 1;
    for (const item of targets) excluded[item] = 1;
    const competitors = competitorsFor(protocol, user, excluded, itemCount, seed, cumulative);
    const tieBreakPopularity = tieBreak === 'popularity' ? popularity : undefined;
    const positions = targetPositions(scores, targets, competitors, tiePolicy, tieBreakPopularity);
    for (const item of seen) excluded[item] = 0;
    for (const item of targets) excluded[item] = 0;

    for (const k of ks) {
      perUser[`HR@${k}`][index] = hitRate(positions, k);
      perUser[`Recall@${k}`][index] = recall(positions, targets.length, k);
      perUser[`NDCG@${k}`][index] = ndcg(positions, targets.length, k);
      perUser[`MAP@${k}`][index] = averagePrecision(positions, targets.length, k);
    }
    perUser.MRR[index] = reciprocalRank(positions);

    if (listLength > 0) {
      const ranked = topK(scores, listLength, { exclude: new Set(seen) });
      topLists.push({ user, targets: Array.from(targets), items: ranked.map((entry) => entry.item) });
    }
    if ((index + 1) % USERS_PER_BATCH === 0) {
      options.onProgress?.({ done: index + 1, total: users.length });
      await yieldToEventLoop();
    }
  }
  options.onProgress?.({ done: users.length, total: users.length });

  const summary: Record<string, ConfidenceInterval> = {};
  for (const name of metricNames) {
    summary[name] = bootstrapConfidenceInterval(perUser[name], {
      seed,
      resamples: options.bootstrapResamples,
    });
  }
  const result: EvaluationResult = {
    protocol:
      describeProtocol(protocol, tiePolicy) + (tieBreak === 'popularity' ? ', broken by popularity' : ''),
    ks,
    users,
    perUser,
    summary,
  };
  if (options.beyondAccuracy) {
    result.beyondAccuracy = beyondAccuracy(topLists, ks, popularity, fold, options);
  }
  if (options.topKOut) {
    result.topLists = topLists.map((line) => ({ ...line, items: line.items.slice(0, options.topKOut) }));
  }
  return result;
}

/** The ShopperState a fold's user is scored with: the history, with its weights when the fold has them. */
export function shopperState(fold: EvalFold, user: number, history: Int32Array): ShopperState {
  const state: ShopperState = { history: Array.from(history) };
  if (fold.history.weights) {
    const start = fold.history.userOffsets[user];
    state.weights = Array.from(fold.history.weights.subarray(start, start + history.length));
  }
  return state;
}

function competitorsFor(
  protocol: RankingProtocol,
  user: number,
  excluded: Uint8Array,
  itemCount: number,
  seed: number,
  cumulative: Float64Array | undefined,
): Competitors {
  if (protocol.kind === 'full') return { kind: 'allExcept', excluded };
  if (protocol.kind === 'sampled') {
    const random = createRng(deriveSeed(seed, user));
    return {
      kind: 'list',
      items: sampleNegatives(protocol.negatives, itemCount, excluded, random, cumulative),
    };
  }
  const negatives = protocol.negativesByUser[user];
  if (!negatives) throw new RangeError(`no fixed negatives for user ${user}`);
  return { kind: 'list', items: negatives };
}

function beyondAccuracy(
  lists: TopListLine[],
  ks: number[],
  popularity: ArrayLike<number>,
  fold: EvalFold,
  options: EvaluationOptions,
): Record<string, number> {
  const out: Record<string, number> = {};
  const headFraction = options.popularHeadFraction ?? 0.2;
  const userCount = fold.seen.userCount;
  for (const k of ks) {
    const cut = lists.map((line) => line.items.slice(0, k));
    out[`coverage@${k}`] = catalogCoverage(cut, fold.targets.itemCount);
    out[`novelty@${k}`] = novelty(cut, popularity, userCount);
    out[`popularityShare@${k}`] = popularityShare(cut, popularity, headFraction);
    if (options.itemSimilarity) out[`diversity@${k}`] = intraListDiversity(cut, options.itemSimilarity);
  }
  return out;
}

export interface ModelComparison {
  metric: string;
  /** mean of a - b over the shared users */
  meanDifference: number;
  tTestP: number;
  permutationP: number;
}

/**
 * Paired comparison of two evaluations of the same fold on one metric: same users, so each user's
 * difference is one paired observation.
 */
export function compareEvaluations(
  a: EvaluationResult,
  b: EvaluationResult,
  metric: string,
  options: { seed?: number; resamples?: number } = {},
): ModelComparison {
  if (a.users.length !== b.users.length || a.users.some((user, i) => user !== b.users[i])) {
    throw new RangeError('the two evaluations did not score the same users');
  }
  const valuesA = a.perUser[metric];
  const valuesB = b.perUser[metric];
  if (!valuesA || !valuesB) throw new RangeError(`unknown metric ${metric}`);
  return { metric, ...pairedComparison(valuesA, valuesB, options) };
}

/**
 * Top lists as tab-separated lines with external ids: user, targets (comma-separated), ranked
 * items (space-separated). The form a researcher can diff against another tool's output.
 */
export function formatTopLists(
  lines: readonly TopListLine[],
  userIds: readonly string[],
  itemIds: readonly string[],
) {
  return lines
    .map(
      (line) =>
        `${userIds[line.user]}\t${line.targets.map((item) => itemIds[item]).join(',')}\t${line.items
          .map((item) => itemIds[item])
          .join(' ')}`,
    )
    .join('\n');
}

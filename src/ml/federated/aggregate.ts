// The server's side of DP-FedAvg (McMahan, Ramage, Talwar, Zhang 2018, "Learning Differentially
// Private Recurrent Language Models", ICLR 2018, Algorithm 1): each sampled client's update is
// clipped to L2 norm C, the clipped updates are summed, Gaussian noise N(0, (z·C)²) is added once
// to every coordinate of the sum (central DP on the aggregate: a trusted aggregator or secure
// aggregation sees the sum, not a client), and the sum is divided by the expected number of
// clients qN, a fixed denominator, so one client moves the model by at most C/(qN) whoever else
// took part: the sensitivity the accountant assumes.
import { clipUpdate } from '../privacy/shareableUpdate';
import type { Rng } from '../random';
import type { ItemDelta } from './localMf';

export interface AggregationOptions {
  clipNorm: number;
  /** z: noise standard deviation in units of C; 0 adds none */
  noiseMultiplier: number;
  /** qN, the denominator of the average (the fixed-denominator estimator of McMahan et al.) */
  expectedClients: number;
  /** multiplies the averaged update before it is applied (FedAvg uses 1) */
  serverLearningRate: number;
}

export interface RoundSummary {
  clients: number;
  /** clients whose update was longer than C and was scaled down */
  clipped: number;
  /** the mean L2 norm of the updates before clipping (0 without clients) */
  meanNormBeforeClipping: number;
}

/** Σ clip(Δ_k) over the clients, as a dense itemCount × dim table. */
export function sumClippedDeltas(
  deltas: readonly ItemDelta[],
  itemCount: number,
  dim: number,
  clipNorm: number,
): { sum: Float64Array; summary: RoundSummary } {
  const sum = new Float64Array(itemCount * dim);
  let clipped = 0;
  let normTotal = 0;
  for (const delta of deltas) {
    const { rows, scale, norm } = clipUpdate(delta, clipNorm);
    if (scale < 1) clipped++;
    normTotal += norm;
    for (const [item, row] of rows) for (let k = 0; k < dim; k++) sum[item * dim + k] += row[k];
  }
  return {
    sum,
    summary: {
      clients: deltas.length,
      clipped,
      meanNormBeforeClipping: deltas.length > 0 ? normTotal / deltas.length : 0,
    },
  };
}

/**
 * One round applied to the global item table in place:
 *   V ← V + η · (Σ_k clip(Δ_k) + N(0, (zC)² I)) / (qN).
 * The noise covers every coordinate, touched by a client or not, or its absence would tell.
 */
export function applyRound(
  itemFactors: Float32Array,
  dim: number,
  deltas: readonly ItemDelta[],
  options: AggregationOptions,
  rng: Rng,
): RoundSummary {
  const { clipNorm, noiseMultiplier, expectedClients, serverLearningRate } = options;
  if (!(expectedClients > 0)) {
    throw new RangeError(`The expected number of clients must be > 0, got ${expectedClients}.`);
  }
  const { sum, summary } = sumClippedDeltas(deltas, itemFactors.length / dim, dim, clipNorm);
  const sigma = noiseMultiplier * clipNorm;
  const step = serverLearningRate / expectedClients;
  for (let i = 0; i < sum.length; i++) {
    const noise = sigma > 0 ? sigma * rng.nextNormal() : 0;
    itemFactors[i] += step * (sum[i] + noise);
  }
  return summary;
}

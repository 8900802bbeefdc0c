// One shopper's contribution to a federated community model, as the store would compute it:
// local MF steps from the community item vectors on the shopper's own items (./localMf.ts), then
// the shareable form (../privacy/shareableUpdate.ts: clipped to C, pseudo-items, N(0, (zC)²)
// noise on every row, shuffled), and the privacy it would spend. Nothing here sends anything:
// the store shows the result and, if the shopper asks, saves it to a file.
import { privacySpent } from '../privacy/accountant';
import { shareableUpdate } from '../privacy/shareableUpdate';
import { defaultLocalMfOptions, localMfDelta, type LocalMfOptions } from './localMf';
import { createRng } from '../random';

export interface ContributionPlan {
  clipNorm: number;
  /** z; the noise on each coordinate is σ = z·C, added on the device (local DP) */
  noiseMultiplier: number;
  pseudoItemCount: number;
  delta: number;
  local: LocalMfOptions;
}

/**
 * C matches the simulation's (a shopper's update before clipping is ~0.26 long at the median on
 * Last.fm); z = 2 makes one contribution cost ε = 2.17 at δ = 1e-5 (contributionEpsilon).
 */
export const contributionPlan: ContributionPlan = {
  clipNorm: 0.5,
  noiseMultiplier: 2,
  pseudoItemCount: 20,
  delta: 1e-5,
  local: defaultLocalMfOptions,
};

export interface Contribution {
  /** item index → noisy row, touched and pseudo alike, in a shuffled order */
  rows: Map<number, number[]>;
  dimension: number;
  /** rows of items the shopper's own training touched (their items and the drawn negatives) */
  touchedRows: number;
  pseudoRows: number;
  clipNorm: number;
  noiseMultiplier: number;
  noiseStdDev: number;
  normBeforeClipping: number;
  delta: number;
  /** ε of this one contribution at δ: the Gaussian mechanism once, every shopper included (q = 1) */
  epsilon: number;
}

/**
 * ε for one contribution: one step of the Gaussian mechanism with sampling rate 1 (the shopper
 * is certainly in it), so no amplification by sampling is claimed.
 */
export function contributionEpsilon(noiseMultiplier: number, delta: number): number {
  return privacySpent({ samplingRate: 1, noiseMultiplier, steps: 1 }, delta).epsilon;
}

/** The shopper's shareable update from the community item vectors and their own items. */
export function shopperContribution(
  itemFactors: Float32Array,
  dimension: number,
  history: readonly number[],
  plan: ContributionPlan,
  seed: number,
): Contribution {
  const rng = createRng(seed);
  const delta = localMfDelta(itemFactors, dimension, history, plan.local, rng);
  const itemCount = itemFactors.length / dimension;
  const shared = shareableUpdate(delta, {
    clipNorm: plan.clipNorm,
    noiseMultiplier: plan.noiseMultiplier,
    catalog: Array.from({ length: itemCount }, (_, item) => item),
    pseudoItemCount: plan.pseudoItemCount,
    dimension,
    seed: rng.nextSeed(),
  });
  return {
    rows: shared.rows,
    dimension,
    touchedRows: delta.size,
    pseudoRows: shared.pseudoItemCount,
    clipNorm: plan.clipNorm,
    noiseMultiplier: plan.noiseMultiplier,
    noiseStdDev: shared.noiseStdDev,
    normBeforeClipping: shared.normBeforeClipping,
    delta: plan.delta,
    epsilon: contributionEpsilon(plan.noiseMultiplier, plan.delta),
  };
}

/** The exported file: what would be sent, and the terms it was made under. */
export interface ContributionFile {
  format: 'aisle-federated-update';
  version: 1;
  created: string;
  /** what the item vectors were: the store's learned MF, or a seeded starting table */
  basis: string;
  dimension: number;
  clipNorm: number;
  noiseMultiplier: number;
  noiseStdDev: number;
  delta: number;
  epsilon: number;
  assumptions: string;
  /** every row, touched and pseudo, with no mark of which is which */
  rows: { item: number; vector: number[] }[];
}

export const contributionAssumptions =
  'One contribution, counted alone (sampling rate q = 1, one step): the update is clipped to L2 norm C ' +
  'and every value gets Gaussian noise of standard deviation z·C on this device, so (ε, δ) bounds what ' +
  'anyone holding this file can learn about whether any one of your events was in it. Sending more ' +
  'contributions spends more: ε adds up over rounds.';

export function contributionFile(
  contribution: Contribution,
  itemIdOf: (item: number) => number,
  basis: string,
  created: Date,
): ContributionFile {
  return {
    format: 'aisle-federated-update',
    version: 1,
    created: created.toISOString(),
    basis,
    dimension: contribution.dimension,
    clipNorm: contribution.clipNorm,
    noiseMultiplier: contribution.noiseMultiplier,
    noiseStdDev: contribution.noiseStdDev,
    delta: contribution.delta,
    epsilon: contribution.epsilon,
    assumptions: contributionAssumptions,
    rows: [...contribution.rows].map(([item, vector]) => ({ item: itemIdOf(item), vector })),
  };
}

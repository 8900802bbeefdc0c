import { describe, expect, it } from 'vitest';
import { fromSequences } from '../interactions';
import { privacySpent } from '../privacy/accountant';
import { createRng } from '../random';
import { applyRound, sumClippedDeltas } from './aggregate';
import { targetPosition } from './evaluate';
import { foldInUser, localMfDelta, type ItemDelta } from './localMf';
import {
  defaultFederatedConfig,
  federatedOrders,
  noiseForBudget,
  runFederatedExperiment,
  sampleClients,
  validateFederatedConfig,
  type FederatedConfig,
} from './simulate';

describe('aggregation (2 clients × 2 items, dim 2)', () => {
  // client A: rows (3, 0) and (0, 4), norm 5, clipped to C = 1 → (0.6, 0), (0, 0.8)
  // client B: item 0 (0.1, 0.2), norm √0.05 ≈ 0.2236 < C, unchanged
  const deltas: ItemDelta[] = [
    new Map([
      [0, [3, 0]],
      [1, [0, 4]],
    ]),
    new Map([[0, [0.1, 0.2]]]),
  ];

  it('sums the clipped updates', () => {
    const { sum, summary } = sumClippedDeltas(deltas, 2, 2, 1);
    expect(Array.from(sum)).toEqual([0.6 + 0.1, 0.2, 0, 0.8].map((value) => expect.closeTo(value, 12)));
    expect(summary.clients).toBe(2);
    expect(summary.clipped).toBe(1);
    expect(summary.meanNormBeforeClipping).toBeCloseTo((5 + Math.sqrt(0.05)) / 2, 12);
  });

  it('applies V + η·sum/(qN) without noise', () => {
    const factors = Float32Array.from([1, 1, 1, 1]);
    applyRound(
      factors,
      2,
      deltas,
      { clipNorm: 1, noiseMultiplier: 0, expectedClients: 2, serverLearningRate: 1 },
      createRng(1),
    );
    // sum (0.7, 0.2), (0, 0.8) halved: (0.35, 0.1), (0, 0.4)
    expect(Array.from(factors)).toEqual([1.35, 1.1, 1, 1.4].map((value) => expect.closeTo(value, 6)));
  });

  it('adds N(0, (zC)²) to every coordinate of the sum, scaled by η/(qN)', () => {
    const itemCount = 5000;
    const factors = new Float32Array(itemCount * 2);
    applyRound(
      factors,
      2,
      [],
      { clipNorm: 2, noiseMultiplier: 1.5, expectedClients: 4, serverLearningRate: 2 },
      createRng(3),
    );
    // σ = zC = 3 on the sum, times η/(qN) = 0.5: standard deviation 1.5 on each of 10,000 values
    const values = Array.from(factors);
    const average = values.reduce((sum, value) => sum + value, 0) / values.length;
    const deviation = Math.sqrt(
      values.reduce((sum, value) => sum + (value - average) ** 2, 0) / values.length,
    );
    expect(Math.abs(average)).toBeLessThan(0.05);
    expect(deviation).toBeGreaterThan(1.5 * 0.97);
    expect(deviation).toBeLessThan(1.5 * 1.03);
    expect(values.every((value) => value !== 0)).toBe(true);
  });

  it('refuses an average over no clients', () => {
    expect(() =>
      applyRound(
        new Float32Array(2),
        1,
        [],
        { clipNorm: 1, noiseMultiplier: 0, expectedClients: 0, serverLearningRate: 1 },
        createRng(1),
      ),
    ).toThrow(/expected number of clients/);
  });
});

describe('local MF', () => {
  it('folds the user in by ridge: u = v/(v² + λ) in one dimension', () => {
    expect(foldInUser(Float32Array.from([2, 5]), 1, [0], 1)[0]).toBeCloseTo(2 / (4 + 1), 6);
  });

  it('takes one BPR step by hand (dim 1, items v0 = 1, v1 = 0, history [0])', () => {
    // u = 1/(1 + 1) = 0.5; the only negative is item 1; x = 0.5·(1 − 0) = 0.5; g = σ(−0.5) = 0.377541
    // Δv0 = η·g·u = 0.1 · 0.377541 · 0.5 = 0.0188770, Δv1 = −0.0188770
    const delta = localMfDelta(
      Float32Array.from([1, 0]),
      1,
      [0],
      { epochs: 1, learningRate: 0.1, l2: 0, foldInL2: 1 },
      createRng(1),
    );
    expect([...delta.keys()].sort()).toEqual([0, 1]);
    expect(delta.get(0)![0]).toBeCloseTo(0.018877, 6);
    expect(delta.get(1)![0]).toBeCloseTo(-0.018877, 6);
  });

  it('leaves the global table untouched and returns nothing for an empty history', () => {
    const factors = Float32Array.from([1, 0, 0.5]);
    localMfDelta(factors, 1, [0], defaultFederatedConfig.local, createRng(2));
    expect(Array.from(factors)).toEqual([1, 0, 0.5]);
    expect(localMfDelta(factors, 1, [], defaultFederatedConfig.local, createRng(2)).size).toBe(0);
  });
});

describe('evaluation and sampling', () => {
  it('ranks the target among unseen items, sharing ties', () => {
    // item 0 is seen; item 3 ties with the target (half a place), item 1 is below
    expect(targetPosition([3, 1, 2, 2], new Set([0]), 2)).toBe(1.5);
    expect(targetPosition([3, 1, 2, 2], new Set([0]), 1)).toBe(3);
  });

  it('samples each client with probability q from a per-round stream', () => {
    const clients = Array.from({ length: 10_000 }, (_, i) => i);
    const sampled = sampleClients(clients, 0.1, 5, 3);
    expect(sampled.length).toBeGreaterThan(900);
    expect(sampled.length).toBeLessThan(1100);
    expect(sampleClients(clients, 0.1, 5, 3)).toEqual(sampled);
    expect(sampleClients(clients, 0.1, 5, 4)).not.toEqual(sampled);
  });

  it('picks the noise that spends the target ε, never more', () => {
    const z = noiseForBudget(4, 0.1, 20, 1e-3);
    const spent = (noise: number) =>
      privacySpent({ samplingRate: 0.1, noiseMultiplier: noise, steps: 20 }, 1e-3, federatedOrders).epsilon;
    expect(spent(z)).toBeLessThanOrEqual(4);
    expect(spent(z - 1e-3)).toBeGreaterThan(4);
  });

  it('refuses a bad configuration naming the field', () => {
    expect(() => validateFederatedConfig({ ...defaultFederatedConfig, samplingRate: 0 })).toThrow(/q must/);
    expect(() => validateFederatedConfig({ ...defaultFederatedConfig, rounds: 0.5 })).toThrow(/rounds/);
    expect(() => validateFederatedConfig({ ...defaultFederatedConfig, targetEpsilons: [Infinity] })).toThrow(
      /target ε/,
    );
  });
});

describe('the federated experiment', () => {
  // 24 users in two taste groups over 8 items: group A cycles items 0–3, group B items 4–7
  const sequences = Array.from({ length: 24 }, (_, user) =>
    Array.from({ length: 5 }, (_, step) => (user % 2 === 0 ? 0 : 4) + ((user + step) % 4)),
  );
  const data = fromSequences(sequences, 8);
  const tiny: FederatedConfig = {
    ...defaultFederatedConfig,
    dim: 4,
    rounds: 3,
    samplingRate: 0.5,
    centralEpochs: 2,
    targetEpsilons: [4],
    curveEvery: 2,
    curveUsers: 6,
  };

  it('replays exactly from its seed, and another seed differs', async () => {
    const first = await runFederatedExperiment(data, tiny);
    const again = await runFederatedExperiment(data, tiny);
    expect(again).toEqual(first);
    const other = await runFederatedExperiment(data, { ...tiny, seed: 8 });
    expect(other.arms.map((arm) => arm.curve)).not.toEqual(first.arms.map((arm) => arm.curve));
  });

  it('reports central, each ε and ε = ∞ with δ = 1/N and curves at the stated rounds', async () => {
    const progress: string[] = [];
    const report = await runFederatedExperiment(data, tiny, {
      onProgress: ({ arm, step }) => progress.push(`${arm}:${step}`),
    });
    expect(report.clients).toBe(24);
    expect(report.delta).toBeCloseTo(1 / 24, 12);
    expect(report.arms.map((arm) => [arm.kind, arm.epsilon])).toEqual([
      ['central', null],
      ['federated', 4],
      ['federated', null],
    ]);
    expect(report.arms[1].noiseMultiplier).toBeGreaterThan(0);
    expect(report.arms[2].noiseMultiplier).toBe(0);
    expect(report.arms[1].curve.map((point) => point.step)).toEqual([0, 2, 3]);
    expect(report.arms[0].curve.map((point) => point.step)).toEqual([0, 1, 2]);
    expect(progress).toContain('ε = 4:3');
    for (const arm of report.arms) {
      expect(arm.hitRate.lower).toBeLessThanOrEqual(arm.hitRate.mean);
      expect(arm.hitRate.upper).toBeGreaterThanOrEqual(arm.hitRate.mean);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { privacySpent } from '../privacy/accountant';
import {
  contributionEpsilon,
  contributionFile,
  contributionPlan,
  shopperContribution,
} from './shopperContribution';
import { initialItemFactors } from './localMf';

describe('shopperContribution', () => {
  const dimension = 4;
  const factors = initialItemFactors(50, dimension, 0.1, 3);

  it('hides the touched rows among pseudo-items, each row of the table dimension', () => {
    const contribution = shopperContribution(factors, dimension, [1, 5, 9], contributionPlan, 11);
    // three positives and up to 2 epochs × 3 drawn negatives: between 4 and 9 touched rows
    expect(contribution.touchedRows).toBeGreaterThanOrEqual(4);
    expect(contribution.touchedRows).toBeLessThanOrEqual(9);
    expect(contribution.pseudoRows).toBe(20);
    expect(contribution.rows.size).toBe(contribution.touchedRows + 20);
    for (const row of contribution.rows.values()) expect(row).toHaveLength(dimension);
    expect(contribution.noiseStdDev).toBeCloseTo(
      contributionPlan.noiseMultiplier * contributionPlan.clipNorm,
      12,
    );
    expect(contribution.epsilon).toBe(contributionEpsilon(2, 1e-5));
  });

  it('replays from its seed and draws other noise from another', () => {
    const first = shopperContribution(factors, dimension, [1, 5, 9], contributionPlan, 11);
    expect(shopperContribution(factors, dimension, [1, 5, 9], contributionPlan, 11).rows).toEqual(first.rows);
    expect(shopperContribution(factors, dimension, [1, 5, 9], contributionPlan, 12).rows).not.toEqual(
      first.rows,
    );
  });

  it('still gives pseudo-items only for a shopper with no usable events', () => {
    const contribution = shopperContribution(factors, dimension, [], contributionPlan, 1);
    expect(contribution.touchedRows).toBe(0);
    expect(contribution.rows.size).toBe(20);
  });
});

describe('contributionEpsilon', () => {
  it('is the plain Gaussian mechanism once: below the classic bound worked by hand', () => {
    // q = 1: RDP(α) = α/(2z²). Classic conversion ε = α/8 + log(1/δ)/(α − 1) for z = 2, δ = 1e-5,
    // smallest at α* = 1 + z·√(2 log(1/δ)) = 10.597; the order 10.6 gives 1.325 + 11.5129/9.6 = 2.5243
    const classic = privacySpent(
      { samplingRate: 1, noiseMultiplier: 2, steps: 1 },
      1e-5,
      undefined,
      'classic',
    );
    expect(classic.epsilon).toBeCloseTo(2.5243, 3);
    expect(classic.order).toBeCloseTo(10.6, 10);
    expect(contributionEpsilon(2, 1e-5)).toBeLessThan(classic.epsilon);
    expect(contributionEpsilon(4, 1e-5)).toBeLessThan(contributionEpsilon(2, 1e-5));
  });
});

describe('contributionFile', () => {
  it('names every row by the catalogue id and keeps the terms', () => {
    const contribution = shopperContribution(
      new Float32Array(10 * 2),
      2,
      [0],
      { ...contributionPlan, pseudoItemCount: 3 },
      5,
    );
    const file = contributionFile(
      contribution,
      (item) => 1000 + item,
      'a seeded starting table',
      new Date(Date.UTC(2026, 0, 2)),
    );
    expect(file.created).toBe('2026-01-02T00:00:00.000Z');
    expect(file.rows).toHaveLength(contribution.rows.size);
    expect(file.rows.every(({ item, vector }) => item >= 1000 && item < 1010 && vector.length === 2)).toBe(
      true,
    );
    expect(new Set(file.rows.map((row) => row.item)).size).toBe(file.rows.length);
    expect(file).toMatchObject({
      format: 'aisle-federated-update',
      dimension: 2,
      clipNorm: 0.5,
      noiseMultiplier: 2,
      delta: 1e-5,
    });
    expect(JSON.parse(JSON.stringify(file))).toEqual(file);
  });
});

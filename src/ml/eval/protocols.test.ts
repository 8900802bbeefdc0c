import { describe, expect, it } from 'vitest';
import { cumulativeWeights, describeProtocol, sampleNegatives, targetPositions } from './protocols';
import { createRng } from '../random';

// scores of items 0..4
const scores = Float32Array.from([0.9, 0.5, 0.5, 0.1, 0.7]);
const mask = (...items: number[]) => {
  const excluded = new Uint8Array(5);
  for (const item of items) excluded[item] = 1;
  return excluded;
};

describe('targetPositions', () => {
  it('ranks one target with each tie policy', () => {
    // target 1 (0.5), item 0 seen: competitors 2 (0.5, a tie), 3 (0.1), 4 (0.7, higher)
    const competitors = { kind: 'allExcept', excluded: mask(0, 1) } as const;
    expect(targetPositions(scores, [1], competitors, 'pessimistic')).toEqual([3]); // 1 + 1 + 1
    expect(targetPositions(scores, [1], competitors, 'optimistic')).toEqual([2]); // 1 + 1
    expect(targetPositions(scores, [1], competitors, 'realistic')).toEqual([2.5]); // 1 + 1 + 1/2
    expect(targetPositions(scores, [1], competitors)).toEqual([3]); // pessimistic by default
  });

  it('ranks several targets against the competitors only, then stacks them', () => {
    // targets 1 (0.5) and 3 (0.1), item 0 seen: competitors 2 (0.5) and 4 (0.7)
    // target 1: 1 higher + 1 tie -> 3; target 3: 2 higher -> 3; stacked: 3 + 0, 3 + 1
    const full = { kind: 'allExcept', excluded: mask(0, 1, 3) } as const;
    expect(targetPositions(scores, [1, 3], full)).toEqual([3, 4]);
    // optimistic: target 1 -> 2, target 3 -> 3; stacked 2, 4
    expect(targetPositions(scores, [1, 3], full, 'optimistic')).toEqual([2, 4]);
    // the sorted path (many targets, whole catalogue) agrees with scanning an explicit list
    expect(targetPositions(scores, [1, 3], { kind: 'list', items: [2, 4] })).toEqual([3, 4]);
  });

  it('ranks a NaN score last and a constant model last under the pessimistic policy', () => {
    const withNaN = Float32Array.from([0.9, NaN, 0.5, 0.1, 0.7]);
    // NaN counts as -Infinity: all 3 competitors are higher
    expect(targetPositions(withNaN, [1], { kind: 'list', items: [2, 3, 4] })).toEqual([4]);
    const constant = new Float32Array(5).fill(1);
    expect(targetPositions(constant, [1], { kind: 'allExcept', excluded: mask(1) })).toEqual([5]);
    expect(targetPositions(constant, [1], { kind: 'allExcept', excluded: mask(1) }, 'optimistic')).toEqual([
      1,
    ]);
  });
});

describe('sampleNegatives', () => {
  it('draws distinct items the user never had, reproducibly', () => {
    const excluded = new Uint8Array(50);
    excluded.fill(1, 0, 10); // items 0..9 seen or targets
    const a = sampleNegatives(20, 50, excluded, createRng(4));
    expect(a.length).toBe(20);
    expect(new Set(a).size).toBe(20);
    expect(Array.from(a).every((item) => item >= 10 && item < 50)).toBe(true);
    expect(sampleNegatives(20, 50, excluded, createRng(4))).toEqual(a);
  });

  it('returns every eligible item when there are too few', () => {
    // 5 items, 0 and 1 excluded: only 2, 3, 4 can be drawn
    expect(Array.from(sampleNegatives(10, 5, mask(0, 1), createRng(1)))).toEqual([2, 3, 4]);
    // 4 of 5 eligible for 3 draws: rejection or fallback, still distinct and eligible
    const three = Array.from(sampleNegatives(3, 5, mask(0), createRng(2)));
    expect(new Set(three).size).toBe(3);
    expect(three).not.toContain(0);
  });

  it('draws in proportion to popularity and never draws a zero-weight item', () => {
    // weights 0, 0, 5, 0, 1, 0: item 2 should come up 5/6 of the time when one is drawn
    const cumulative = cumulativeWeights([0, 0, 5, 0, 1, 0]);
    expect(Array.from(cumulative)).toEqual([0, 0, 5, 5, 6, 6]);
    const counts = new Map<number, number>();
    for (let seed = 0; seed < 600; seed++) {
      const [item] = sampleNegatives(1, 6, new Uint8Array(6), createRng(seed), cumulative);
      counts.set(item, (counts.get(item) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([2, 4]);
    // expected 500 of 600, sd = sqrt(600 * 5/6 * 1/6) = 9.1
    expect(Math.abs(counts.get(2)! - 500)).toBeLessThan(40);
  });
});

describe('describeProtocol', () => {
  it('states the protocol and tie policy in words', () => {
    expect(describeProtocol({ kind: 'sampled', negatives: 99, sampling: 'uniform' })).toBe(
      '99 uniform sampled negatives, ties pessimistic',
    );
    expect(describeProtocol({ kind: 'full' }, 'realistic')).toBe(
      'full ranking, seen items masked, ties realistic',
    );
  });
});

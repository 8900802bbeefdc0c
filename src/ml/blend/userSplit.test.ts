import { describe, expect, it } from 'vitest';
import { splitEpochAndBlendUsers, splitFitAndEvalUsers } from './userSplit';

const players = Array.from({ length: 20 }, (_, i) => 100 + 3 * i);

describe('splitFitAndEvalUsers', () => {
  it('splits every player to exactly one side, round(share · n) to evaluation', () => {
    const { fit, evaluation } = splitFitAndEvalUsers(players, 1, 0.3);
    expect(evaluation).toHaveLength(6);
    expect(fit).toHaveLength(14);
    expect(fit.filter((user) => evaluation.includes(user))).toEqual([]);
    expect([...fit, ...evaluation].sort((a, b) => a - b)).toEqual(players);
    expect(fit).toEqual([...fit].sort((a, b) => a - b));
    expect(evaluation).toEqual([...evaluation].sort((a, b) => a - b));
  });

  it('is the same for a seed whatever the order of the ids, and the seed matters', () => {
    const first = splitFitAndEvalUsers(players, 7, 0.5);
    expect(splitFitAndEvalUsers([...players].reverse(), 7, 0.5)).toEqual(first);
    expect(splitFitAndEvalUsers(players, 8, 0.5)).not.toEqual(first);
  });

  it('leaves neither side empty', () => {
    // round(0.01 · 3) = 0 → 1; round(0.99 · 3) = 3 → 2
    expect(splitFitAndEvalUsers([4, 5, 6], 1, 0.01).evaluation).toHaveLength(1);
    expect(splitFitAndEvalUsers([4, 5, 6], 1, 0.99).fit).toHaveLength(1);
  });

  it('refuses what cannot be split honestly', () => {
    expect(() => splitFitAndEvalUsers(players, 1, 0)).toThrow('(0, 1)');
    expect(() => splitFitAndEvalUsers(players, 1, 1)).toThrow('(0, 1)');
    expect(() => splitFitAndEvalUsers([4], 1, 0.5)).toThrow('at least two');
    expect(() => splitFitAndEvalUsers([4, 5, 4], 1, 0.5)).toThrow('player 4 is listed twice');
  });
});

describe('splitEpochAndBlendUsers', () => {
  const ten = Array.from({ length: 10 }, (_, i) => 10 + i);
  const ids = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('gives every user to exactly one part: the blend 2 · blendUsers, the epoch choice the rest', () => {
    // 2 · 2 = 4 ≤ 50 % of 10, so the blend takes 4 and the epochs choose on 6
    const { epochChoice, blend } = splitEpochAndBlendUsers(ten, 0, { blendUsers: 2, blendMaxPercent: 50 });
    expect(blend).toHaveLength(4);
    expect(epochChoice).toHaveLength(6);
    expect(blend.filter((user) => epochChoice.includes(user))).toEqual([]);
    expect([...blend, ...epochChoice].sort((a, b) => a - b)).toEqual(ten);
    expect(blend).toEqual([...blend].sort((a, b) => a - b));
    expect(epochChoice).toEqual([...epochChoice].sort((a, b) => a - b));
  });

  it('is stable: the same draw for a seed in every run and whatever the order of the ids', () => {
    // pinned: mulberry32 from the seed's stream 13, the first 4 of a Fisher–Yates over the sorted ids
    const expected = { epochChoice: [11, 13, 15, 17, 18, 19], blend: [10, 12, 14, 16] };
    expect(splitEpochAndBlendUsers(ten, 0, { blendUsers: 2, blendMaxPercent: 50 })).toEqual(expected);
    expect(splitEpochAndBlendUsers([...ten].reverse(), 0, { blendUsers: 2, blendMaxPercent: 50 })).toEqual(
      expected,
    );
    expect(splitEpochAndBlendUsers(ten, 1, { blendUsers: 2, blendMaxPercent: 50 })).not.toEqual(expected);
  });

  it('keeps the blend its 2 × 2,000 users on Beauty, and halves a fold too small for both (Last.fm)', () => {
    const sizes = (n: number, blendMaxPercent = 50) => {
      const { epochChoice, blend } = splitEpochAndBlendUsers(ids(n), 0, {
        blendUsers: 2000,
        blendMaxPercent,
      });
      return [epochChoice.length, blend.length];
    };
    expect(sizes(22363)).toEqual([18363, 4000]);
    // 4,000 would leave the epochs fewer than half: floor(1,090 · 50 %) = 545 each
    expect(sizes(1090)).toEqual([545, 545]);
    expect(sizes(1091)).toEqual([546, 545]);
    // a larger cap gives the blend more: floor(1,090 · 70 %) = 763
    expect(sizes(1090, 70)).toEqual([327, 763]);
    // exactly at the cap: 8,000 · 50 % = 4,000
    expect(sizes(8000)).toEqual([4000, 4000]);
  });

  it('leaves the epoch choice one user at least, and the blend two (one to fit, one to judge)', () => {
    const parts = (n: number, blendUsers: number, blendMaxPercent: number) => {
      const { epochChoice, blend } = splitEpochAndBlendUsers(ids(n), 0, { blendUsers, blendMaxPercent });
      return [epochChoice.length, blend.length];
    };
    expect(parts(3, 2000, 50)).toEqual([1, 2]);
    expect(parts(4, 2000, 1)).toEqual([2, 2]); // floor(4 · 1 %) = 0 → 2
    expect(parts(4, 2000, 99)).toEqual([1, 3]); // floor(3.96) = 3
    expect(parts(100, 0, 50)).toEqual([98, 2]);
  });

  it('refuses what cannot be split', () => {
    expect(() => splitEpochAndBlendUsers([1, 2], 0, { blendUsers: 1, blendMaxPercent: 50 })).toThrow(
      /at least 3, got 2/,
    );
    expect(() => splitEpochAndBlendUsers(ten, 0, { blendUsers: 1, blendMaxPercent: 0 })).toThrow(/1–99/);
    expect(() => splitEpochAndBlendUsers(ten, 0, { blendUsers: 1, blendMaxPercent: 100 })).toThrow(/1–99/);
    expect(() => splitEpochAndBlendUsers([4, 5, 6, 4], 0, { blendUsers: 1, blendMaxPercent: 50 })).toThrow(
      'player 4 is listed twice',
    );
  });
});

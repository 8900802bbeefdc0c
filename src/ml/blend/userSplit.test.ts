import { describe, expect, it } from 'vitest';
import { splitFitAndEvalUsers } from './userSplit';

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

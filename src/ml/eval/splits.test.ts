import { describe, expect, it } from 'vitest';
import { fromSequences, userRow, type InteractionMatrix } from '../interactions';
import {
  evaluatedUsers,
  leaveOneOutSplit,
  randomSplit,
  temporalSplit,
  timeCutoff,
  trainPlusValidation,
  userFoldSplits,
} from './splits';

const rows = (m: InteractionMatrix) =>
  Array.from({ length: m.userCount }, (_, u) => Array.from(userRow(m, u)));

describe('leaveOneOutSplit', () => {
  // toy sequences: a 5-item user, a 2-item user, a 1-item user
  const data = fromSequences([[0, 1, 2, 3, 4], [5, 6], [7]], 8);

  it('holds out the last item for test and the one before for validation', () => {
    const split = leaveOneOutSplit(data);
    expect(rows(split.train)).toEqual([[0, 1, 2], [5], [7]]);
    expect(rows(split.validation!.history)).toEqual([[0, 1, 2], [5], [7]]);
    // user 1 has only two items: no validation target; user 2 has one: nothing held out
    expect(rows(split.validation!.targets)).toEqual([[3], [], []]);
    expect(rows(split.test.history)).toEqual([[0, 1, 2, 3], [5], [7]]);
    expect(rows(split.test.targets)).toEqual([[4], [6], []]);
    expect(Array.from(evaluatedUsers(split.test))).toEqual([0, 1]);
    expect(Array.from(evaluatedUsers(split.validation!))).toEqual([0]);
  });

  it('truncates the model input to the last n items but masks the whole history', () => {
    const split = leaveOneOutSplit(data, { maxHistoryLength: 2 });
    expect(rows(split.test.history)).toEqual([[2, 3], [5], [7]]);
    expect(rows(split.test.seen)).toEqual([[0, 1, 2, 3], [5], [7]]);
    expect(rows(split.validation!.history)).toEqual([[1, 2], [5], [7]]);
    expect(rows(split.train)).toEqual([[0, 1, 2], [5], [7]]); // training is not truncated
  });

  it('carries interaction weights into every part', () => {
    const weighted = { ...data, weights: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]) };
    const split = leaveOneOutSplit(weighted);
    expect(Array.from(split.train.weights!)).toEqual([1, 2, 3, 6, 8]);
    expect(Array.from(split.test.targets.weights!)).toEqual([5, 7]);
  });
});

describe('temporalSplit', () => {
  // toy log: user 0 had items 0,1,2,3 at times 1,2,3,9; user 1 had items 1,4,0,1 at times 4,5,8,10
  const data = fromSequences(
    [
      [0, 1, 2, 3],
      [1, 4, 0, 1],
    ],
    5,
  );
  const times = Float64Array.from([1, 2, 3, 9, 4, 5, 8, 10]);

  it('cuts at a quantile of all timestamps', () => {
    // sorted: 1 2 3 4 5 8 9 10; quantile 0.75 -> index floor(6) -> 9; 0.5 -> index 4 -> 5
    const sorted = Float64Array.from(times).sort();
    expect(timeCutoff(sorted, 0.75)).toBe(9);
    expect(timeCutoff(sorted, 0.5)).toBe(5);
    expect(timeCutoff(sorted, 1)).toBe(10);
  });

  it('trains on the past, validates on the middle window, tests on new items after the cutoff', () => {
    const split = temporalSplit(data, times, { testFraction: 0.25, validationFraction: 0.25 });
    // train: t < 5 -> user 0: 0,1,2; user 1: 1
    expect(rows(split.train)).toEqual([[0, 1, 2], [1]]);
    // validation window 5 <= t < 9: user 1's items 4 (t=5) and 0 (t=8)
    expect(rows(split.validation!.targets)).toEqual([[], [4, 0]]);
    // test history t < 9; test window t >= 9: user 0's item 3, user 1's item 1 (a repeat: dropped)
    expect(rows(split.test.history)).toEqual([
      [0, 1, 2],
      [1, 4, 0],
    ]);
    expect(rows(split.test.targets)).toEqual([[3], []]);
  });

  it('has no validation fold unless asked, and checks alignment', () => {
    const split = temporalSplit(data, times, { testFraction: 0.25 });
    expect(split.validation).toBeUndefined();
    expect(rows(split.train)).toEqual([
      [0, 1, 2],
      [1, 4, 0],
    ]);
    expect(() => temporalSplit(data, times.subarray(1))).toThrow('must align');
  });
});

describe('randomSplit', () => {
  // user 0 has 10 items, user 1 has 5, user 2 one; items increase along each row so a row in
  // time order is a sorted row
  const data = fromSequences([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [10, 11, 12, 13, 14], [15]], 16);

  it('holds out round(n * fraction) items per user, keeps time order and a training item', () => {
    const split = randomSplit(data, { testFraction: 0.3, validationFraction: 0.2, seed: 3 });
    // user 0: round(3) test, round(2) validation, 5 train; user 1: round(1.5)=2, round(1)=1, 2
    // train; user 2: its single item stays in training
    expect(rows(split.test.targets).map((row) => row.length)).toEqual([3, 2, 0]);
    expect(rows(split.validation!.targets).map((row) => row.length)).toEqual([2, 1, 0]);
    expect(rows(split.train).map((row) => row.length)).toEqual([5, 2, 1]);
    for (let u = 0; u < 3; u++) {
      const parts = [
        ...rows(split.train)[u],
        ...rows(split.validation!.targets)[u],
        ...rows(split.test.targets)[u],
      ].sort((a, b) => a - b);
      expect(parts).toEqual(Array.from(userRow(data, u))); // a partition of the row
      const train = rows(split.train)[u];
      expect(train).toEqual(train.slice().sort((a, b) => a - b)); // time order kept
    }
  });

  it('replays from its seed', () => {
    const a = randomSplit(data, { seed: 11 });
    expect(rows(randomSplit(data, { seed: 11 }).test.targets)).toEqual(rows(a.test.targets));
    const differs = [12, 13, 14, 15].some(
      (seed) =>
        JSON.stringify(rows(randomSplit(data, { seed }).test.targets)) !==
        JSON.stringify(rows(a.test.targets)),
    );
    expect(differs).toBe(true);
  });
});

describe('userFoldSplits', () => {
  // ten users: user u has u + 1 items (ids continue from user to user)
  let next = 0;
  const sequences = Array.from({ length: 10 }, (_, u) => Array.from({ length: u + 1 }, () => next++));
  const data = fromSequences(sequences, next);

  it('puts every user in exactly one test fold and keeps held-out users out of training', () => {
    const folds = userFoldSplits(data, { folds: 5, seed: 1 });
    expect(folds).toHaveLength(5);
    const heldOutCount = new Int32Array(10);
    for (const fold of folds) {
      let inFold = 0;
      for (let u = 0; u < 10; u++) {
        const heldOut = userRow(fold.test.history, u).length > 0 || userRow(fold.test.targets, u).length > 0;
        if (!heldOut) continue;
        inFold++;
        heldOutCount[u]++;
        expect(userRow(fold.train, u).length).toBe(0);
      }
      expect(inFold).toBe(2); // 10 users / 5 folds
    }
    expect(Array.from(heldOutCount)).toEqual(new Array(10).fill(1));
  });

  it("takes a held-out user's latest items as targets", () => {
    const folds = userFoldSplits(data, { folds: 2, seed: 1, targetFraction: 0.2 });
    const foldOfUser9 = folds.find((fold) => userRow(fold.train, 9).length === 0)!;
    // user 9 has items 45..54: max(1, round(10 * 0.2)) = 2 targets, the last two
    expect(Array.from(userRow(foldOfUser9.test.targets, 9))).toEqual([53, 54]);
    expect(Array.from(userRow(foldOfUser9.test.history, 9))).toEqual([45, 46, 47, 48, 49, 50, 51, 52]);
    // user 0 has a single item: no target
    const foldOfUser0 = folds.find((fold) => userRow(fold.train, 0).length === 0)!;
    expect(Array.from(userRow(foldOfUser0.test.targets, 0))).toEqual([]);
  });

  it('rejects an impossible fold count', () => {
    expect(() => userFoldSplits(data, { folds: 1 })).toThrow('folds must be');
    expect(() => userFoldSplits(data, { folds: 11 })).toThrow('folds must be');
  });
});

describe('trainPlusValidation', () => {
  it('is each user minus only the test item under leave-one-out, never truncated', () => {
    // a 5-item user, a 3-item user, a 2-item user (no validation item) and a 1-item user (no target)
    const data = fromSequences([[0, 1, 2, 3, 4], [5, 6, 7], [1, 5], [2]], 8);
    const split = leaveOneOutSplit(data, { maxHistoryLength: 2 });
    expect(rows(split.train)).toEqual([[0, 1, 2], [5], [1], [2]]);
    // the validation items (3 and 6) come back; the test items (4, 7, 5) stay out
    expect(rows(trainPlusValidation(split))).toEqual([[0, 1, 2, 3], [5, 6], [1], [2]]);
  });

  it('adds back the validation window of a temporal split, and refuses a split without one', () => {
    const data = fromSequences(
      [
        [0, 1, 2, 3],
        [4, 5],
      ],
      6,
    );
    const times = Float64Array.from([1, 5, 6, 8, 2, 7]);
    // sorted times 1 2 5 6 7 8: test from 7 (index 4), validation from 5 (index 2)
    const split = temporalSplit(data, times, { testFraction: 2 / 6, validationFraction: 2 / 6 });
    expect(rows(split.train)).toEqual([[0], [4]]);
    expect(rows(trainPlusValidation(split))).toEqual([[0, 1, 2], [4]]);
    expect(() => trainPlusValidation(temporalSplit(data, times, { testFraction: 0.25 }))).toThrow(
      /needs a split with a validation fold/,
    );
  });
});

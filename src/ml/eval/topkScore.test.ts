import { describe, expect, it } from 'vitest';
import { DatasetParseError } from '../io/errors';
import { alignTopk, parseTopkText, scoreTopk, scoreTopkFiles, targetPositionsInList } from './topkScore';

// the split's users and targets, as our run's top-k file gives them
const ours = 'u1\ta\ta x y\nu2\tb\tx b\nu3\tc\tx y\n';
// another system: u1 finds a at 2, u2 finds b at 1, u3 misses; lines in another order
const theirs = 'u2\tb\tb x\nu1\ta\tx a y\n\nu3\tc\tx y z\n';

describe('scoreTopk', () => {
  it('scores HR and NDCG from the targets’ positions, by hand', () => {
    const score = scoreTopk(alignTopk(parseTopkText(ours), parseTopkText(theirs)), {
      ks: [1, 2],
      bootstrapResamples: 50,
    });
    expect(Array.from(score.perUser['HR@1'])).toEqual([0, 1, 0]);
    expect(Array.from(score.perUser['HR@2'])).toEqual([1, 1, 0]);
    // NDCG@2 of a hit at 2: 1 / log2(3) = 0.63093
    expect(score.perUser['NDCG@2'][0]).toBeCloseTo(0.63093, 5);
    expect(score.summary['NDCG@2'].mean).toBeCloseTo((0.63093 + 1) / 3, 5);
    expect(score.summary['HR@2'].mean).toBeCloseTo(2 / 3, 10);
    // MRR within the list: 1/2, 1, 0 (u3's c is not listed)
    expect(Array.from(score.perUser.MRR)).toEqual([0.5, 1, 0]);
    expect(score.summary['HR@2'].lower).toBeLessThanOrEqual(2 / 3);
    expect(score.summary['HR@2'].upper).toBeGreaterThanOrEqual(2 / 3);
  });

  it('finds several targets’ positions, ascending', () => {
    expect(targetPositionsInList({ targets: ['c', 'a', 'q'], items: ['a', 'b', 'c'] })).toEqual([1, 3]);
  });
});

describe('scoreTopkFiles', () => {
  it('scores both files alike and pairs them user by user', () => {
    const {
      ours: a,
      theirs: b,
      comparisons,
    } = scoreTopkFiles(ours, theirs, { ks: [1], bootstrapResamples: 20 });
    // ours: a at 1, b at 2, c missed -> HR@1 1, 0, 0; theirs: 0, 1, 0
    expect(Array.from(a.perUser['HR@1'])).toEqual([1, 0, 0]);
    expect(Array.from(b.perUser['HR@1'])).toEqual([0, 1, 0]);
    const hr1 = comparisons.find((c) => c.metric === 'HR@1')!;
    expect(hr1).toMatchObject({ meanOurs: 1 / 3, meanTheirs: 1 / 3, meanDifference: 0, users: 3 });
    // differences -1, +1, 0: of the 8 sign flips, all have |sum| >= 0
    expect(hr1.permutationP).toBe(1);
  });

  it('refuses a file at its first line that is not the split’s', () => {
    const refusal = (text: string) => {
      try {
        scoreTopkFiles(ours, text, { ks: [1] });
      } catch (error) {
        return error instanceof DatasetParseError ? error.message : String(error);
      }
      return 'accepted';
    };
    expect(refusal('u1\ta\ta\nu9\tb\tb\n')).toBe(
      'line 2: user "u9" is not one of the split\'s 3 evaluated users',
    );
    expect(refusal('u1\tz\ta\n')).toBe('line 1: user "u1" has targets "z" but the split holds out "a"');
    expect(refusal('u1\ta\ta\nu1\ta\ta\n')).toBe('line 2: user "u1" already has line 1');
    expect(refusal('u1\ta\ta\n')).toBe(
      'the file has no line for 2 of the split\'s 3 evaluated users, e.g. "u2"',
    );
    expect(refusal('u1 a a\n')).toBe(
      'line 1: expected user<TAB>targets<TAB>ranked items, found 1 tab-separated field(s)',
    );
    expect(refusal('u1\ta\ta b a\n')).toBe('line 1: item "a" is ranked twice');
    expect(refusal('u1\t\ta\n')).toBe('line 1: user "u1" has no targets');
  });
});

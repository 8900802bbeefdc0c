import { describe, expect, it } from 'vitest';
import type { RankedRow } from '../worker/store/protocol';
import { mergeRows } from './rowsMerge';

const row = (key: RankedRow['key'], ...items: number[]): RankedRow => ({
  key,
  items: items.map((item) => ({ item, score: 1, reason: { kind: 'popular' } })),
});

describe('mergeRows', () => {
  it('keeps the rows on screen, the same array, when an answer brings the same rows', () => {
    const shown = [row('forYou', 1, 2), row('trending', 3)];
    expect(mergeRows(shown, [row('forYou', 1, 2), row('trending', 3)])).toBe(shown);
  });

  it('replaces only the row that changed, keeping the others as they were', () => {
    const shown = [row('forYou', 1, 2), row('trending', 3)];
    const merged = mergeRows(shown, [row('forYou', 2, 1), row('trending', 3)]);
    expect(merged).not.toBe(shown);
    expect(merged[0]).toEqual(row('forYou', 2, 1));
    expect(merged[1]).toBe(shown[1]);
  });

  it('takes the answer whole when nothing was shown, or the rows asked for changed', () => {
    const next = [row('forYou', 1)];
    expect(mergeRows(undefined, next)).toBe(next);
    const shown = [row('becauseYouViewed', 4), row('forYou', 1)];
    expect(mergeRows(shown, next)).toEqual(next);
  });
});

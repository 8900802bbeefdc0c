import { describe, expect, it } from 'vitest';
import { keepWhenSame, recentlyViewedIds } from './recentlyViewed';

describe('recentlyViewedIds', () => {
  it('gives the last distinct views, newest first, ignoring other kinds', () => {
    const events = [
      { kind: 'view' as const, itemId: 1 },
      { kind: 'view' as const, itemId: 2 },
      { kind: 'impression' as const, itemId: 9 },
      { kind: 'view' as const, itemId: 1 },
      { kind: 'pageView' as const },
      { kind: 'view' as const, itemId: 3 },
    ];
    expect(recentlyViewedIds(events, 10)).toEqual([3, 1, 2]);
    expect(recentlyViewedIds(events, 2)).toEqual([3, 1]);
    expect(recentlyViewedIds([], 5)).toEqual([]);
  });
});

describe('keepWhenSame', () => {
  const id = (entry: { item: number }) => entry.item;
  it('keeps the previous array for the same ids in the same order', () => {
    const previous = [{ item: 1 }, { item: 2 }];
    expect(keepWhenSame(previous, [{ item: 1 }, { item: 2 }], id)).toBe(previous);
  });
  it('takes the new array when the order, the length or an id differs, or there was none', () => {
    const previous = [{ item: 1 }, { item: 2 }];
    const swapped = [{ item: 2 }, { item: 1 }];
    const longer = [{ item: 1 }, { item: 2 }, { item: 3 }];
    const other = [{ item: 1 }, { item: 4 }];
    expect(keepWhenSame(previous, swapped, id)).toBe(swapped);
    expect(keepWhenSame(previous, longer, id)).toBe(longer);
    expect(keepWhenSame(previous, other, id)).toBe(other);
    expect(keepWhenSame(null, other, id)).toBe(other);
  });
});

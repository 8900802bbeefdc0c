import { describe, expect, it } from 'vitest';
import { inTimeOrder, pageLabel, rowLabel, rowModel } from './labels';

describe('labels', () => {
  it('names rows, pages and the model that ranked a row', () => {
    expect(rowLabel('home:forYou')).toBe('For you');
    expect(rowLabel('home:somethingNew')).toBe('home:somethingNew');
    expect(pageLabel('game')).toBe('Product');
    expect(rowModel('home:forYou', 'hybrid')).toBe('learned blend');
    expect(rowModel('home:forYou', 'baseline')).toBe('baseline blend');
    expect(rowModel('home:forYou')).toBe('baseline blend');
    expect(rowModel('home:trending', 'hybrid')).toBe('popularity');
    expect(rowModel('home:recentlyViewed')).toBeUndefined();
  });

  it('orders by time, then by stored id', () => {
    const ordered = inTimeOrder([
      { id: 3, kind: 'view', at: 5, sessionId: 's' },
      { id: 2, kind: 'view', at: 5, sessionId: 's' },
      { id: 9, kind: 'view', at: 1, sessionId: 's' },
    ]);
    expect(ordered.map((e) => e.id)).toEqual([9, 2, 3]);
  });
});

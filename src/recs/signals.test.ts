import { describe, expect, it } from 'vitest';
import type { ShopperEvent } from '../data/types';
import { eventWeight, shopperSignals, viewedSignals } from './signals';

const at = (minute: number) => minute * 60_000;
const event = (
  kind: ShopperEvent['kind'],
  itemId: number,
  minute: number,
  extra: Partial<ShopperEvent> = {},
) => ({ kind, itemId, at: at(minute), sessionId: 's', ...extra }) as ShopperEvent;

describe('shopper signals', () => {
  it('weighs purchases over carts over views, and dwell by minutes spent', () => {
    expect(eventWeight(event('view', 1, 0))).toBe(1);
    expect(eventWeight(event('cartAdd', 1, 0))).toBe(3);
    expect(eventWeight(event('purchase', 1, 0))).toBe(5);
    // 90 s on a page = 1.5; anything past two minutes counts as two
    expect(eventWeight(event('dwell', 1, 0, { dwellMs: 90_000 }))).toBe(1.5);
    expect(eventWeight(event('dwell', 1, 0, { dwellMs: 600_000 }))).toBe(2);
    // a 5-star rating adds 4, a 2-star rating adds nothing (and hides the game)
    expect(eventWeight(event('rating', 1, 0, { rating: 5 }))).toBe(4);
    expect(eventWeight(event('rating', 1, 0, { rating: 2 }))).toBeLessThanOrEqual(0);
  });

  it('orders history by last interaction and sums weights per item', () => {
    const signals = shopperSignals([
      event('view', 7, 0),
      event('view', 8, 1),
      event('dwell', 7, 2, { dwellMs: 60_000 }),
      event('search', -1, 3, { itemId: undefined, query: 'rpg' }),
    ]);
    // 8 last touched at minute 1, 7 at minute 2: 7 is the most recent
    expect(signals.history).toEqual([8, 7]);
    // 7: view 1 + dwell 1 = 2
    expect(signals.weights).toEqual([1, 2]);
    expect(signals.verbs).toEqual(['viewed', 'viewed']);
  });

  it('knows what is owned, in the cart and hidden, and keeps hidden games out of history', () => {
    const signals = shopperSignals(
      [
        event('purchase', 1, 0),
        event('view', 2, 1),
        event('notInterested', 2, 2),
        event('recFeedback', 3, 3, { thumbs: 'down' }),
        event('rating', 4, 4, { rating: 1 }),
        event('cartAdd', 5, 5),
      ],
      { cart: [5] },
    );
    expect(signals.owned).toEqual([1]);
    expect(signals.inCart).toEqual([5]);
    expect(signals.hidden.sort()).toEqual([2, 3, 4]);
    expect(signals.history).toEqual([1, 5]);
    expect(signals.verbs).toEqual(['bought', 'added']);
  });

  it('keeps only the most recent items', () => {
    const events = Array.from({ length: 10 }, (_, i) => event('view', i, i));
    expect(shopperSignals(events, { maxHistory: 3 }).history).toEqual([7, 8, 9]);
  });

  it('leaves an unusable event out of the taste signals but keeps what the shopper owns', () => {
    const events = [
      { ...event('view', 7, 0), id: 1 },
      { ...event('view', 8, 1), id: 2 },
      { ...event('purchase', 9, 2), id: 3 },
      { ...event('view', 7, 3), id: 4 },
    ];
    const excluded = new Set([2, 3]);
    const signals = shopperSignals(events, { usable: (e) => !excluded.has(e.id ?? -1) });
    // game 8 was only seen in event 2 and game 9 only bought in event 3: neither teaches
    // the models; game 7's two views count 1 + 1
    expect(signals.history).toEqual([7]);
    expect(signals.weights).toEqual([2]);
    // a gift is still owned: it must not be recommended back
    expect(signals.owned).toEqual([9]);
  });
});

describe('viewedSignals', () => {
  it('is a shopper who only looked: every item viewed, weight 1 unless given, nothing excluded', () => {
    expect(viewedSignals([4, 2])).toEqual({
      history: [4, 2],
      weights: [1, 1],
      verbs: ['viewed', 'viewed'],
      owned: [],
      inCart: [],
      hidden: [],
    });
    expect(viewedSignals([4, 2], [3, 0.5]).weights).toEqual([3, 0.5]);
  });
});

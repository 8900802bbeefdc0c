import { describe, expect, it } from 'vitest';
import type { ShopperEvent } from '../data/types';
import { eventWeight, LiveSignals, shopperSignals, viewedSignals } from './signals';

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

describe('live signals, folded one appended event at a time', () => {
  const impression = (item: number, minute: number) =>
    event('impression', item, minute, { placement: 'home:forYou', position: 0 });

  it('gives what shopperSignals gives over the whole list after every append', () => {
    const live = new LiveSignals();
    const stream = [
      event('view', 7, 0),
      event('view', 8, 1),
      event('cartAdd', 7, 2),
      event('recFeedback', 8, 3, { thumbs: 'down' }),
      event('purchase', 9, 4),
      event('view', 8, 5),
    ];
    const events: ShopperEvent[] = [];
    for (const next of stream) {
      events.push(next);
      expect(live.update([...events], { cart: [7] })).toEqual(shopperSignals(events, { cart: [7] }));
    }
    // by hand: 8 is hidden (thumbs down); 7 was viewed (1) and carted (3) = 4, 9 bought = 5
    expect(live.update([...events], { cart: [7] })).toMatchObject({
      history: [7, 9],
      weights: [4, 5],
      verbs: ['added', 'bought'],
      owned: [9],
      hidden: [8],
      inCart: [7],
    });
  });

  it('returns the same object when an appended event changes nothing (an impression, a page view)', () => {
    const live = new LiveSignals();
    const view = event('view', 7, 0);
    const first = live.update([view]);
    const seen = [view, impression(3, 1)];
    expect(live.update(seen)).toBe(first);
    const browsed = [...seen, event('pageView', -1, 2, { itemId: undefined, page: 'home' })];
    expect(live.update(browsed)).toBe(first);
    const viewed = [...browsed, event('view', 8, 3)];
    const after = live.update(viewed);
    expect(after).not.toBe(first);
    expect(after.history).toEqual([7, 8]);
  });

  it('folds everything again when an event arrives out of time order, and agrees with shopperSignals', () => {
    const live = new LiveSignals();
    const events = [event('view', 1, 5), event('view', 2, 6)];
    live.update(events);
    const late = [...events, event('view', 3, 1)];
    // game 3 was viewed first (minute 1): it is the oldest in history, not the newest
    expect(live.update(late).history).toEqual([3, 1, 2]);
    expect(live.update(late)).toEqual(shopperSignals(late));
  });

  it('keeps the same signals when the same events come back from storage with ids', () => {
    const live = new LiveSignals();
    const before = live.update([event('view', 1, 0), event('purchase', 2, 1)]);
    const reloaded = [
      { ...event('view', 1, 0), id: 1 },
      { ...event('purchase', 2, 1), id: 2 },
    ];
    expect(live.update(reloaded)).toBe(before);
  });

  it('changes when the cart or the "don\'t use" marks change, with the same events', () => {
    const live = new LiveSignals();
    const events = [
      { ...event('view', 1, 0), id: 1 },
      { ...event('view', 2, 1), id: 2 },
    ];
    const before = live.update(events);
    const carted = live.update(events, { cart: [2] });
    expect(carted).not.toBe(before);
    expect(carted.inCart).toEqual([2]);
    const excluded = live.update(events, { cart: [2], usable: (e) => e.id !== 2 });
    expect(excluded.history).toEqual([1]);
  });
});

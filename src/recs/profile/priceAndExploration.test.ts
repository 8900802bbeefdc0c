import { describe, expect, it } from 'vitest';
import type { ShopperEvent } from '../../data/types';
import { profileCatalog } from './catalog';
import {
  applyEventToExploration,
  applyEventToPrice,
  emptyExploration,
  emptyPrice,
  summarizeExploration,
  summarizePrice,
} from './priceAndExploration';
import { event, game } from './testSupport';

// prices [0, 10, 20, 40] (median 15); four genres
const catalog = profileCatalog([
  game(0, { price: 0, genres: ['Action'] }),
  game(1, { price: 10, genres: ['Action', 'RPG'] }),
  game(2, { price: 20, genres: ['RPG'] }),
  game(3, { price: 40, genres: ['Strategy'] }),
  game(4, { price: null, genres: ['Puzzle'] }),
]);

const events = [
  event(1, 'view', 1, 1),
  event(2, 'view', 3, 2),
  event(3, 'view', 4, 3),
  event(4, 'purchase', 3, 4, { price: 30 }),
  event(5, 'cartAdd', 2, 5),
];

function foldPrice(list: ShopperEvent[]) {
  const state = emptyPrice();
  for (const e of list) applyEventToPrice(state, e, catalog.gameById.get(e.itemId!), catalog);
  return state;
}

function foldExploration(list: ShopperEvent[]) {
  const state = emptyExploration();
  for (const e of list) applyEventToExploration(state, e, catalog.gameById.get(e.itemId!));
  return state;
}

describe('price sensitivity', () => {
  it('compares the prices looked at and paid with the catalog', () => {
    const summary = summarizePrice(foldPrice(events), catalog);
    expect(summary).toEqual({
      // views of $10 and $40 (the unpriced game is left out)
      meanViewed: 25,
      meanBought: 30,
      catalogMedian: 15,
      // 25 and 30 are above 0, 10 and 20, below 40
      viewedPercentile: 75,
      boughtPercentile: 75,
      // gaps to the median: +25 (the $40 view), +15 (paid $30), −5 (the $10 view)
      evidence: [2, 4, 1],
    });
  });

  it('is empty before any priced view', () => {
    expect(summarizePrice(emptyPrice(), catalog)).toMatchObject({
      meanViewed: null,
      meanBought: null,
      viewedPercentile: null,
      evidence: [],
    });
  });
});

describe('exploration', () => {
  it('measures the genre spread of looks against the catalog’s genres', () => {
    const summary = summarizeExploration(foldExploration(events), catalog);
    // looks per genre: Action ½, RPG ½ (game 1 splits), Strategy 1, Puzzle 1 → shares ⅙ ⅙ ⅓ ⅓
    const entropy = (2 / 6) * Math.log(6) + (2 / 3) * Math.log(3);
    expect(summary.genreVariety).toBeCloseTo(entropy / Math.log(4), 12);
    expect(summary.looks).toBe(3);
    expect(summary.distinctGames).toBe(3);
    expect(summary.genresSeen).toBe(4);
    expect(summary.noveltyShare).toBe(1);
    // the views that first reached a genre, newest first (view 1 reached two)
    expect(summary.evidence).toEqual([3, 2, 1]);
  });

  it('is 0 for one genre and 1 for an even spread over all of them', () => {
    const oneGenre = [event(1, 'view', 0, 0), event(2, 'view', 0, 1)];
    expect(summarizeExploration(foldExploration(oneGenre), catalog).genreVariety).toBe(0);
    expect(summarizeExploration(foldExploration(oneGenre), catalog).noveltyShare).toBe(0.5);
    const even = [
      event(1, 'view', 0, 0),
      event(2, 'view', 2, 0),
      event(3, 'view', 3, 0),
      event(4, 'view', 4, 0),
    ];
    expect(summarizeExploration(foldExploration(even), catalog).genreVariety).toBeCloseTo(1, 12);
  });

  it('keeps the first look at each genre whatever the order', () => {
    expect(foldExploration([...events].reverse())).toEqual(foldExploration(events));
  });
});

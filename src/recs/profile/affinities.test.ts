import { describe, expect, it } from 'vitest';
import type { AffinityTable } from '../../data/profileTypes';
import type { ShopperEvent } from '../../data/types';
import {
  addContribution,
  affinityWeightAt,
  applyEventToAffinities,
  computeAffinities,
  emptyAffinities,
  rankAffinities,
} from './affinities';
import { profileCatalog } from './catalog';
import { event, game } from './testSupport';
import { dayMs } from './weights';

const strategyWar = game(1, {
  genres: ['Strategy'],
  tags: ['war'],
  developer: 'Dev',
  price: 20,
  released: '2012-01-01',
});
const strategyPuzzle = game(2, { genres: ['Strategy', 'Puzzle'], developer: 'Other', price: 0 });
const catalog = profileCatalog([strategyWar, strategyPuzzle]);

function fold(events: ShopperEvent[]): AffinityTable {
  const table = emptyAffinities();
  for (const e of events) applyEventToAffinities(table, e, catalog.gameById.get(e.itemId!)!);
  return table;
}

// view of game 1 on day 0 (1), purchase of it on day 30 (5), "not interested" in game 2 on day 30 (−4)
const events = [event(1, 'view', 1, 0), event(2, 'purchase', 1, 30), event(3, 'notInterested', 2, 30)];

describe('affinities', () => {
  it('sum strengths decayed to the newest event, with the strongest events as evidence', () => {
    const table = fold(events);
    // Strategy on day 30: 1 · ½ + 5 − 4 = 1.5; evidence by |contribution|: 5, −4, 0.5
    expect(table.genre.Strategy.mass).toBeCloseTo(1.5, 12);
    expect(table.genre.Strategy.refAt).toBe(30 * dayMs);
    expect(table.genre.Strategy.evidence.map((e) => e.eventId)).toEqual([2, 3, 1]);
    expect(table.genre.Strategy.evidence.map((e) => e.contribution)).toEqual([5, -4, 0.5]);
    // game 1 only: 0.5 + 5; game 2 only: −4
    expect(table.tag.war.mass).toBeCloseTo(5.5, 12);
    expect(table.developer.Dev.mass).toBeCloseTo(5.5, 12);
    expect(table.genre.Puzzle.mass).toBe(-4);
    expect(table.priceBand.from15to30.mass).toBeCloseTo(5.5, 12);
    expect(table.priceBand.free.mass).toBe(-4);
    expect(table.freeOrPaid.paid.mass).toBeCloseTo(5.5, 12);
    expect(table.releaseEra.from2010to2014.mass).toBeCloseTo(5.5, 12);
    expect(Object.keys(table.releaseEra)).toEqual(['from2010to2014']);
  });

  it('decay further when read later: one half-life halves every weight', () => {
    const table = fold(events);
    expect(affinityWeightAt(table.tag.war, 60 * dayMs)).toBeCloseTo(2.75, 12);
    expect(affinityWeightAt(table.tag.war, 30 * dayMs)).toBeCloseTo(5.5, 12);
    // a clock behind the newest event never grows a weight
    expect(affinityWeightAt(table.tag.war, 0)).toBeCloseTo(5.5, 12);
  });

  it('give the same table whatever order the events arrive in', () => {
    const reversed = fold([...events].reverse());
    const inOrder = fold(events);
    expect(reversed.genre.Strategy.mass).toBeCloseTo(inOrder.genre.Strategy.mass, 12);
    expect(reversed.genre.Strategy.refAt).toBe(inOrder.genre.Strategy.refAt);
    expect(reversed.genre.Strategy.evidence.map((e) => e.eventId)).toEqual([2, 3, 1]);
    expect(reversed.genre.Strategy.evidence[2].contribution).toBeCloseTo(0.5, 12);
  });

  it('add an earlier contribution decayed to the reference time', () => {
    const entry = { mass: 2, refAt: 60 * dayMs, evidence: [] };
    addContribution(entry, 4, 0, 9);
    // 4 from 60 days before: 4 · ¼ = 1
    expect(entry.mass).toBeCloseTo(3, 12);
    expect(entry.refAt).toBe(60 * dayMs);
    expect(entry.evidence).toEqual([{ eventId: 9, contribution: 1 }]);
  });

  it('count events without an id in the weight but not in the evidence', () => {
    const table = fold([{ ...event(0, 'view', 1, 0), id: undefined }]);
    expect(table.tag.war).toEqual({ mass: 1, refAt: 0, evidence: [] });
  });

  it('one event touches only its own game’s values', () => {
    const table = fold(events);
    const puzzleBefore = structuredClone(table.genre.Puzzle);
    applyEventToAffinities(table, event(4, 'view', 1, 90), strategyWar);
    expect(table.genre.Puzzle).toEqual(puzzleBefore);
    // war was at 5.5 on day 30: 5.5 · ⅛ + 1 on day 90
    expect(table.tag.war.mass).toBeCloseTo(5.5 / 4 + 1, 12);
  });

  it('computed in one pass equal the fold', () => {
    const many = [
      ...events,
      event(4, 'cartAdd', 2, 31),
      event(5, 'dwell', 1, 33, { dwellMs: 20_000 }),
      event(6, 'rating', 2, 45, { rating: 5 }),
      event(7, 'recFeedback', 1, 50, { thumbs: 'down' }),
      event(8, 'search', undefined, 51, { query: 'hex' }),
    ];
    const direct = computeAffinities(many, catalog);
    const folded = fold(many.filter((e) => e.itemId !== undefined));
    for (const dimension of Object.keys(folded) as (keyof AffinityTable)[]) {
      expect(Object.keys(direct[dimension]).sort()).toEqual(Object.keys(folded[dimension]).sort());
      for (const [value, entry] of Object.entries(folded[dimension])) {
        const other = direct[dimension][value];
        expect(other.mass).toBeCloseTo(entry.mass, 10);
        expect(other.refAt).toBe(entry.refAt);
        expect(other.evidence.map((e) => e.eventId)).toEqual(entry.evidence.map((e) => e.eventId));
      }
    }
  });

  it('rank by weight at a time, strongest first', () => {
    const ranked = rankAffinities(fold(events), 'genre', 30 * dayMs);
    expect(ranked.map((r) => r.value)).toEqual(['Strategy', 'Puzzle']);
    expect(ranked[0].weight).toBeCloseTo(1.5, 12);
    expect(ranked[0].evidence).toEqual([2, 3, 1]);
    expect(ranked[1]).toEqual({ value: 'Puzzle', weight: -4, evidence: [3] });
  });
});

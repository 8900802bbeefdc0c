import { describe, expect, it } from 'vitest';
import type { AffinityDimension, ShopperProfile } from '../../data/profileTypes';
import { affinityDimensions, shopperProfileSchemaVersion } from '../../data/profileTypes';
import type { EventKind, ShopperEvent } from '../../data/types';
import { createRng } from '../../ml/random';
import { profileCatalog } from './catalog';
import { emptyEdits, setAdjustment, setEventExcluded, setPriceCeiling } from './edits';
import { applyEvent, computeProfile, emptyProfile, viewProfile } from './profile';
import { event, game } from './testSupport';
import { dayMs } from './weights';

const genres = ['Strategy', 'RPG', 'Action', 'Puzzle', 'Simulation'];
const tags = ['war', 'hex', 'loot', 'cozy', 'space', 'roguelike'];
const games = Array.from({ length: 12 }, (_, id) =>
  game(id, {
    genres: [genres[id % 5], ...(id % 3 === 0 ? [genres[(id + 2) % 5]] : [])],
    tags: [tags[id % 6], tags[(id * 5 + 1) % 6]],
    developer: `Studio ${id % 4}`,
    price: id % 4 === 0 ? 0 : id === 7 ? null : 3 + id * 4,
    released: id === 5 ? null : `${1998 + id * 2}-06-01`,
  }),
);
const catalog = profileCatalog(games);

const kinds: EventKind[] = [
  'view',
  'view',
  'view',
  'dwell',
  'recClick',
  'search',
  'cartAdd',
  'cartRemove',
  'purchase',
  'rating',
  'notInterested',
  'recFeedback',
];

/** A random but plausible history: time moves forward, sometimes several events at once. */
function randomEvents(seed: number, count: number): ShopperEvent[] {
  const rng = createRng(seed);
  const events: ShopperEvent[] = [];
  let day = 0;
  let session = 0;
  for (let id = 1; id <= count; id++) {
    if (rng.next() < 0.8) day += rng.next() * 3;
    if (rng.next() < 0.15) session++;
    const kind = kinds[rng.nextInt(kinds.length)];
    // item 99 is not in the catalog: it counts as activity and nothing else
    const itemId = kind === 'search' ? undefined : rng.next() < 0.05 ? 99 : rng.nextInt(games.length);
    events.push(
      event(id, kind, itemId, day, {
        sessionId: `s${session}`,
        ...(kind === 'dwell' ? { dwellMs: rng.nextInt(60_000) } : {}),
        ...(kind === 'rating' ? { rating: 1 + rng.nextInt(5) } : {}),
        ...(kind === 'recFeedback' ? { thumbs: rng.next() < 0.5 ? ('up' as const) : ('down' as const) } : {}),
        ...(kind === 'purchase' && rng.next() < 0.5 ? { price: rng.nextInt(50) } : {}),
      }),
    );
  }
  return events;
}

/** Equal, except that affinity masses may differ by rounding (they are summed in other orders). */
function expectSameProfile(actual: ShopperProfile, expected: ShopperProfile): void {
  const { affinities: actualAffinities, ...actualRest } = actual;
  const { affinities: expectedAffinities, ...expectedRest } = expected;
  expect(actualRest).toEqual(expectedRest);
  for (const dimension of affinityDimensions) {
    const values = Object.keys(expectedAffinities[dimension]).sort();
    expect(Object.keys(actualAffinities[dimension]).sort(), dimension).toEqual(values);
    for (const value of values) {
      const a = actualAffinities[dimension][value];
      const e = expectedAffinities[dimension][value];
      expect(a.refAt, `${dimension} ${value}`).toBe(e.refAt);
      expect(a.mass, `${dimension} ${value}`).toBeCloseTo(e.mass, 9);
      expect(
        a.evidence.map((x) => x.eventId),
        `${dimension} ${value}`,
      ).toEqual(e.evidence.map((x) => x.eventId));
      a.evidence.forEach((x, i) => expect(x.contribution).toBeCloseTo(e.evidence[i].contribution, 9));
    }
  }
}

describe('the shopper profile', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`folded one event at a time equals the profile computed from scratch (seed ${seed})`, () => {
      const events = randomEvents(seed, 300);
      let profile = emptyProfile();
      events.forEach((e, i) => {
        applyEvent(profile, e, catalog);
        // stored and read back now and then, as the worker would
        if (i % 25 === 0) profile = structuredClone(profile);
      });
      const fromScratch = computeProfile(events, catalog, emptyEdits());
      expectSameProfile(profile, fromScratch);
      expect(fromScratch.activity.eventCount).toBe(300);
      expect(Object.keys(fromScratch.affinities.genre).length).toBeGreaterThan(2);
    });
  }

  it('folded or computed from events in any order is the same profile (an import arrives unsorted)', () => {
    const events = randomEvents(5, 200);
    const rng = createRng(11);
    const shuffled = [...events].sort(() => rng.next() - 0.5);
    const inOrder = computeProfile(events, catalog, emptyEdits());
    expectSameProfile(computeProfile(shuffled, catalog, emptyEdits()), inOrder);
    const folded = emptyProfile();
    for (const e of shuffled) applyEvent(folded, e, catalog);
    expectSameProfile(folded, inOrder);
  });

  it('leaves out events marked "don’t use" and events before a reset', () => {
    const events = [
      event(1, 'view', 0, 0),
      event(2, 'purchase', 1, 1),
      event(3, 'view', 2, 2),
      event(4, 'view', 3, 3),
    ];
    const edits = { ...setEventExcluded(emptyEdits(), 2, true), resetAt: 0 };
    const profile = computeProfile(events, catalog, edits);
    expectSameProfile(profile, computeProfile([events[2], events[3]], catalog, emptyEdits()));
    expect(profile.purchases.count).toBe(0);
    expect(profile.activity.eventCount).toBe(2);
  });

  it('starts empty at the current schema version', () => {
    const profile = emptyProfile();
    expect(profile.schemaVersion).toBe(shopperProfileSchemaVersion);
    expect(computeProfile([], catalog, emptyEdits())).toEqual(profile);
  });
});

describe('reading the profile', () => {
  // games 5 and 10 are Strategy only, game 1 is RPG only
  const events = [
    event(1, 'view', 5, 0, { sessionId: 'a' }),
    event(2, 'view', 10, 1, { sessionId: 'a' }),
    event(3, 'purchase', 10, 2, { sessionId: 'b', price: 40 }),
    event(4, 'notInterested', 1, 2, { sessionId: 'b' }),
  ];
  const profile = computeProfile(events, catalog, emptyEdits());

  it('decays the affinities to now and ranks them, strongest first', () => {
    const view = viewProfile(profile, emptyEdits(), { catalog, community: null, now: 32 * dayMs });
    // Strategy (games 5 and 10): 1 · 2^(−2/30) + 1 · 2^(−1/30) + 5 on day 2, then 30 days → half
    const strategy = (Math.pow(2, -2 / 30) + Math.pow(2, -1 / 30) + 5) / 2;
    expect(view.affinities.genre[0].value).toBe('Strategy');
    expect(view.affinities.genre[0].weight).toBeCloseTo(strategy, 12);
    expect(view.affinities.genre[0].evidence).toEqual([3, 2, 1]);
    // game 1 is RPG: −4, halved
    expect(view.affinities.genre.at(-1)).toEqual({
      value: 'RPG',
      weight: -2,
      evidence: [4],
      adjustment: null,
    });
    expect(view.activity.sessions).toBe(2);
    expect(view.purchases.monetary).toBe(40);
    expect(view.purchases.percentiles.monetary).toBeNull();
    expect(view.at).toBe(32 * dayMs);
  });

  it('marks boosts and mutes, lists adjusted values with no events, and carries the ceiling', () => {
    let edits = setAdjustment(emptyEdits(), 'genre', 'Strategy', 'mute');
    edits = setAdjustment(edits, 'genre', 'Simulation', 'boost');
    edits = setPriceCeiling(edits, 25);
    const view = viewProfile(profile, edits, { catalog, community: null, now: 2 * dayMs });
    const byValue = Object.fromEntries(view.affinities.genre.map((a) => [a.value, a]));
    expect(byValue.Strategy.adjustment).toBe('mute');
    expect(byValue.Simulation).toEqual({ value: 'Simulation', weight: 0, evidence: [], adjustment: 'boost' });
    expect(view.affinities.genre.map((a) => a.value)).toEqual(['Strategy', 'Simulation', 'RPG']);
    expect(view.priceCeiling).toBe(25);
    const dimensions: AffinityDimension[] = ['priceBand', 'releaseEra', 'freeOrPaid'];
    for (const dimension of dimensions) {
      expect(view.affinities[dimension].every((a) => a.adjustment === null)).toBe(true);
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { ProfileEdits } from '../../data/profileTypes';
import { rowNeutralEventKinds } from '../../data/stateVersion';
import type { Game, ShopperEvent } from '../../data/types';
import { emptyEdits, setAdjustment } from '../../recs/profile/edits';
import { shopperSignalOptions } from '../../recs/shopperSignalOptions';
import { LiveSignals } from '../../recs/signals';
import type { FirstRowsDocument } from '../../worker/store/firstRows';
import { homeRequestKey, homeRowRequests, newShopperHomeRequest } from '../../worker/store/homeRequest';
import type { RankedRow } from '../../worker/store/protocol';
import {
  parseFirstRows,
  parseSavedRows,
  rowsToKeep,
  rowsToPaint,
  rowsToPaintEarly,
  savedRowsVersion,
  type SavedRows,
} from './paintSources';

/** The key of the home request a page sends for these stored events and edits (as Home.svelte builds it). */
function keyFor(events: ShopperEvent[], edits: ProfileEdits = emptyEdits(), cart: number[] = []): string {
  const signals = new LiveSignals().update(events, shopperSignalOptions({ cart, edits, popularity: 0.5 }));
  const lastViewed = events.findLast((e) => e.kind === 'view' || e.kind === 'purchase')?.itemId;
  return homeRequestKey({ signals, rows: homeRowRequests(lastViewed), diversity: 0.3 });
}

const event = (id: number, kind: ShopperEvent['kind'], itemId?: number): ShopperEvent => ({
  id,
  kind,
  at: 1_000 * id,
  sessionId: 's1',
  ...(itemId === undefined ? {} : { itemId }),
});

const game = (id: number): Game => ({
  id,
  appId: String(id),
  title: `Game ${id}`,
  price: 9.99,
  genres: ['Action'],
  tags: [],
  developer: 'Studio',
  released: null,
  earlyAccess: false,
});

const rows = (blend: 'baseline' | 'hybrid', first = 7): RankedRow[] => [
  { key: 'forYou', items: [{ item: first, score: 1, reason: { kind: 'popular' } }], blend },
  { key: 'trending', items: [{ item: 8, score: 1, reason: { kind: 'trending' } }] },
];

const newShopperKey = homeRequestKey(newShopperHomeRequest());
const build: FirstRowsDocument = {
  buildId: 'build-1',
  modes: { full: { requestKey: newShopperKey, rows: rows('baseline', 1), games: [game(1), game(8)] } },
};

/** Two views stored last visit: the rows that visit showed, kept with its request's key. */
const lastVisitEvents = [event(1, 'view', 3), event(2, 'pageView'), event(3, 'view', 5)];
const saved: SavedRows = {
  version: savedRowsVersion,
  buildId: 'build-1',
  mode: 'full',
  stateVersion: 'v-2',
  requestKey: keyFor(lastVisitEvents),
  rows: rows('baseline'),
  games: [game(7), game(8)],
};

const paint = (requestKey: string, overrides: Partial<Parameters<typeof rowsToPaint>[0]> = {}) =>
  rowsToPaint({ requestKey, mode: 'full', build, saved, ...overrides })?.source ?? 'worker';

describe('which rows the home page paints before the worker answers', () => {
  it("paints the build's rows for a shopper with nothing stored", () => {
    expect(keyFor([])).toBe(newShopperKey);
    expect(rowsToPaint({ requestKey: keyFor([]), mode: 'full', build, saved: null })).toEqual({
      source: 'build',
      rows: build.modes.full,
    });
  });

  it('paints the kept rows when the stored state is the one they were ranked from', () => {
    expect(paint(keyFor(lastVisitEvents))).toBe('saved');
  });

  it('waits for the worker after one new event that changes the signals', () => {
    expect(paint(keyFor([...lastVisitEvents, event(4, 'view', 9)]))).toBe('worker');
    // a purchase of a game already viewed changes no history, but makes it owned
    expect(paint(keyFor([...lastVisitEvents, event(4, 'purchase', 3)]))).toBe('worker');
  });

  it('paints the kept rows after an event that cannot change a ranking (an impression, a page view)', () => {
    // the rows are a function of the request, and these events leave every signal as it was
    expect(paint(keyFor([...lastVisitEvents, event(4, 'impression', 7), event(5, 'pageView')]))).toBe(
      'saved',
    );
  });

  it('no event kind whose write keeps the state version (data/stateVersion.ts) changes the key', () => {
    for (const kind of rowNeutralEventKinds)
      expect(keyFor([...lastVisitEvents, event(4, kind, 7)]), kind).toBe(keyFor(lastVisitEvents));
  });

  it('waits for the worker after the shopper edited their preferences', () => {
    const muted = setAdjustment(emptyEdits(), 'genre', 'Action', 'mute');
    expect(paint(keyFor(lastVisitEvents, muted))).toBe('worker');
    expect(paint(keyFor(lastVisitEvents, { ...emptyEdits(), priceCeiling: 20 }))).toBe('worker');
  });

  it("waits for the worker after another tab's event (read from storage at load) or a cart change", () => {
    const otherTab = [...lastVisitEvents, event(4, 'cartAdd', 11)];
    expect(paint(keyFor(otherTab))).toBe('worker');
    expect(paint(keyFor(lastVisitEvents, emptyEdits(), [11]))).toBe('worker');
  });

  it('waits for the worker under another build, another training mode, or no build rows at all', () => {
    const key = keyFor(lastVisitEvents);
    expect(paint(key, { build: { ...build, buildId: 'build-2' } })).toBe('worker');
    expect(paint(key, { mode: 'quick' })).toBe('worker');
    expect(paint(key, { build: null })).toBe('worker');
  });

  it('never paints rows the learned blend ranked: the worker answers first from the baselines', () => {
    expect(paint(keyFor(lastVisitEvents), { saved: { ...saved, rows: rows('hybrid') } })).toBe('worker');
  });
});

describe('which rows the page paints in its first milliseconds, from the state version alone', () => {
  const early = (overrides: Partial<Parameters<typeof rowsToPaintEarly>[0]>) =>
    rowsToPaintEarly({ mode: 'full', build, saved, stateVersion: 'v-2', ...overrides })?.source ?? 'later';

  it("paints the build's rows while no write that changes a row was ever made", () => {
    expect(early({ stateVersion: null })).toBe('build');
    expect(rowsToPaintEarly({ mode: 'full', build, saved: null, stateVersion: null })?.rows).toBe(
      build.modes.full,
    );
    // no rows for this mode, or no build rows at all (the dev server): nothing early
    expect(early({ stateVersion: null, mode: 'quick' })).toBe('later');
    expect(early({ stateVersion: null, build: null })).toBe('later');
  });

  it('paints the kept rows under the version they were asked for, and nothing after a write', () => {
    expect(early({})).toBe('saved');
    // a write bumped the version (this tab's, another tab's, or a crash before the write)
    expect(early({ stateVersion: 'v-3' })).toBe('later');
    expect(early({ saved: { ...saved, stateVersion: null } })).toBe('later');
    expect(early({ saved: null })).toBe('later');
  });

  it('paints no kept rows of another build or mode, nor any the learned blend ranked', () => {
    expect(early({ build: { ...build, buildId: 'build-2' } })).toBe('later');
    expect(early({ mode: 'quick' })).toBe('later');
    expect(early({ saved: { ...saved, rows: rows('hybrid') } })).toBe('later');
  });
});

describe('which answered rows the page keeps for the next visit', () => {
  const answered = {
    requestKey: keyFor(lastVisitEvents),
    rows: rows('baseline'),
    games: [game(7)],
    stateVersion: 'v-2',
  };

  it('keeps baseline rows with the build, the mode and the request they answer', () => {
    expect(rowsToKeep(answered, { mode: 'quick', build })).toEqual({
      version: savedRowsVersion,
      buildId: 'build-1',
      mode: 'quick',
      ...answered,
    });
  });

  it('keeps nothing the build already holds, nothing the learned blend ranked, nothing without build rows', () => {
    expect(rowsToKeep({ ...answered, requestKey: newShopperKey }, { mode: 'full', build })).toBeNull();
    expect(rowsToKeep({ ...answered, rows: rows('hybrid') }, { mode: 'full', build })).toBeNull();
    expect(rowsToKeep(answered, { mode: 'full', build: null })).toBeNull();
  });
});

describe('reading what was stored', () => {
  it('reads back what was written, and nothing from damaged or older copies', () => {
    expect(parseSavedRows(JSON.stringify(saved))).toEqual(saved);
    expect(parseSavedRows('{"version":1')).toBeNull();
    expect(parseSavedRows(JSON.stringify({ ...saved, version: 0 }))).toBeNull();
    expect(parseSavedRows(JSON.stringify({ ...saved, mode: 'fast' }))).toBeNull();
    expect(parseSavedRows(JSON.stringify({ ...saved, stateVersion: 3 }))).toBeNull();
    const { stateVersion: _dropped, ...versionOne } = { ...saved, version: 1 };
    expect(parseSavedRows(JSON.stringify(versionOne))).toBeNull();
    expect(parseSavedRows(JSON.stringify({ ...saved, games: [{ id: 7 }] }))).toBeNull();
    expect(
      parseSavedRows(JSON.stringify({ ...saved, rows: [{ key: 'forYou', items: [{ item: 'x' }] }] })),
    ).toBeNull();
    expect(parseSavedRows(null)).toBeNull();
    expect(parseFirstRows(JSON.stringify(build))).toEqual(build);
    expect(parseFirstRows(JSON.stringify({ ...build, modes: { fast: build.modes.full } }))).toBeNull();
  });
});

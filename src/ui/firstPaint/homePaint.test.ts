import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AisleDb } from '../../data/db';
import { eraseEverything } from '../../data/erase';
import { cleanUpAfterEach, fakeStorage, freshDb } from '../../data/testSupport';
import type { Game } from '../../data/types';
import {
  bumpStateVersion,
  keptMarkupStorageKey,
  keptRowsStorageKey,
  stateVersionKey,
} from '../../data/stateVersion';
import type { FirstRowsDocument } from '../../worker/store/firstRows';
import { homeRequestKey, newShopperHomeRequest } from '../../worker/store/homeRequest';
import type { RankedRow } from '../../worker/store/protocol';
import { forgetKeptHomeRows, HomePaint, keepDelayMs, type HomePaintEnvironment } from './homePaint';

const game: Game = {
  id: 7,
  appId: '7',
  title: 'Game 7',
  price: 5,
  genres: ['Indie'],
  tags: [],
  developer: 'Studio',
  released: null,
  earlyAccess: false,
};
const rows: RankedRow[] = [
  { key: 'forYou', items: [{ item: 7, score: 1, reason: { kind: 'popular' } }], blend: 'baseline' },
];
const newShopperKey = homeRequestKey(newShopperHomeRequest());
const build: FirstRowsDocument = {
  buildId: 'build-1',
  modes: { full: { requestKey: newShopperKey, rows: [], games: [] } },
};

let db: AisleDb | undefined;
cleanUpAfterEach(() => db);

function paintWith(
  storage: Storage,
  mayKeep = () => true,
  homeMarkup: HomePaintEnvironment['homeMarkup'] = () => null,
): HomePaint {
  const env: HomePaintEnvironment = {
    buildRowsText: () => JSON.stringify(build),
    storage: () => storage,
    mode: 'full',
    mayKeep,
    homeMarkup,
  };
  return new HomePaint(env);
}

/** `storage`, except that writing `fullKey` fails as a full localStorage does. */
function fullFor(fullKey: string, storage: Storage): Storage {
  return {
    ...storage,
    getItem: (key) => storage.getItem(key),
    removeItem: (key) => storage.removeItem(key),
    setItem: (key, value) => {
      if (key === fullKey) throw new DOMException('full', 'QuotaExceededError');
      storage.setItem(key, value);
    },
  };
}

describe('HomePaint', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps the answered rows a moment later, and the next visit paints them for the same request', () => {
    const storage = fakeStorage({});
    paintWith(storage).keep({ requestKey: 'two views', rows, games: () => [game], stateVersion: null });
    expect(storage.getItem(keptRowsStorageKey)).toBeNull(); // not on the click's path
    vi.advanceTimersByTime(keepDelayMs);
    const nextVisit = paintWith(storage);
    expect(nextVisit.paint('two views')).toEqual({
      source: 'saved',
      requestKey: 'two views',
      rows,
      games: [game],
    });
    expect(nextVisit.paint('three views')).toBeNull();
  });

  it('paints the kept rows at once only while the state version is the one they were asked under', () => {
    const storage = fakeStorage({ [stateVersionKey]: 'v-1' });
    const paint = paintWith(storage);
    const version = paint.stateVersionFor('two views');
    expect(version).toBe('v-1');
    paint.keep({ requestKey: 'two views', rows, games: () => [game], stateVersion: version });
    vi.advanceTimersByTime(keepDelayMs);
    expect(paintWith(storage).paintEarly()).toEqual({
      source: 'saved',
      requestKey: 'two views',
      rows,
      games: [game],
    });
    bumpStateVersion(storage); // a write that may change the rows begins
    expect(paintWith(storage).paintEarly()).toBeNull();
  });

  it("paints the build's rows at once while no version was ever written", () => {
    expect(paintWith(fakeStorage({})).paintEarly()?.source).toBe('build');
    expect(paintWith(fakeStorage({ [stateVersionKey]: 'v-1' })).paintEarly()).toBeNull();
  });

  it("writes a version for a shopper stored before versions were kept, so the build's rows stop", () => {
    const storage = fakeStorage({});
    expect(paintWith(storage).stateVersionFor(newShopperKey)).toBeNull();
    expect(storage.getItem(stateVersionKey)).toBeNull();
    const version = paintWith(storage).stateVersionFor('two views');
    expect(version).not.toBeNull();
    expect(storage.getItem(stateVersionKey)).toBe(version);
    expect(paintWith(storage).paintEarly()).toBeNull();
  });

  it('after a write that began since the request, keeps only once the version has held still', () => {
    const storage = fakeStorage({ [stateVersionKey]: 'v-1' });
    paintWith(storage).keep({ requestKey: 'two views', rows, games: () => [game], stateVersion: 'v-1' });
    bumpStateVersion(storage);
    vi.advanceTimersByTime(keepDelayMs);
    expect(storage.getItem(keptRowsStorageKey)).toBeNull();
    // the write changed no row (no newer request cancelled the keeping): kept under its version
    vi.advanceTimersByTime(keepDelayMs);
    expect(paintWith(storage).paintEarly()?.source).toBe('saved');
  });

  it('keeps nothing for an answer a newer request superseded', () => {
    const storage = fakeStorage({});
    const paint = paintWith(storage);
    paint.keep({ requestKey: 'two views', rows, games: () => [game], stateVersion: null });
    paint.cancelKeep();
    vi.advanceTimersByTime(keepDelayMs);
    expect(storage.length).toBe(0);
  });

  it('with a passphrase set, neither paints the kept rows nor keeps new ones, and removes the old', () => {
    const storage = fakeStorage({});
    paintWith(storage).keep({ requestKey: 'two views', rows, games: () => [game], stateVersion: null });
    vi.advanceTimersByTime(keepDelayMs);
    const sealed = paintWith(storage, () => false);
    expect(sealed.paint('two views')).toBeNull();
    sealed.keep({ requestKey: 'two views', rows, games: () => [game], stateVersion: null });
    vi.advanceTimersByTime(keepDelayMs);
    expect(storage.getItem(keptRowsStorageKey)).toBeNull();
  });

  it('a damaged copy or a refused storage paints nothing and throws nothing', () => {
    expect(paintWith(fakeStorage({ [keptRowsStorageKey]: '{"version":1,' })).paint('two views')).toBeNull();
    const refusing = {
      ...fakeStorage({}),
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const paint = paintWith(refusing as Storage);
    expect(paint.paint('two views')).toBeNull();
    paint.keep({ requestKey: 'two views', rows, games: () => [game], stateVersion: null });
    expect(() => vi.advanceTimersByTime(keepDelayMs)).not.toThrow();
  });
});

describe('HomePaint keeps the "For you" markup for the early paint', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const drawn = '<section data-testid="row-home:forYou"></section>';
  const keptMarkup = (storage: Storage) => JSON.parse(storage.getItem(keptMarkupStorageKey) ?? 'null');

  it('beside the rows, under their state version, asking the page for the row it answered', () => {
    const storage = fakeStorage({ [stateVersionKey]: 'v-1' });
    const asked: (readonly number[])[] = [];
    const markupOf = (items: readonly number[]) => (asked.push(items), drawn);
    paintWith(storage, () => true, markupOf).keep({
      requestKey: 'two views',
      rows,
      games: () => [game],
      stateVersion: 'v-1',
    });
    vi.advanceTimersByTime(keepDelayMs);
    expect(asked).toEqual([[7]]);
    expect(keptMarkup(storage)).toEqual({
      version: 1,
      buildId: 'build-1',
      mode: 'full',
      stateVersion: 'v-1',
      markup: drawn,
    });
  });

  it("for a new shopper's rows too (the build's), under no state version, which the rows' record leaves out", () => {
    const storage = fakeStorage({});
    paintWith(
      storage,
      () => true,
      () => drawn,
    ).keep({ requestKey: newShopperKey, rows, games: () => [game], stateVersion: null });
    vi.advanceTimersByTime(keepDelayMs);
    expect(storage.getItem(keptRowsStorageKey)).toBeNull();
    expect(keptMarkup(storage)?.stateVersion).toBeNull();
  });

  it('keeps none where the next first render would not draw those cards from kept rows', () => {
    // a token, and rows the build holds (a shopper back to a new one's state): no record, no markup
    const storage = fakeStorage({ [stateVersionKey]: 'v-1' });
    const keep = (paint: HomePaint, requestKey: string) => {
      paint.keep({ requestKey, rows, games: () => [game], stateVersion: 'v-1' });
      vi.advanceTimersByTime(keepDelayMs);
    };
    keep(
      paintWith(
        storage,
        () => true,
        () => drawn,
      ),
      newShopperKey,
    );
    expect(keptMarkup(storage)).toBeNull();
    // the rows' record could not be written (storage full): no markup either
    const full = fullFor(keptRowsStorageKey, storage);
    keep(
      paintWith(
        full,
        () => true,
        () => drawn,
      ),
      'two views',
    );
    expect(keptMarkup(storage)).toBeNull();
  });

  it('removes the kept markup when the blend ranked the row or a passphrase is set; a visit begun elsewhere leaves it', () => {
    const storage = fakeStorage({ [stateVersionKey]: 'v-1' });
    const keepOnce = (mayKeep: boolean, markup: string | null, answered = rows) => {
      paintWith(
        storage,
        () => mayKeep,
        () => markup,
      ).keep({ requestKey: 'two views', rows: answered, games: () => [game], stateVersion: 'v-1' });
      vi.advanceTimersByTime(keepDelayMs);
    };
    keepOnce(true, drawn);
    expect(keptMarkup(storage)?.markup).toBe(drawn);
    // this visit began on another page: nothing to copy, and the copy kept under the same state stays
    keepOnce(true, null);
    expect(keptMarkup(storage)?.markup).toBe(drawn);
    keepOnce(true, drawn, [{ ...rows[0], blend: 'hybrid' }]);
    expect(keptMarkup(storage)).toBeNull();
    keepOnce(true, drawn);
    keepOnce(false, drawn); // sealed: taste in plain text
    expect(keptMarkup(storage)).toBeNull();
  });

  it('a markup that does not fit leaves the rows just kept', () => {
    const storage = fakeStorage({ [stateVersionKey]: 'v-1' });
    const full = fullFor(keptMarkupStorageKey, storage);
    paintWith(
      full,
      () => true,
      () => drawn,
    ).keep({ requestKey: 'two views', rows, games: () => [game], stateVersion: 'v-1' });
    vi.advanceTimersByTime(keepDelayMs);
    expect(keptMarkup(storage)).toBeNull();
    expect(storage.getItem(keptRowsStorageKey)).not.toBeNull();
  });
});

describe('setting a passphrase', () => {
  it('removes the kept rows and the kept markup (forgetKeptHomeRows, called by the vault)', () => {
    const storage = fakeStorage({
      [keptRowsStorageKey]: '{}',
      [keptMarkupStorageKey]: '{}',
      [stateVersionKey]: 'v-1',
    });
    forgetKeptHomeRows(storage);
    expect([storage.getItem(keptRowsStorageKey), storage.getItem(keptMarkupStorageKey)]).toEqual([
      null,
      null,
    ]);
    expect(storage.getItem(stateVersionKey)).toBe('v-1'); // the keyring's write bumps it, not this
  });
});

describe('erase everything', () => {
  it('removes the kept rows: the next visit has none to paint', async () => {
    vi.useFakeTimers();
    const storage = fakeStorage({});
    paintWith(storage).keep({ requestKey: 'two views', rows, games: () => [game], stateVersion: null });
    vi.advanceTimersByTime(keepDelayMs);
    vi.useRealTimers();
    db = freshDb();
    const report = await eraseEverything({ db, localStorage: storage, sessionStorage: fakeStorage({}) });
    // the version is bumped first (an erase stopped half-way leaves the kept rows invalid), then cleared
    expect(report.localStorageKeys).toEqual([keptRowsStorageKey, stateVersionKey]);
    expect(storage.length).toBe(0);
    expect(paintWith(storage).paint('two views')).toBeNull();
    expect(paintWith(storage).paintEarly()?.source).toBe('build');
  });
});

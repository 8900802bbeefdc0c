import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addToCart } from './cart';
import type { AisleDb } from './db';
import {
  decodeJson,
  encodeJson,
  eraseEverything,
  exportAll,
  importAll,
  parseImport,
  type AisleExport,
} from './portability';
import { setShopperEmbedding, setProfileValue } from './profile';
import { setSetting } from './settings';
import { freshDb } from './testSupport';
import type { ShopperEvent } from './types';

let db: AisleDb;
afterEach(async () => {
  vi.restoreAllMocks();
  await db?.delete();
});

const sampleEvents: ShopperEvent[] = [
  { kind: 'view', at: 1_000, sessionId: 's1', itemId: 4 },
  { kind: 'dwell', at: 1_500, sessionId: 's1', itemId: 4, dwellMs: 4_200 },
  { kind: 'search', at: 2_000, sessionId: 's1', query: 'cozy farming' },
  { kind: 'recClick', at: 2_500, sessionId: 's1', itemId: 9, placement: 'home:forYou', position: 2 },
  { kind: 'rating', at: 3_000, sessionId: 's2', itemId: 9, rating: 5 },
  { kind: 'recFeedback', at: 3_100, sessionId: 's2', itemId: 11, placement: 'game:similar', thumbs: 'down' },
  { kind: 'purchase', at: 3_200, sessionId: 's2', itemId: 9, price: 14.99 },
  { kind: 'pageView', at: 3_300, sessionId: 's2', page: 'home' },
  {
    kind: 'impression',
    at: 3_400,
    sessionId: 's2',
    itemId: 12,
    placement: 'home:forYou',
    position: 0,
    model: 'co-occurrence',
    reason: 'becauseYouInteracted',
  },
  { kind: 'satisfaction', at: 3_500, sessionId: 's2', answer: 'notUseful' },
];

async function seed(target: AisleDb) {
  await target.events.bulkAdd(sampleEvents.map((e) => ({ ...e })));
  await addToCart(target, 12, 500);
  await setSetting(target, 'diversity', 0.6);
  await setSetting(target, 'activeModel', 'sasrec');
  await setProfileValue(target, 'genreAffinity', { Simulation: 0.9, Puzzle: 0.1 }, 40);
  await setShopperEmbedding(
    target,
    { model: 'mf', vector: new Float32Array([0.1, -2.5, 1e-7]), dataHash: 'h' },
    41,
  );
}

const snapshotOf = async (target: AisleDb) => ({
  events: await target.events.orderBy('id').toArray(),
  cart: await target.cart.toArray(),
  settings: await target.settings.toArray(),
  profile: await target.profile.toArray(),
});

const withEvents = (data: AisleExport, events: unknown[]) => JSON.stringify({ ...data, events });

describe('export, erase, import', () => {
  it('export -> JSON text -> erase -> import restores identical data', async () => {
    db = freshDb();
    await seed(db);
    const before = await snapshotOf(db);
    const text = JSON.stringify(await exportAll(db, new Date('2025-01-02T03:04:05Z')));

    const report = await eraseEverything({ db, caches: undefined });
    expect(report.databases).toContain(db.name);
    expect(await db.events.count()).toBe(0); // the same object reopens, empty

    const parsed = parseImport(text);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.data.exportedAt).toBe('2025-01-02T03:04:05.000Z');
    const summary = await importAll(db, parsed.data, 'replace');
    expect(summary).toEqual({ events: sampleEvents.length, cart: 1, settings: 2, profile: 2 });

    const after = await snapshotOf(db);
    expect(after).toEqual(before);
    const embedding = after.profile.find((r) => r.key === 'shopperEmbedding')!.value as {
      vector: Float32Array;
    };
    expect(embedding.vector).toBeInstanceOf(Float32Array);
  });

  it('merge adds only what is new and keeps existing rows', async () => {
    db = freshDb();
    await seed(db);
    const data = await exportAll(db);
    const extra: ShopperEvent = { kind: 'view', at: 9_000, sessionId: 's9', itemId: 77 };
    data.events.push({ ...extra, id: 1 }); // an id clash from another device must not matter
    data.cart.push({ itemId: 13, addedAt: 600 });
    data.profile[0] = { ...data.profile[0], value: { Simulation: 0 }, updatedAt: 1 }; // older: ignored
    data.profile[1] = {
      ...data.profile[1],
      value: { model: 'mf', vector: [1], dataHash: 'h2' },
      updatedAt: 100,
    };

    const summary = await importAll(db, data, 'merge');
    expect(summary.events).toBe(1);
    expect(summary.cart).toBe(1);
    expect(summary.profile).toBe(1); // only the newer profile row replaces the stored one
    const events = await db.events.orderBy('at').toArray();
    expect(events).toHaveLength(sampleEvents.length + 1);
    expect(events.at(-1)).toMatchObject(extra);
    expect((await db.cart.toArray()).map((l) => l.itemId).sort()).toEqual([12, 13]);
    expect((await db.profile.get('genreAffinity'))?.value).toEqual({ Simulation: 0.9, Puzzle: 0.1 });
    expect((await db.profile.get('shopperEmbedding'))?.value).toMatchObject({ dataHash: 'h2' });
  });

  it('a failure during import changes nothing', async () => {
    db = freshDb();
    await seed(db);
    const before = await snapshotOf(db);
    const data = await exportAll(db);
    data.events = data.events.slice(0, 2);
    vi.spyOn(db.profile, 'bulkPut').mockRejectedValue(new DOMException('full', 'QuotaExceededError'));
    await expect(importAll(db, data, 'replace')).rejects.toBeDefined();
    vi.restoreAllMocks();
    expect(await snapshotOf(db)).toEqual(before);
  });
});

describe('parseImport refuses malformed files with a reason', () => {
  async function validExport() {
    db = freshDb();
    await seed(db);
    return exportAll(db);
  }

  it('names the problem for broken envelopes', () => {
    expect(parseImport('{oops')).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON/) });
    expect(parseImport('[]')).toEqual({
      ok: false,
      error: 'This file is not an Aisle export (it lacks "app": "aisle").',
    });
    expect(parseImport('{"app":"aisle","version":2}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/format version 2.*newer Aisle/),
    });
  });

  it('names the first bad record index and field', async () => {
    const data = await validExport();
    const cases: [unknown[], string][] = [
      [
        [sampleEvents[0], { ...sampleEvents[1], kind: 'teleport' }],
        'events[1].kind: must be one of view, dwell',
      ],
      [[{ ...sampleEvents[0], at: '1000' }], 'events[0].at: must be a time in milliseconds, got "1000"'],
      [[{ kind: 'view', at: 1 }], 'events[0].sessionId: is missing'],
      [[{ ...sampleEvents[4], rating: 6 }], 'events[0].rating: must be a whole number from 1 to 5, got 6'],
      [[{ ...sampleEvents[0], itemId: -1 }], 'events[0].itemId: must be a whole number >= 0'],
      [[{ ...sampleEvents[0], secret: 1 }], 'events[0].secret: is not a known field'],
      [
        [{ ...sampleEvents[9], answer: 'maybe' }],
        'events[0].answer: must be one of useful, notUseful, dismissed, got "maybe"',
      ],
      [[sampleEvents[0], 'view'], 'events[1].must be an object'],
      [
        [
          { ...sampleEvents[0], id: 3 },
          { ...sampleEvents[1], id: 3 },
        ],
        'events[1].id: repeats 3',
      ],
    ];
    for (const [events, reason] of cases) {
      const result = parseImport(withEvents(data, events));
      expect(result.ok).toBe(false);
      expect(result.ok ? '' : result.error).toContain(reason);
    }
  });

  it('checks cart, settings and profile too', async () => {
    const data = await validExport();
    const bad = (patch: Partial<Record<keyof AisleExport, unknown>>) => {
      const result = parseImport(JSON.stringify({ ...data, ...patch }));
      return result.ok ? 'accepted' : result.error;
    };
    expect(bad({ cart: [{ itemId: 1.5, addedAt: 1 }] })).toContain('cart[0].itemId');
    expect(bad({ settings: { diversity: 3 } })).toContain('settings.diversity: must be a number from 0 to 1');
    expect(bad({ settings: { colour: 'red' } })).toContain('settings.colour: is not a known setting');
    expect(bad({ settings: { activeModel: 'gpt' } })).toContain('settings.activeModel: must be one of');
    expect(bad({ profile: [{ key: '', value: 1, updatedAt: 0 }] })).toContain('profile[0].key');
    expect(bad({ events: undefined })).toContain('events: must be a list');
    expect(bad({ extra: true } as never)).toContain('extra: is not a known section');
  });

  it('leaves the database untouched when refused', async () => {
    const data = await validExport();
    const before = await snapshotOf(db);
    const result = parseImport(withEvents(data, [{ kind: 'nope' }]));
    expect(result.ok).toBe(false);
    expect(await snapshotOf(db)).toEqual(before);
  });
});

describe('eraseEverything', () => {
  it('removes other databases, caches and web storage, and reports them', async () => {
    db = freshDb();
    await seed(db);
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('tensorflowjs');
      open.onsuccess = () => {
        open.result.close();
        resolve();
      };
      open.onerror = () => reject(open.error);
    });
    const caches = fakeCaches(['aisle-catalog-v1', 'images']);
    const local = fakeStorage({ 'aisle.theme': 'dark' });
    const session = fakeStorage({ 'aisle.session': '{}' });

    const report = await eraseEverything({ db, caches, localStorage: local, sessionStorage: session });

    expect(report.databases[0]).toBe(db.name);
    expect(report.databases).toContain('tensorflowjs');
    expect(report.caches).toEqual(['aisle-catalog-v1', 'images']);
    expect(report.localStorageKeys).toEqual(['aisle.theme']);
    expect(report.sessionStorageKeys).toEqual(['aisle.session']);
    expect(report.failures).toEqual([]);
    expect(local.length + session.length).toBe(0);
    expect(await caches.keys()).toEqual([]);
    const remaining = (await indexedDB.databases()).map((d) => d.name);
    expect(remaining).not.toContain('tensorflowjs');
    expect(await db.events.count()).toBe(0);
  });
});

describe('JSON encoding of stored values', () => {
  it('round-trips typed arrays and nested values through JSON text', () => {
    const value = {
      v: new Float32Array([0.1, 3]),
      ids: new Int32Array([-1]),
      n: [new Uint32Array([7])],
      s: 'x',
    };
    const decoded = decodeJson(JSON.parse(JSON.stringify(encodeJson(value)))) as typeof value;
    expect(decoded.v).toBeInstanceOf(Float32Array);
    expect(decoded).toEqual(value);
  });
});

function fakeStorage(initial: Record<string, string>): Storage {
  const values = new Map(Object.entries(initial));
  return {
    get length() {
      return values.size;
    },
    key: (i: number) => [...values.keys()][i] ?? null,
    getItem: (k: string) => values.get(k) ?? null,
    setItem: (k: string, v: string) => void values.set(k, v),
    removeItem: (k: string) => void values.delete(k),
    clear: () => values.clear(),
  };
}

function fakeCaches(names: string[]): CacheStorage {
  const live = new Set(names);
  return {
    keys: async () => [...live],
    delete: async (name: string) => live.delete(name),
  } as unknown as CacheStorage;
}

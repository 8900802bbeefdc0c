import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { addToCart, listCart } from './cart';
import type { AisleDb } from './db';
import { eraseEverything } from './erase';
import { encodeJson, parseImport as parseWith, type AisleExport } from './exportFormat';
import { exportAll, importAll } from './portability';
import {
  getProfileEdits,
  getProfileValue,
  profileKeys,
  setShopperEmbedding,
  setProfileValue,
} from './profile';
import { setMeasuredBackend, setSetting } from './settings';
import { profileEditsSchemaVersion } from './profileTypes';
import { cleanUpAfterEach, freshDb } from './testSupport';
import { sampleEvents as baseSampleEvents, sampleItemIds, sampleT0 } from './sampleEvents';
import type { ShopperEvent } from './types';

let db: AisleDb;
cleanUpAfterEach(() => db);

const t0 = sampleT0;
/** The catalog the sample is read against: every game it names. */
const parseImport = (text: string) =>
  parseWith(text, { knownItemIds: new Set(sampleItemIds), now: Date.UTC(2025, 0, 2) });

const sampleEvents: ShopperEvent[] = [
  ...baseSampleEvents,
  { kind: 'pageView', at: t0 + 3_300, sessionId: 's2', page: 'home' },
  {
    kind: 'impression',
    at: t0 + 3_400,
    sessionId: 's2',
    itemId: 12,
    placement: 'home:forYou',
    position: 0,
    model: 'co-occurrence',
    reason: 'becauseYouInteracted',
  },
  { kind: 'satisfaction', at: t0 + 3_500, sessionId: 's2', answer: 'notUseful' },
];

async function seed(target: AisleDb) {
  await target.events.bulkAdd(sampleEvents.map((e) => ({ ...e })));
  await addToCart(target, 12, t0 + 500);
  await setSetting(target, 'diversity', 0.6);
  await setSetting(target, 'preferredBackend', 'wasm');
  await setProfileValue(target, 'genreAffinity', { Simulation: 0.9, Puzzle: 0.1 }, 40);
  await setShopperEmbedding(
    target,
    { model: 'mf', vector: new Float32Array([0.1, -2.5, 1e-7]), dataHash: 'h' },
    41,
  );
}

const snapshotOf = async (target: AisleDb) => ({
  events: await target.events.orderBy('id').toArray(),
  cart: await listCart(target),
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

  it('merge moves the "don\'t use" marks to the ids the imported events get here', async () => {
    db = freshDb();
    const here: ShopperEvent[] = [
      { kind: 'view', at: 10, sessionId: 'a', itemId: 1 },
      { kind: 'view', at: 20, sessionId: 'a', itemId: 2 },
    ];
    await db.events.bulkAdd(here.map((e) => ({ ...e }))); // ids 1, 2
    await setProfileValue(db, profileKeys.interpretable, { stale: true }, 5);
    const file: AisleExport = {
      app: 'aisle',
      version: 1,
      exportedAt: '2025-01-02T03:04:05.000Z',
      // file id 1 is the same event as id 1 here; 2 and 3 are new and become 3 and 4
      events: [
        { ...here[0], id: 1 },
        { kind: 'view', at: 30, sessionId: 'b', itemId: 3, id: 2 },
        { kind: 'view', at: 40, sessionId: 'b', itemId: 4, id: 3 },
      ],
      cart: [],
      settings: {},
      profile: [
        {
          key: profileKeys.edits,
          value: encodeJson({
            schemaVersion: profileEditsSchemaVersion,
            adjustments: { genre: { Strategy: 'mute' }, tag: {}, developer: {} },
            priceCeiling: null,
            excludedEventIds: [1, 3, 99],
            resetAt: null,
          }),
          updatedAt: 50,
        },
        { key: profileKeys.interpretable, value: encodeJson({ fromFile: true }), updatedAt: 50 },
      ],
    };
    await importAll(db, file, 'merge');
    const edits = await getProfileEdits(db);
    // 1 stays 1, 3 becomes 4, 99 names no event and goes
    expect(edits?.excludedEventIds).toEqual([1, 4]);
    expect((await db.events.get(4))?.itemId).toBe(4);
    // the file's profile counts the file's ids: the stored one stays until the worker rebuilds
    expect(await getProfileValue(db, profileKeys.interpretable)).toEqual({ stale: true });
  });

  it('merge adds only what is new and keeps existing rows', async () => {
    db = freshDb();
    await seed(db);
    const data = await exportAll(db);
    const extra: ShopperEvent = { kind: 'view', at: t0 + 9_000, sessionId: 's9', itemId: 77 };
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
    expect((await listCart(db)).map((l) => l.itemId).sort()).toEqual([12, 13]);
    expect((await db.profile.get('genreAffinity'))?.value).toEqual({ Simulation: 0.9, Puzzle: 0.1 });
    expect((await db.profile.get('shopperEmbedding'))?.value).toMatchObject({ dataHash: 'h2' });
  });

  it('after replacing with the largest id a file may hold, the next event is numbered one above it', async () => {
    // CI's fuzz found MAX_SAFE_INTEGER accepted: the next key (2^53) is no longer a safe integer
    db = freshDb();
    await seed(db);
    const data = await exportAll(db, new Date('2025-01-02T03:04:05Z'));
    const last = data.events.length - 1;
    const parsed = parseImport(
      withEvents(
        data,
        data.events.map((e, i) => (i === last ? { ...e, id: 2 ** 52 } : e)),
      ),
    );
    if (!parsed.ok) throw new Error(parsed.error);
    await importAll(db, parsed.data, 'replace');
    expect(await db.events.add({ kind: 'view', at: t0 + 9_000, sessionId: 'after' })).toBe(2 ** 52 + 1);
  });

  it('a replacing import on a device whose clock is behind keeps the newest purchase', async () => {
    // the backup was made a week after its first event; the importing clock reads an hour after it
    db = freshDb();
    const events: ShopperEvent[] = [
      { kind: 'view', at: t0, sessionId: 's', itemId: 4 },
      { kind: 'purchase', at: t0 + 7 * 24 * 3_600_000, sessionId: 's', itemId: 4, price: 9.99 },
    ];
    await db.events.bulkAdd(events.map((event) => ({ ...event })));
    const parsed = parseWith(JSON.stringify(await exportAll(db)), {
      knownItemIds: new Set(sampleItemIds),
      now: t0 + 3_600_000,
    });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.misdatedKept).toBe(1);
    await importAll(db, parsed.data, 'replace');
    const stored = await db.events.orderBy('id').toArray();
    expect(stored.map(({ id: _id, ...event }) => event)).toEqual(events);
  });

  it('a database holding events a wrong clock dated exports a file that imports, those events kept and counted', async () => {
    // the device's clock was reset to 1970 for one event and a year ahead for another
    db = freshDb();
    await seed(db);
    const misdated = [
      { kind: 'view', at: 5_000, sessionId: 'reset', itemId: 4 },
      { kind: 'view', at: Date.UTC(2026, 0, 1), sessionId: 'ahead', itemId: 9 },
    ] as const;
    await db.events.bulkAdd(misdated.map((event) => ({ ...event })));
    const parsed = parseImport(JSON.stringify(await exportAll(db)));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.misdatedKept).toBe(2);
    for (const mode of ['replace', 'merge'] as const) {
      const target = freshDb();
      try {
        await importAll(target, parsed.data, mode);
        const stored = await target.events.orderBy('id').toArray();
        expect(stored.map(({ id: _id, ...event }) => event)).toEqual([...sampleEvents, ...misdated]);
      } finally {
        await target.delete();
      }
    }
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

describe("this device's measured backend", () => {
  it('is not exported: it describes the device, not the shopper', async () => {
    db = freshDb();
    await seed(db);
    await setMeasuredBackend(db, {
      backend: 'wasm',
      measuredAt: 5,
      report: { active: 'wasm', reason: 'wasm: the fastest', adapter: null, attempts: [] },
    });
    const exported = await exportAll(db);
    expect(exported.settings).toEqual({ diversity: 0.6, preferredBackend: 'wasm' });
    // and the file it makes is accepted by the strict import check
    expect(parseImport(JSON.stringify(exported)).ok).toBe(true);
  });
});

describe('parseImport over an exported database', () => {
  it('leaves the database untouched when refused', async () => {
    db = freshDb();
    await seed(db);
    const data = await exportAll(db);
    const before = await snapshotOf(db);
    const result = parseImport(withEvents(data, [{ kind: 'nope' }]));
    expect(result.ok).toBe(false);
    expect(await snapshotOf(db)).toEqual(before);
  });
});

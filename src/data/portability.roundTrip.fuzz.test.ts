// Any database an import can make, with events recorded after it, exports a file that imports by
// replace and by merge, into a fresh database and into the same one, keeping every event in order
// and each "don't use" mark on its event, with recording still possible; and Aisle's own export is
// a fixed point of replace. Event ids are drawn near the limits: small, around 2^52 (the largest a
// replace keeps) and up to 2^53 - 1 (the largest a file may hold); dates include a wrong clock's
// (before 2000, years ahead, up to the last time a Date can hold), which an import keeps too.
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { fuzzParameters, fuzzRuns, fuzzTimeoutMs } from '../ml/testSupport/fuzz';
import type { AisleDb } from './db';
import { largestKeptEventId } from './eventIds';
import { parseImport, type AisleExport } from './exportFormat';
import { exportAll, importAll, type ImportMode } from './portability';
import { profileKeys } from './profile';
import { profileEditsSchemaVersion } from './profileTypes';
import { sampleItemIds, sampleT0 } from './sampleEvents';
import { freshDb } from './testSupport';
import type { ShopperEvent } from './types';

const exportedAt = new Date('2025-01-02T03:04:05Z');
const context = { knownItemIds: sampleItemIds, now: Date.UTC(2025, 0, 2) };
const big = largestKeptEventId;

const parse = (data: AisleExport): AisleExport => {
  const parsed = parseImport(JSON.stringify(data), context);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.data;
};

const eventId = fc.oneof(
  fc.integer({ min: 1, max: 30 }),
  fc.integer({ min: big - 3, max: big + 3 }),
  fc.integer({ min: Number.MAX_SAFE_INTEGER - 3, max: Number.MAX_SAFE_INTEGER }),
);

/** Mostly right clocks' dates, sometimes a wrong clock's: the epoch, 1999, years ahead, the last a Date holds. */
const eventTime = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 5 }).map((s) => sampleT0 + s * 1_000) },
  { weight: 1, arbitrary: fc.constantFrom(0, 5_000, Date.UTC(1999, 11, 31), Date.UTC(2031, 5, 1), 8.64e15) },
);

// few distinct contents, so equal events (a repeat in the same millisecond) turn up too
const eventContent: fc.Arbitrary<ShopperEvent> = fc.record({
  kind: fc.constantFrom('view' as const, 'purchase' as const),
  at: eventTime,
  sessionId: fc.constantFrom('s1', 's2'),
  itemId: fc.constantFrom(...sampleItemIds),
});

/** A file an import accepts: events with unique ids (a few without), marks on some of them and on none. */
const acceptedFile: fc.Arbitrary<AisleExport> = fc
  .record({
    ids: fc.uniqueArray(eventId, { maxLength: 8 }),
    contents: fc.array(eventContent, { minLength: 8, maxLength: 8 }),
    withoutId: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    marked: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    strayMark: fc.option(eventId, { nil: undefined }),
    withEdits: fc.boolean(),
    withInterpretable: fc.boolean(),
    cart: fc.subarray([...sampleItemIds]),
    cartTimes: fc.array(eventTime, { minLength: 4, maxLength: 4 }),
  })
  .map(({ ids, contents, withoutId, marked, strayMark, withEdits, withInterpretable, cart, cartTimes }) => {
    // ids without an id are only in some files, and rarely: an id is what Aisle always writes
    const events = ids.map((id, i) => ({ ...contents[i], ...(withoutId[i] && i % 4 === 3 ? {} : { id }) }));
    const marks = events.flatMap((event, i) => (marked[i] && event.id !== undefined ? [event.id] : []));
    const profile: AisleExport['profile'] = [{ key: 'genreAffinity', value: { Puzzle: 0.5 }, updatedAt: 40 }];
    if (withInterpretable)
      profile.push({ key: profileKeys.interpretable, value: { evidence: marks }, updatedAt: 41 });
    if (withEdits)
      profile.push({
        key: profileKeys.edits,
        value: {
          schemaVersion: profileEditsSchemaVersion,
          adjustments: {},
          priceCeiling: null,
          excludedEventIds: strayMark === undefined ? marks : [...marks, strayMark],
          resetAt: null,
        },
        updatedAt: 42,
      });
    return {
      app: 'aisle' as const,
      version: 1 as const,
      exportedAt: exportedAt.toISOString(),
      events,
      cart: cart.map((itemId, i) => ({ itemId, addedAt: cartTimes[i] })),
      settings: { diversity: 0.25 },
      profile,
    };
  });

const opened: AisleDb[] = [];
const openDb = () => {
  const db = freshDb();
  opened.push(db);
  return db;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.delete()));
});

/** What the shopper would see the same: the events in order without ids, the marked events, the rest. */
function meaningOf(data: AisleExport) {
  const signature = ({ id: _id, ...event }: ShopperEvent) => JSON.stringify(event);
  const edits = data.profile.find((row) => row.key === profileKeys.edits)?.value as
    { excludedEventIds: number[] } | undefined;
  const marked = new Set(edits?.excludedEventIds ?? []);
  return {
    events: data.events.map(signature),
    marked: data.events.filter((event) => marked.has(event.id!)).map(signature),
    cart: data.cart,
    settings: data.settings,
    // the interpretable profile is rebuilt from the events after any import, merge leaves it out
    profile: data.profile
      .filter((row) => row.key !== profileKeys.interpretable)
      .map((row) => (row.key === profileKeys.edits ? row.key : row)),
  };
}

/** Records `count` events as the event log does (the key generator numbers them); each must get a safe id. */
async function record(db: AisleDb, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = await db.events.add({ kind: 'view', at: sampleT0 + 9_000 + i, sessionId: 'later', itemId: 4 });
    expect(Number.isSafeInteger(id)).toBe(true);
    ids.push(id as number);
  }
  return ids;
}

describe('export -> import -> export over any database an import can make', () => {
  it(
    'imports by replace and merge, into a fresh and into the same database, keeping what the shopper sees',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          acceptedFile,
          fc.integer({ min: 0, max: 3 }),
          fc.constantFrom<ImportMode>('replace', 'merge'),
          fc.constantFrom('fresh', 'same'),
          async (file, recordedAfter, mode, target) => {
            // nothing of the file is left out, a wrong clock's dates included: the database holds them
            expect(parse(file)).toEqual(file);
            const source = openDb();
            await importAll(source, parse(file), 'replace');
            await record(source, recordedAfter);

            const first = await exportAll(source, exportedAt);
            expect(parse(first)).toEqual(first); // read back as it was written
            expect(first.events.every((event) => event.id! <= big)).toBe(true);

            const into = target === 'fresh' ? openDb() : source;
            await importAll(into, parse(first), mode);
            // recording stays possible; the probe is taken out again so the export can be compared
            await into.events.bulkDelete(await record(into, 1));
            const second = await exportAll(into, exportedAt);
            expect(meaningOf(second)).toEqual(meaningOf(first));

            // Aisle's own export is a fixed point of replace into a fresh database
            const again = openDb();
            await importAll(again, parse(second), 'replace');
            expect(await exportAll(again, exportedAt)).toEqual(second);
          },
        ),
        fuzzParameters(Math.max(100, Math.round(fuzzRuns() / 50))),
      );
    },
    fuzzTimeoutMs(),
  );
});

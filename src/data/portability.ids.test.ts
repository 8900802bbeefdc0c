// Export -> import must round-trip whatever the event ids: a database whose ids passed 2^52 (a
// file imported with id 2^52, then more events recorded) used to export a file its own import
// refused. Hand-worked cases here; the property over any accepted database is in
// portability.roundTrip.test.ts.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { schemaVersions, type AisleDb } from './db';
import { largestKeptEventId } from './eventIds';
import { parseImport as parseWith, type AisleExport } from './exportFormat';
import { exportAll, importAll, mergedEdits, type ImportMode } from './portability';
import { getProfileEdits, profileKeys, setProfileValue } from './profile';
import { profileEditsSchemaVersion } from './profileTypes';
import { sampleEvents, sampleExport, sampleItemIds, sampleT0 } from './sampleEvents';
import { freshDb, openAtVersion } from './testSupport';
import type { ShopperEvent } from './types';

const dbs: AisleDb[] = [];
const openDb = () => {
  const db = freshDb();
  dbs.push(db);
  return db;
};
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((db) => db.delete()));
});

const big = largestKeptEventId;
const exportedAt = new Date('2025-01-02T03:04:05Z');

const parse = (data: AisleExport) => {
  const parsed = parseWith(JSON.stringify(data), { knownItemIds: sampleItemIds, now: Date.UTC(2025, 0, 2) });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.data;
};

const editsExcluding = (excludedEventIds: number[]) => ({
  schemaVersion: profileEditsSchemaVersion,
  adjustments: { genre: {}, tag: {}, developer: {}, priceBand: {}, releaseEra: {}, freeOrPaid: {} },
  priceCeiling: null,
  excludedEventIds,
  resetAt: null,
});

const later: ShopperEvent[] = [
  { kind: 'view', at: sampleT0 + 5_000, sessionId: 's3', itemId: 11 },
  { kind: 'view', at: sampleT0 + 6_000, sessionId: 's3', itemId: 12 },
];
const contents = (events: readonly ShopperEvent[]) => events.map(({ id: _id, ...event }) => event);

/**
 * The database the bug report describes: the sample's 7 events imported by replace with the last
 * one's id 2^52, then two more recorded (ids 2^52 + 1 and 2^52 + 2); the shopper marked the
 * sample's first event and the first later one "don't use".
 */
async function pastTheLimit(): Promise<AisleDb> {
  const db = openDb();
  const file = sampleExport([]);
  file.events = file.events.map((event, i) => (i === file.events.length - 1 ? { ...event, id: big } : event));
  await importAll(db, parse(file), 'replace');
  const ids = await db.events.bulkAdd(
    later.map((event) => ({ ...event })),
    { allKeys: true },
  );
  expect(ids).toEqual([big + 1, big + 2]);
  await setProfileValue(db, profileKeys.edits, editsExcluding([1, big + 1]), 60);
  return db;
}

describe('an export made after event ids passed 2^52', () => {
  it('numbers the events 1 to 9 in their order, the marks moved with them', async () => {
    const data = await exportAll(await pastTheLimit(), exportedAt);
    expect(data.events.map((event) => event.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(contents(data.events)).toEqual([...sampleEvents, ...later]);
    // 1 stays 1; 2^52 + 1, the first later event, is the 8th
    expect(data.profile).toEqual([{ key: profileKeys.edits, value: editsExcluding([1, 8]), updatedAt: 60 }]);
    expect(parse(data)).toEqual(data);
  });

  for (const mode of ['replace', 'merge'] as const) {
    it(`imports by ${mode} into a fresh database: every event in order, the marks on the same events, ids going on from 10`, async () => {
      const data = parse(await exportAll(await pastTheLimit(), exportedAt));
      const db = openDb();
      expect(await importAll(db, data, mode)).toMatchObject({ events: 9 });
      const stored = await db.events.orderBy('id').toArray();
      expect(contents(stored)).toEqual([...sampleEvents, ...later]);
      expect(stored.map((event) => event.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect((await getProfileEdits(db))?.excludedEventIds).toEqual([1, 8]);
      expect(await db.events.add({ kind: 'view', at: sampleT0 + 9_000, sessionId: 'after' })).toBe(10);
    });
  }

  it('imports by replace into the database it came from; new ids go on past 2^52 + 2, safely', async () => {
    const db = await pastTheLimit();
    await importAll(db, parse(await exportAll(db, exportedAt)), 'replace');
    const stored = await db.events.orderBy('id').toArray();
    expect(stored.map((event) => event.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(contents(stored)).toEqual([...sampleEvents, ...later]);
    expect((await getProfileEdits(db))?.excludedEventIds).toEqual([1, 8]);
    // IndexedDB's key generator never goes back (clear() does not reset it): the next key is the
    // one after the largest ever stored, 2^52 + 3, still 2^52 - 3 keys from the end
    const next = await db.events.add({ kind: 'view', at: sampleT0 + 9_000, sessionId: 'after' });
    expect(next).toBe(big + 3);
    // and that database's next export imports again
    expect(parse(await exportAll(db, exportedAt)).events.map((event) => event.id)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  it('imports with a passphrase set: the renumbered events are sealed and read back (sealing names the table, not the key)', async () => {
    const db = await pastTheLimit();
    await db.vault.enable('correct horse battery', { iterations: 1_000 });
    const data = parse(await exportAll(db, exportedAt));
    await importAll(db, data, 'replace');
    // the rows as stored, read past the sealing middleware by a plain connection
    const plain = openAtVersion(db.name, schemaVersions.at(-1)!);
    const raw = (await plain.table('events').toArray()) as Record<string, unknown>[];
    plain.close();
    expect(raw.map((row) => [row.id, 'sealed' in row, 'itemId' in row])).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((id) => [id, true, false]),
    );
    expect(contents(await db.events.orderBy('id').toArray())).toEqual([...sampleEvents, ...later]);
    expect((await getProfileEdits(db))?.excludedEventIds).toEqual([1, 8]);
  });

  it('imports by merge into the database it came from as nothing new', async () => {
    const db = await pastTheLimit();
    const before = await db.events.orderBy('id').toArray();
    expect(await importAll(db, parse(await exportAll(db, exportedAt)), 'merge')).toMatchObject({
      events: 0,
    });
    expect(await db.events.orderBy('id').toArray()).toEqual(before);
    // the file's edits are not newer than the stored ones (same updatedAt): the marks stay as they were
    expect((await getProfileEdits(db))?.excludedEventIds).toEqual([1, big + 1]);
  });
});

describe("a file with ids past 2^52 (an earlier build's export, or one made by hand)", () => {
  const pastLimitFile = (): AisleExport => {
    const file = sampleExport([
      { key: profileKeys.edits, value: editsExcluding([Number.MAX_SAFE_INTEGER, big + 1]), updatedAt: 60 },
      { key: profileKeys.interpretable, value: { evidence: [big + 1] }, updatedAt: 61 },
    ]);
    // ids in the file's order: 3, 2^52 + 1, 1, 2^53 - 1, 2, 2^52 + 5, 4
    const ids = [3, big + 1, 1, Number.MAX_SAFE_INTEGER, 2, big + 5, 4];
    file.events = file.events.map((event, i) => ({ ...event, id: ids[i] }));
    return file;
  };

  const cases: [ImportMode, number[], number[]][] = [
    // replace numbers them in id order: 1, 2, 3, 4, 2^52+1, 2^52+5, 2^53-1 -> 1..7
    ['replace', [3, 5, 1, 7, 2, 6, 4], [5, 7]],
    // merge adds them in id order too, under the ids the database gives
    ['merge', [3, 5, 1, 7, 2, 6, 4], [5, 7]],
  ];
  for (const [mode, newIdOfFileEvent, marks] of cases) {
    it(`is read, and ${mode} keeps the order of its ids, the marks on the same events`, async () => {
      const db = openDb();
      const file = pastLimitFile();
      await importAll(db, parse(file), mode);
      const byId = new Map((await db.events.toArray()).map((event) => [event.id!, event]));
      newIdOfFileEvent.forEach((id, i) => expect(byId.get(id)).toEqual({ ...sampleEvents[i], id }));
      expect((await getProfileEdits(db))?.excludedEventIds).toEqual(marks);
      // its evidence names the file's ids: left out, the store's worker rebuilds it from the events
      expect(await db.profile.get(profileKeys.interpretable)).toBeUndefined();
      expect(await db.events.add({ kind: 'view', at: sampleT0 + 9_000, sessionId: 'after' })).toBe(8);
    });
  }
});

describe('marks and repeats that used to go astray', () => {
  it('a mark naming a deleted event does not exclude an event recorded after a replace elsewhere', async () => {
    // the shopper marked their newest event (7) "don't use", then deleted it, then exported
    const source = openDb();
    await source.events.bulkAdd(sampleEvents.map((event) => ({ ...event })));
    await setProfileValue(source, profileKeys.edits, editsExcluding([7]), 60);
    await source.events.delete(7);
    const data = parse(await exportAll(source, exportedAt));
    expect(data.profile[0].value).toEqual(editsExcluding([]));

    // even a file that still names it: on a new device the next event gets id 7 again
    const stale = { ...data, profile: [{ ...data.profile[0], value: editsExcluding([7]) }] };
    const db = openDb();
    await importAll(db, stale, 'replace');
    expect(await db.events.add({ kind: 'view', at: sampleT0 + 9_000, sessionId: 'after' })).toBe(7);
    expect((await getProfileEdits(db))?.excludedEventIds).toEqual([]);
  });

  it('merge keeps two equal events of the file as two, each mark on its own event', async () => {
    // two views of one game in the same millisecond: equal content, two events
    const twice: ShopperEvent = { kind: 'view', at: sampleT0 + 100, sessionId: 's1', itemId: 4 };
    const file: AisleExport = {
      ...sampleExport([{ key: profileKeys.edits, value: editsExcluding([2]), updatedAt: 60 }]),
      events: [
        { ...twice, id: 1 },
        { ...twice, id: 2 },
      ],
    };
    const db = openDb();
    await db.events.add({ ...twice }); // one of them is here already, as id 1
    expect(await importAll(db, parse(file), 'merge')).toMatchObject({ events: 1 });
    expect(await db.events.orderBy('id').toArray()).toEqual([
      { ...twice, id: 1 },
      { ...twice, id: 2 },
    ]);
    expect((await getProfileEdits(db))?.excludedEventIds).toEqual([2]);

    // merging the same file again adds nothing
    expect(await importAll(db, parse(file), 'merge')).toMatchObject({ events: 0 });
  });
});

describe('merge matches equal events one to one, oldest stored first', () => {
  it('five equal events of the file into three stored: two added, each file id on its own event', async () => {
    const same: ShopperEvent = { kind: 'view', at: sampleT0 + 100, sessionId: 's1', itemId: 4 };
    const other: ShopperEvent = { kind: 'view', at: sampleT0 + 200, sessionId: 's1', itemId: 9 };
    const db = openDb();
    // stored: ids 1, 2 (same), 3 (other), 4 (same)
    await db.events.bulkAdd([{ ...same }, { ...same }, { ...other }, { ...same }]);
    // file ids 10..14 equal, marks on 11 (-> stored 2), 13 (-> new 5) and 14 (-> new 6)
    const file: AisleExport = {
      ...sampleExport([{ key: profileKeys.edits, value: editsExcluding([11, 13, 14]), updatedAt: 60 }]),
      events: [10, 11, 12, 13, 14].map((id) => ({ ...same, id })),
    };
    expect(await importAll(db, parse(file), 'merge')).toMatchObject({ events: 2 });
    expect((await db.events.orderBy('id').toArray()).map((event) => [event.id, event.itemId])).toEqual([
      [1, 4],
      [2, 4],
      [3, 9],
      [4, 4],
      [5, 4],
      [6, 4],
    ]);
    expect((await getProfileEdits(db))?.excludedEventIds).toEqual([2, 5, 6]);
  });
});

describe('merge keeps the "don\'t use" marks of both sides', () => {
  const muting = (genre: string, excludedEventIds: number[]) => ({
    ...editsExcluding(excludedEventIds),
    adjustments: { ...editsExcluding([]).adjustments, genre: { [genre]: 'mute' as const } },
  });
  const row = (value: unknown, updatedAt: number) => ({ key: profileKeys.edits, value, updatedAt });

  it("takes the newer row's mutes and ceiling, and the marks of both", () => {
    // stored newer (t=70) with a mark on 2; the file's older row (t=60) marks 5 here
    expect(mergedEdits(row(muting('Puzzle', [2]), 70), row(muting('Strategy', [5, 2]), 60))).toEqual(
      row(muting('Puzzle', [2, 5]), 70),
    );
    // the file's row newer
    expect(mergedEdits(row(muting('Puzzle', [2]), 60), row(muting('Strategy', [5]), 70))).toEqual(
      row(muting('Strategy', [2, 5]), 70),
    );
    // nothing stored: the file's row; stored newer and no new mark: nothing to write
    expect(mergedEdits(undefined, row(muting('Strategy', [5]), 70))).toEqual(
      row(muting('Strategy', [5]), 70),
    );
    expect(mergedEdits(row(muting('Puzzle', [2, 5]), 70), row(muting('Strategy', [5]), 60))).toBeUndefined();
    // a stored row of a shape this build does not know (a newer build's) is left as it is
    expect(mergedEdits(row({ schemaVersion: 2 }, 60), row(muting('Strategy', [5]), 70))).toBeUndefined();
  });

  it('after a merge, an event the other device marked stays unused even when the edits here are newer', async () => {
    const file: AisleExport = {
      ...sampleExport([{ key: profileKeys.edits, value: editsExcluding([3]), updatedAt: 60 }]),
      events: [
        { ...sampleEvents[0], id: 1 },
        { ...sampleEvents[2], id: 3 }, // the search the other device marked
      ],
    };
    const db = openDb();
    await db.events.bulkAdd([{ ...sampleEvents[4] }, { ...sampleEvents[5] }]); // ids 1, 2 here
    await setProfileValue(db, profileKeys.edits, muting('Puzzle', [2]), 70);
    await importAll(db, parse(file), 'merge');
    // the file's events become 3 and 4; its mark on the search (file id 3) is now 4
    expect((await db.events.get(4))?.query).toBe(sampleEvents[2].query);
    expect(await getProfileEdits(db)).toEqual(muting('Puzzle', [2, 4]));
  });
});

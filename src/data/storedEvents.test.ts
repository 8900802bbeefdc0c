// A damaged stored event is skipped and counted, never shown or fed to the profile, and stays in
// the database; every other event reads as before, in the same order.
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { AisleDb } from './db';
import { EventLog, eventsAfterId } from './events';
import { parseImport } from './exportFormat';
import { observeEvents } from './live';
import { exportAll } from './portability';
import { allStoredEvents, readableEvents, storedEventProblem } from './storedEvents';
import { cleanUpAfterEach, freshDb } from './testSupport';
import type { ShopperEvent } from './types';
import { UnreadableRecords } from './unreadable';

let db: AisleDb;
cleanUpAfterEach(() => db);

const good = (id: number, at: number): ShopperEvent => ({ id, kind: 'view', at, sessionId: 's', itemId: 3 });

describe('storedEventProblem', () => {
  it('accepts an event an import would accept, and a field a newer build added', () => {
    expect(storedEventProblem(good(1, 5))).toBeNull();
    expect(storedEventProblem({ ...good(1, 5), addedByNewerBuild: true })).toBeNull();
  });

  it('names the first field the app cannot use', () => {
    expect(storedEventProblem({ id: 4, kind: 'teleport', at: 5, sessionId: 's' })).toBe(
      'kind: must be one of view, dwell, recClick, search, cartAdd, cartRemove, purchase, rating, notInterested, recFeedback, impression, pageView, satisfaction, got "teleport"',
    );
    expect(storedEventProblem({ ...good(4, 5), at: 'yesterday' })).toBe(
      'at: must be a number from 0 to 8640000000000000, got "yesterday"',
    );
    // a time no Date can hold (the import bug of issue 12) is as unusable as no time
    expect(storedEventProblem({ ...good(4, 5), at: 1e20 })).toBe(
      'at: must be a number from 0 to 8640000000000000, got 100000000000000000000',
    );
    expect(storedEventProblem({ ...good(4, 5), itemId: -1 })).toBe(
      'itemId: must be a whole number >= 0, got -1',
    );
    expect(storedEventProblem({ kind: 'view', at: 5, sessionId: 's' })).toBe('id: is missing');
    expect(storedEventProblem('garbage')).toBe('must be an object, got "garbage"');
  });
});

describe('readableEvents', () => {
  it('keeps usable events in order and counts each damaged record once, however often it is read', () => {
    const unreadable = new UnreadableRecords();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const rows = [good(1, 10), { id: 2, kind: 42 }, good(3, 30), { id: 5, at: 'x' }];
    expect(readableEvents(rows, unreadable).map((e) => e.id)).toEqual([1, 3]);
    expect(readableEvents(rows, unreadable).map((e) => e.id)).toEqual([1, 3]);
    expect(unreadable.count).toBe(2);
  });
});

describe('reading the events table with a damaged record in it', () => {
  /** A day an export may hold (the import refuses dates before 2000). */
  const day = Date.UTC(2025, 0, 1);

  /** Three good events (ids 1, 2, 4 at day + 30, 10, 20 ms) and one the app cannot use (id 3, no time). */
  async function seedDamaged() {
    db = freshDb();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await db.events.bulkAdd([
      { kind: 'view', at: day + 30, sessionId: 's', itemId: 1 },
      { kind: 'view', at: day + 10, sessionId: 's', itemId: 2 },
      { kind: 'teleport', sessionId: 7 } as unknown as ShopperEvent,
      { kind: 'purchase', at: day + 20, sessionId: 's', itemId: 4, price: 5 },
    ]);
  }

  it('skips it in time order and by id, counts it, and leaves it stored', async () => {
    await seedDamaged();
    expect((await allStoredEvents(db)).map((e) => e.id)).toEqual([2, 4, 1]);
    expect((await allStoredEvents(db, 'id')).map((e) => e.id)).toEqual([1, 2, 4]);
    expect(db.unreadable.count).toBe(1);
    // nothing was deleted: the damaged row is still there for the shopper to erase
    expect(await db.events.count()).toBe(4);
  });

  it('is skipped by every reader: the log, the worker reading new events, the live list', async () => {
    await seedDamaged();
    const log = new EventLog(db);
    expect((await log.all()).map((e) => e.itemId)).toEqual([2, 4, 1]);
    expect((await eventsAfterId(db, 1)).map((e) => e.id)).toEqual([2, 4]);
    const listed = await new Promise<ShopperEvent[]>((resolve, reject) => {
      const stop = observeEvents(db)((events) => {
        stop();
        resolve(events);
      }, reject);
    });
    expect(listed.map((e) => e.id)).toEqual([2, 4, 1]);
    expect(db.unreadable.count).toBe(1);
  });

  it('is left out of an export, so the exported file imports again', async () => {
    await seedDamaged();
    const exported = await exportAll(db);
    expect(exported.events.map((e) => e.id)).toEqual([1, 2, 4]);
    expect(parseImport(JSON.stringify(exported), { knownItemIds: new Set([1, 2, 4]) }).ok).toBe(true);
  });

  it('ties in time keep id order, as the at index gave them', async () => {
    db = freshDb();
    await db.events.bulkAdd([good(1, 5), good(2, 5), good(3, 1)].map(({ id: _id, ...event }) => event));
    expect((await allStoredEvents(db)).map((e) => e.id)).toEqual([3, 1, 2]);
  });
});

import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { AisleDb } from './db';
import {
  deleteEventsOlderThan,
  eventsAfterId,
  describeWriteFailure,
  EventLog,
  isPermanentWriteError,
} from './events';
import { memoryStore, createSessionTracker, sessionIdleMs } from './session';
import { getSetting } from './settings';
import { cleanUpAfterEach, freshDb, patience } from './testSupport';

let db: AisleDb;
cleanUpAfterEach(() => db);

function newLog(options: ConstructorParameters<typeof EventLog>[1] = {}) {
  db = freshDb();
  return new EventLog(db, {
    batchDelayMs: 5,
    retryDelaysMs: [1, 1],
    sessions: createSessionTracker(memoryStore()),
    ...options,
  });
}

const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

describe('EventLog.record and flush', () => {
  it('returns before anything is written, then stores the batch in one write', async () => {
    const log = newLog();
    const bulkAdd = vi.spyOn(db.events, 'bulkAdd');
    log.record({ kind: 'view', itemId: 1, at: 10 });
    log.record({ kind: 'view', itemId: 2, at: 20 });
    expect(log.pendingCount).toBe(2);
    expect(await db.events.count()).toBe(0);
    await log.flush();
    expect(bulkAdd).toHaveBeenCalledTimes(1);
    expect(log.pendingCount).toBe(0);
    const stored = await log.all();
    expect(stored.map((e) => e.itemId)).toEqual([1, 2]);
    expect(stored[0].sessionId).toBe(stored[1].sessionId);
    expect(stored[0].id).toBeTypeOf('number');
  });

  it('tells the page the session an event will be stored under', async () => {
    const log = newLog();
    const sessionId = log.sessionIdAt(100);
    log.record({ kind: 'pageView', page: 'home', at: 100, sessionId });
    log.record({ kind: 'view', itemId: 3, at: 200 });
    log.record({ kind: 'view', itemId: 4, at: 200 + sessionIdleMs });
    await log.flush();
    const stored = await log.all();
    expect(stored.map((e) => e.sessionId === sessionId)).toEqual([true, true, false]);
  });

  it('writes on its own after the batch delay', async () => {
    const log = newLog();
    log.record({ kind: 'search', query: 'roguelike' });
    await vi.waitFor(async () => expect(await log.count()).toBe(1), patience);
    const [event] = await log.all();
    expect(event.query).toBe('roguelike');
    expect(event.at).toBeGreaterThan(0);
  });

  it('writes when its scheduler says, once per batch; flush() writes at once and cancels the scheduled write', async () => {
    const scheduled: (() => void)[] = [];
    let cancelled = 0;
    const log = newLog({
      scheduleBatch: (write) => {
        scheduled.push(write);
        return () => cancelled++;
      },
    });
    log.record({ kind: 'view', itemId: 1, at: 10 });
    log.record({ kind: 'view', itemId: 2, at: 20 });
    expect(scheduled).toHaveLength(1); // one write for the batch, not one per event
    scheduled[0]();
    await vi.waitFor(async () => expect(await log.count()).toBe(2), patience);

    log.record({ kind: 'view', itemId: 3, at: 30 });
    expect(scheduled).toHaveLength(2);
    await log.flush(); // the page is hidden: written now, the idle write is called off
    expect(cancelled).toBe(1);
    expect((await log.all()).map((e) => e.itemId)).toEqual([1, 2, 3]);
  });

  it('retries a transient failure and then succeeds', async () => {
    const log = newLog();
    const original = db.events.bulkAdd.bind(db.events);
    const bulkAdd = vi
      .spyOn(db.events, 'bulkAdd')
      .mockRejectedValueOnce(new DOMException('aborted', 'AbortError'))
      .mockImplementation(original);
    const failures = vi.fn();
    log.onWriteFailure(failures);
    log.record({ kind: 'view', itemId: 3, at: 1 });
    await log.flush();
    expect(bulkAdd).toHaveBeenCalledTimes(2);
    expect(failures).not.toHaveBeenCalled();
    expect(await log.count()).toBe(1);
  });

  it('on quota failure tells the listener, keeps events in memory and loses nothing stored', async () => {
    const log = newLog();
    log.record({ kind: 'view', itemId: 1, at: 1 });
    await log.flush();

    const bulkAdd = vi.spyOn(db.events, 'bulkAdd').mockImplementation(() => {
      throw quotaError();
    });
    const failures: { message: string; error: unknown }[] = [];
    log.onWriteFailure((message, error) => failures.push({ message, error }));
    log.record({ kind: 'view', itemId: 2, at: 2 });
    log.record({ kind: 'cartAdd', itemId: 3, at: 3 });
    await log.flush();

    // quota is not transient: one try, no pointless retries
    expect(bulkAdd).toHaveBeenCalledTimes(1);
    expect(failures).toHaveLength(1);
    expect(failures[0].message).toBe(
      "Your browser's storage is full: the last 2 events were not saved. They are kept in this tab and saved when there is space again (free some space, or erase old data in Your data).",
    );
    expect((failures[0].error as DOMException).name).toBe('QuotaExceededError');
    expect(log.pendingCount).toBe(2);
    expect((await log.all()).map((e) => e.itemId)).toEqual([1]);

    // while stalled, new events wait in memory instead of failing on every click
    log.record({ kind: 'view', itemId: 4, at: 4 });
    await new Promise((r) => setTimeout(r, 20));
    expect(failures).toHaveLength(1);

    // space freed: a later flush saves everything, in order
    bulkAdd.mockRestore();
    await log.flush();
    expect(log.pendingCount).toBe(0);
    expect((await log.all()).map((e) => e.itemId)).toEqual([1, 2, 3, 4]);
  });

  it('tries again by itself after a quota failure, saves everything kept once space returns, and says so', async () => {
    const log = newLog({ recoveryDelayMs: 30 });
    const bulkAdd = vi.spyOn(db.events, 'bulkAdd').mockImplementation(() => {
      throw quotaError();
    });
    const recovered = vi.fn();
    log.onRecovered(recovered);
    log.record({ kind: 'view', itemId: 1, at: 1 });
    await log.flush();
    expect(log.pendingCount).toBe(1);
    log.record({ kind: 'view', itemId: 2, at: 2 });

    // space freed; nobody calls flush(): the recovery try saves both, in order
    bulkAdd.mockRestore();
    await vi.waitFor(() => expect(recovered).toHaveBeenCalledTimes(1), patience);
    expect(log.pendingCount).toBe(0);
    expect((await log.all()).map((e) => e.itemId)).toEqual([1, 2]);
  });

  it('reports a closed database after one try', async () => {
    const log = newLog();
    const failures = vi.fn();
    log.onWriteFailure(failures);
    await log.ready;
    db.close();
    log.record({ kind: 'view', itemId: 1, at: 1 });
    await log.flush();
    expect(failures).toHaveBeenCalledTimes(1);
    expect(failures.mock.calls[0][0]).toMatch(
      /^The on-device database is closed or damaged: the last event was not saved/,
    );
    expect(log.pendingCount).toBe(1);
  });

  it('gives up on a persistent transient failure after the configured tries', async () => {
    const log = newLog();
    const bulkAdd = vi.spyOn(db.events, 'bulkAdd').mockRejectedValue(new Error('flaky'));
    const failures = vi.fn();
    const stopListening = log.onWriteFailure(failures);
    log.record({ kind: 'view', itemId: 1, at: 1 });
    await log.flush();
    expect(bulkAdd).toHaveBeenCalledTimes(3);
    expect(failures.mock.calls[0][0]).toMatch(/failed 3 times: the last event was not saved/);
    stopListening();
    await log.flush();
    expect(failures).toHaveBeenCalledTimes(1);

    // a listener that throws does not stop the queue from working once storage recovers
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    log.onWriteFailure(() => {
      throw new Error('listener bug');
    });
    await log.flush();
    bulkAdd.mockRestore();
    await log.flush();
    expect(await log.count()).toBe(1);
  });
});

describe('tracking pause', () => {
  it('drops behavioural events while paused but keeps functional ones the caller asks for', async () => {
    const log = newLog();
    await log.setPaused(true);
    expect(log.isPaused).toBe(true);
    expect(await getSetting(db, 'trackingPaused')).toBe(true);
    expect(log.record({ kind: 'view', itemId: 1 })).toBe(false);
    expect(log.record({ kind: 'purchase', itemId: 2 })).toBe(false);
    expect(log.record({ kind: 'purchase', itemId: 3 }, { functional: true })).toBe(true);
    // asking does not make a behavioural event functional
    expect(log.record({ kind: 'view', itemId: 4 }, { functional: true })).toBe(false);
    await log.flush();
    expect((await log.all()).map((e) => e.itemId)).toEqual([3]);
  });

  it('pausing discards events still waiting in the queue', async () => {
    const log = newLog();
    log.record({ kind: 'view', itemId: 1 });
    log.record({ kind: 'cartAdd', itemId: 2 }, { functional: true });
    await log.setPaused(true);
    await log.flush();
    expect((await log.all()).map((e) => e.itemId)).toEqual([2]);
  });

  it('honours a pause stored by another tab at write time', async () => {
    const log = newLog();
    await log.ready;
    log.record({ kind: 'view', itemId: 1 });
    await db.settings.put({ key: 'trackingPaused', value: true });
    await log.flush();
    expect(await log.count()).toBe(0);
    expect(log.isPaused).toBe(true);
  });

  it('reads the stored setting on start', async () => {
    db = freshDb();
    await db.settings.put({ key: 'trackingPaused', value: true });
    const log = new EventLog(db, { sessions: createSessionTracker(memoryStore()) });
    await log.ready;
    expect(log.isPaused).toBe(true);
  });
});

describe('EventLog queries', () => {
  async function seeded() {
    const log = newLog();
    for (const [i, kind] of (['view', 'purchase', 'view', 'purchase', 'search'] as const).entries()) {
      log.record({ kind, itemId: i, at: (i + 1) * 100 });
    }
    await log.flush();
    return log;
  }

  it('counts, pages newest first, and reads since a time', async () => {
    const log = await seeded();
    expect(await log.count()).toBe(5);
    expect((await log.page(0, 2)).map((e) => e.at)).toEqual([500, 400]);
    expect((await log.page(2, 2)).map((e) => e.at)).toEqual([300, 200]);
    expect((await log.page(4, 2)).map((e) => e.at)).toEqual([100]);
    expect((await log.since(300)).map((e) => e.at)).toEqual([300, 400, 500]);
    expect((await log.ofKind('purchase')).map((e) => e.at)).toEqual([200, 400]);
    expect((await log.ofKind('purchase', 300)).map((e) => e.at)).toEqual([400]);
  });

  it('deletes one event and an inclusive time range', async () => {
    const log = await seeded();
    const [newest] = await log.page(0, 1);
    await log.deleteOne(newest.id!);
    expect(await log.count()).toBe(4);
    expect(await log.deleteRange(200, 300)).toBe(2);
    expect((await log.all()).map((e) => e.at)).toEqual([100, 400]);
  });

  it('tells onStored listeners the stored events with their ids', async () => {
    const log = newLog();
    const told: { id?: number; itemId?: number }[][] = [];
    log.onStored((events) => told.push(events.map(({ id, itemId }) => ({ id, itemId }))));
    log.record({ kind: 'view', itemId: 7, at: 10 });
    log.record({ kind: 'view', itemId: 8, at: 20 });
    await log.flush();
    expect(told).toEqual([
      [
        { id: 1, itemId: 7 },
        { id: 2, itemId: 8 },
      ],
    ]);
  });

  it('deletes events older than the retention window, and none when kept forever', async () => {
    const log = newLog();
    const day = 86_400_000;
    const now = 100 * day;
    // 40, 30 and 29 days old
    for (const age of [40, 30, 29]) log.record({ kind: 'view', itemId: age, at: now - age * day });
    await log.flush();
    expect(await deleteEventsOlderThan(db, null, now)).toBe(0);
    expect((await eventsAfterId(db, 1)).map((e) => e.id)).toEqual([2, 3]);
    // exactly 30 days old is still inside a 30-day window
    expect(await deleteEventsOlderThan(db, 30, now)).toBe(1);
    expect((await log.all()).map((e) => e.itemId)).toEqual([30, 29]);
  });

  it('deleteRange also removes matching events not yet written', async () => {
    const log = newLog();
    log.record({ kind: 'view', itemId: 1, at: 50 });
    log.record({ kind: 'view', itemId: 2, at: 150 });
    await log.deleteRange(0, 100);
    await log.flush();
    expect((await log.all()).map((e) => e.at)).toEqual([150]);
  });
});

describe('write failure classification', () => {
  it('treats quota and closed databases as permanent, others as transient', () => {
    expect(isPermanentWriteError(quotaError())).toBe(true);
    expect(isPermanentWriteError({ name: 'AbortError', inner: quotaError() })).toBe(true);
    expect(isPermanentWriteError({ name: 'DatabaseClosedError' })).toBe(true);
    expect(isPermanentWriteError(new DOMException('x', 'AbortError'))).toBe(false);
    expect(isPermanentWriteError('nope')).toBe(false);
  });

  it('words the message for one event', () => {
    expect(describeWriteFailure(quotaError(), 1, 3)).toContain('the last event was not saved');
  });
});

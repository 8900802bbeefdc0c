// The quota test hook: inert unless a test sets it, and when set every write of the connection
// fails as a full disk makes it fail, so the event log's real failure path is what runs.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { addToCart } from './cart';
import type { AisleDb } from './db';
import { EventLog } from './events';
import { putCheckpoint } from './models';
import type { CheckpointRecord } from './records';
import { createSessionTracker, memoryStore } from './session';
import { cleanUpAfterEach, freshDb } from './testSupport';

let db: AisleDb;
cleanUpAfterEach(() => db);
afterEach(() => {
  globalThis.__aisleTest = undefined;
});

const newLog = () =>
  new EventLog(db, { batchDelayMs: 1, retryDelaysMs: [1, 1], sessions: createSessionTracker(memoryStore()) });

const errorName = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error as { name?: string }).name,
  );

describe('the quotaFull test hook', () => {
  it('is inert unless set: writes go through', async () => {
    db = freshDb();
    await addToCart(db, 7, 100);
    globalThis.__aisleTest = { quotaFull: false };
    await addToCart(db, 8, 200);
    expect(await db.cartLines.count()).toBe(2);
  });

  it('makes every write reject with QuotaExceededError: events, the cart and a checkpoint', async () => {
    db = freshDb();
    await addToCart(db, 7, 100);
    globalThis.__aisleTest = { quotaFull: true };
    expect(await errorName(db.events.add({ kind: 'view', at: 1, sessionId: 's', itemId: 3 }))).toBe(
      'QuotaExceededError',
    );
    expect(await errorName(addToCart(db, 8, 200))).toBe('QuotaExceededError');
    const checkpoint: CheckpointRecord = {
      name: 'mf',
      snapshot: { name: 'mf', config: {}, arrays: {} },
      epoch: 1,
      epochs: 2,
      dataHash: 'h',
      savedAt: 3,
    };
    expect(await errorName(putCheckpoint(db, checkpoint))).toBe('QuotaExceededError');
    // reads still work, and what was stored before is all there
    expect(await db.cartLines.count()).toBe(1);
    expect(await db.events.count()).toBe(0);
  });

  it('drives the event log through a full disk: told, kept in memory, nothing stored lost, saved when space returns', async () => {
    db = freshDb();
    const log = newLog();
    log.record({ kind: 'view', itemId: 1, at: 10 });
    await log.flush();
    const messages: string[] = [];
    let recovered = 0;
    log.onWriteFailure((message) => messages.push(message));
    log.onRecovered(() => (recovered += 1));

    globalThis.__aisleTest = { quotaFull: true };
    log.record({ kind: 'view', itemId: 2, at: 20 });
    log.record({ kind: 'search', query: 'chess', at: 30 });
    await log.flush();
    expect(messages).toEqual([
      "Your browser's storage is full: the last 2 events were not saved. They are kept in this tab and saved when there is space again (free some space, or erase old data in Your data).",
    ]);
    expect(log.pendingCount).toBe(2);
    expect((await log.all()).map((e) => e.at)).toEqual([10]);

    globalThis.__aisleTest = { quotaFull: false };
    await log.flush();
    expect(recovered).toBe(1);
    expect(log.pendingCount).toBe(0);
    expect((await log.all()).map((e) => e.at)).toEqual([10, 20, 30]);
  });
});

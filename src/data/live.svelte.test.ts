import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AisleDb } from './db';
import { LiveQueryState } from './live.svelte';
import { freshDb } from './testSupport';

let db: AisleDb;
afterEach(async () => {
  await db.delete();
});

describe('LiveQueryState', () => {
  it('starts at the initial value, then follows writes until stopped', async () => {
    db = freshDb();
    const count = new LiveQueryState(() => db.events.count(), -1);
    expect(count.current).toBe(-1);
    const stop = count.start();
    await vi.waitFor(() => expect(count.current).toBe(0));

    await db.events.add({ kind: 'view', at: 1, sessionId: 's', itemId: 1 });
    await vi.waitFor(() => expect(count.current).toBe(1));

    stop();
    await db.events.add({ kind: 'view', at: 2, sessionId: 's', itemId: 2 });
    await new Promise((r) => setTimeout(r, 30));
    expect(count.current).toBe(1);
  });

  it('exposes query errors and clears them on the next result', async () => {
    db = freshDb();
    let fail = true;
    const rows = new LiveQueryState(async () => {
      const all = await db.cart.toArray();
      if (fail) throw new Error('boom');
      return all;
    }, []);
    const stop = rows.start();
    await vi.waitFor(() => expect((rows.error as Error | undefined)?.message).toBe('boom'));
    stop();
    fail = false;
    const stopAgain = rows.start();
    await db.cart.add({ itemId: 5, addedAt: 1 });
    await vi.waitFor(() => expect(rows.current).toEqual([{ itemId: 5, addedAt: 1 }]));
    expect(rows.error).toBeUndefined();
    stopAgain();
  });
});

// A first visit straight to a game page records its view while storage is still opening: the
// view must be kept (with the time it happened), stored once storage is open, and come after
// the events already stored, not be dropped.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { getDb } from '../data/db';

const { shopper } = await import('./shopper.svelte');

describe('events recorded before storage has opened', () => {
  it('are kept and stored once it has, after what was stored before', async () => {
    const db = getDb();
    await db.open();
    await db.events.add({ kind: 'view', itemId: 1, at: 1_000, sessionId: 'earlier' });

    shopper.record({ kind: 'view', itemId: 42, at: 5_000 });
    expect(shopper.events).toEqual([]); // nothing is read yet: the view waits
    await shopper.load();

    expect(shopper.events.map((e) => [e.itemId, e.at])).toEqual([
      [1, 1_000],
      [42, 5_000],
    ]);
    await shopper.eventLog!.flush();
    const stored = await db.events.orderBy('id').toArray();
    expect(stored.map((e) => [e.itemId, e.at])).toEqual([
      [1, 1_000],
      [42, 5_000],
    ]);
  });
});

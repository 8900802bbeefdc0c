// A sealed row whose bytes were damaged on disk: it reads as absent and is counted, every other
// row of its table still opens, and the damaged row is left stored as it was.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { AisleDb, schemaVersions } from '../db';
import { EventLog } from '../events';
import { freshDb, openAtVersion } from '../testSupport';
import type { ShopperEvent } from '../types';

let db: AisleDb;
afterEach(async () => {
  db.close();
  await db.delete();
});

const events: ShopperEvent[] = [10, 20, 30].map((at, i) => ({
  kind: 'view',
  at,
  sessionId: 's',
  itemId: i + 1,
}));

/** Flips one bit of event `id`'s sealed bytes, through a connection without the middleware. */
async function flipSealedByte(name: string, id: number) {
  const plain = openAtVersion(name, schemaVersions[schemaVersions.length - 1]);
  await plain.open();
  try {
    const row = (await plain.table('events').get(id)) as { sealed: Uint8Array };
    const sealed = row.sealed.slice();
    sealed[sealed.length - 1] ^= 0x01;
    await plain.table('events').put({ ...row, sealed });
  } finally {
    plain.close();
  }
}

describe('a damaged sealed row', () => {
  it('is skipped and counted; the other rows open; the row stays stored', async () => {
    db = freshDb();
    await db.events.bulkAdd(events.map((event) => ({ ...event })));
    await db.vault.enable('correct horse battery', { iterations: 1_000 });
    await flipSealedByte(db.name, 2);

    expect((await new EventLog(db).all()).map((e) => e.itemId)).toEqual([1, 3]);
    expect(await db.events.get(2)).toBeUndefined();
    expect((await db.events.get(3))?.itemId).toBe(3);
    expect(db.unreadable.count).toBe(1);
    expect(await db.events.count()).toBe(3);
  });
});

import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { AisleDb } from './db';
import type { StoredOffer } from './offerTypes';
import { listOffers, replaceStandingOffers, unreplacedOffers } from './offers';
import { freshDb } from './testSupport';

let db: AisleDb;
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

const offer = (id: string, madeAt: number, profileHash = 'h1'): StoredOffer => ({
  id,
  kind: 'discount',
  lines: [{ itemId: 1, originalPrice: 20, offeredPrice: 15 }],
  reason: `why ${id}`,
  madeAt,
  expiresAt: madeAt + 1_000,
  profileHash,
  withdrawnAt: null,
});

describe('offers repository', () => {
  it('keeps every offer made: a new set replaces the standing one, which stays listed as replaced', async () => {
    db = freshDb();
    await replaceStandingOffers(db, [offer('a', 10), offer('b', 10)], 10);
    expect((await unreplacedOffers(db)).map((o) => o.id).sort()).toEqual(['a', 'b']);
    await replaceStandingOffers(db, [offer('c', 50, 'h2')], 50);
    expect((await unreplacedOffers(db)).map((o) => o.id)).toEqual(['c']);
    const all = await listOffers(db);
    // newest first, the replaced ones marked at the time they were replaced
    expect(all.map((o) => [o.id, o.withdrawnAt])).toEqual([
      ['c', null],
      ['a', 50],
      ['b', 50],
    ]);
  });

  it('an offer made again overwrites its row instead of listing it twice, and an empty set replaces all', async () => {
    db = freshDb();
    await replaceStandingOffers(db, [offer('a', 10)], 10);
    await replaceStandingOffers(db, [offer('a', 2_000)], 2_000);
    expect((await listOffers(db)).map((o) => [o.id, o.madeAt, o.withdrawnAt])).toEqual([['a', 2_000, null]]);
    await replaceStandingOffers(db, [], 3_000);
    expect(await unreplacedOffers(db)).toEqual([]);
    expect((await listOffers(db))[0].withdrawnAt).toBe(3_000);
  });
});

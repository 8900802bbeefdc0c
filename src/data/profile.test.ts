// The interpretable profile and the shopper's edits in the profile table.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { AisleDb } from './db';
import {
  clearProfile,
  getProfileEdits,
  getShopperProfile,
  listProfile,
  profileKeys,
  putProfileEdits,
  putProfileWithEdits,
  putShopperProfile,
  setProfileValue,
} from './profile';
import {
  profileEditsSchemaVersion,
  shopperProfileSchemaVersion,
  type ProfileEdits,
  type ShopperProfile,
} from './profileTypes';
import { cleanUpAfterEach, freshDb } from './testSupport';

let db: AisleDb;
cleanUpAfterEach(() => db);

const profile: ShopperProfile = {
  schemaVersion: shopperProfileSchemaVersion,
  affinities: {
    genre: { Strategy: { mass: 5.5, refAt: 2_000, evidence: [{ eventId: 2, contribution: 5 }] } },
    tag: {},
    developer: {},
    priceBand: {},
    releaseEra: {},
    freeOrPaid: {},
  },
  activity: {
    eventCount: 2,
    sessionEventCounts: { s1: 2 },
    firstAt: 1_000,
    lastAt: 2_000,
    firstEventId: 1,
    lastEventId: 2,
  },
  purchases: { count: 1, totalSpent: 20, lastAt: 2_000, recent: [{ eventId: 2, at: 2_000 }] },
  price: { viewedCount: 1, viewedSum: 20, boughtCount: 1, boughtSum: 20, evidence: [] },
  exploration: {
    lookCount: 1,
    itemLooks: { 7: 1 },
    genreLooks: { Strategy: 1 },
    genreFirstLooks: { Strategy: { eventId: 1, at: 1_000 } },
  },
};

const edits: ProfileEdits = {
  schemaVersion: profileEditsSchemaVersion,
  adjustments: { genre: { Strategy: 'mute' }, tag: {}, developer: { Valve: 'boost' } },
  priceCeiling: 25,
  excludedEventIds: [3],
  resetAt: null,
};

describe('profile repository', () => {
  it('round-trips the interpretable profile and the edits', async () => {
    db = freshDb();
    expect(await getShopperProfile(db)).toBeUndefined();
    expect(await getProfileEdits(db)).toBeUndefined();
    await putShopperProfile(db, profile, 10);
    await putProfileEdits(db, edits, 11);
    expect(await getShopperProfile(db)).toEqual(profile);
    expect(await getProfileEdits(db)).toEqual(edits);
    expect((await listProfile(db)).map((r) => [r.key, r.updatedAt]).sort()).toEqual([
      [profileKeys.interpretable, 10],
      [profileKeys.edits, 11],
    ]);
  });

  it('ignores a profile of another schema version, so the caller recomputes it', async () => {
    db = freshDb();
    await setProfileValue(db, profileKeys.interpretable, { ...profile, schemaVersion: 0 });
    expect(await getShopperProfile(db)).toBeUndefined();
  });

  it('refuses edits of an unknown version rather than dropping them', async () => {
    db = freshDb();
    await setProfileValue(db, profileKeys.edits, { ...edits, schemaVersion: 99 });
    await expect(getProfileEdits(db)).rejects.toThrow(/version 99/);
  });

  it('writes a profile with its edits together, and clearProfile removes both', async () => {
    db = freshDb();
    await putProfileWithEdits(db, profile, edits, 5);
    expect(await getShopperProfile(db)).toEqual(profile);
    expect(await getProfileEdits(db)).toEqual(edits);
    await clearProfile(db);
    expect(await listProfile(db)).toEqual([]);
  });

  it('writes neither when the transaction fails', async () => {
    db = freshDb();
    await putShopperProfile(db, profile, 1);
    const broken = { ...profile, affinities: { ...profile.affinities, genre: { f: () => 0 } } };
    await expect(
      putProfileWithEdits(db, broken as unknown as ShopperProfile, { ...edits, priceCeiling: 1 }, 2),
    ).rejects.toThrow();
    expect(await getShopperProfile(db)).toEqual(profile);
    expect(await getProfileEdits(db)).toBeUndefined();
  });
});

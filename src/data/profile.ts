// Profile repository: what the app has learned about the shopper, one row per key, so
// "Your data" can show each piece and the shopper can delete any of them.
import type { AisleDb } from './db';
import {
  profileEditsSchemaVersion,
  shopperProfileSchemaVersion,
  type ProfileEdits,
  type ShopperProfile,
} from './profileTypes';
import type { ProfileRecord, ShopperEmbedding } from './records';

/** Well-known profile keys; other keys are allowed for experimental features. */
export const profileKeys = {
  /** ShopperEmbedding: the learned taste vector. */
  shopperEmbedding: 'shopperEmbedding',
  /** ShopperProfile: the interpretable profile (affinities, activity, purchases, price, exploration). */
  interpretable: 'interpretableProfile',
  /** ProfileEdits: the shopper's boosts, mutes, price ceiling, excluded events and reset. */
  edits: 'profileEdits',
} as const;

export async function getProfileValue<T>(db: AisleDb, key: string): Promise<T | undefined> {
  const row = await db.profile.get(key);
  return row?.value as T | undefined;
}

export async function setProfileValue<T>(
  db: AisleDb,
  key: string,
  value: T,
  now = Date.now(),
): Promise<void> {
  await db.profile.put({ key, value, updatedAt: now });
}

export async function listProfile(db: AisleDb): Promise<ProfileRecord[]> {
  return db.profile.toArray();
}

export async function deleteProfileValue(db: AisleDb, key: string): Promise<void> {
  await db.profile.delete(key);
}

export async function clearProfile(db: AisleDb): Promise<void> {
  await db.profile.clear();
}

export const getShopperEmbedding = (db: AisleDb): Promise<ShopperEmbedding | undefined> =>
  getProfileValue<ShopperEmbedding>(db, profileKeys.shopperEmbedding);

export const setShopperEmbedding = (
  db: AisleDb,
  embedding: ShopperEmbedding,
  now = Date.now(),
): Promise<void> => setProfileValue(db, profileKeys.shopperEmbedding, embedding, now);

/**
 * The stored interpretable profile, or undefined when there is none or it was written at
 * another schema version: the caller then recomputes it from the events.
 */
export async function getShopperProfile(db: AisleDb): Promise<ShopperProfile | undefined> {
  const profile = await getProfileValue<ShopperProfile>(db, profileKeys.interpretable);
  return profile?.schemaVersion === shopperProfileSchemaVersion ? profile : undefined;
}

export const putShopperProfile = (db: AisleDb, profile: ShopperProfile, now = Date.now()): Promise<void> =>
  setProfileValue(db, profileKeys.interpretable, profile, now);

/**
 * The shopper's edits, or undefined when they made none. Edits cannot be recomputed, so
 * edits from an unknown version (a newer build, then a downgrade) are refused rather than
 * dropped: overwriting them would lose what the shopper said.
 */
export async function getProfileEdits(db: AisleDb): Promise<ProfileEdits | undefined> {
  const edits = await getProfileValue<ProfileEdits>(db, profileKeys.edits);
  if (edits !== undefined && edits.schemaVersion !== profileEditsSchemaVersion) {
    throw new Error(
      `profile edits were saved at version ${edits.schemaVersion}; this build reads version ${profileEditsSchemaVersion}`,
    );
  }
  return edits;
}

export const putProfileEdits = (db: AisleDb, edits: ProfileEdits, now = Date.now()): Promise<void> =>
  setProfileValue(db, profileKeys.edits, edits, now);

/**
 * Writes the edits and the profile recomputed under them in one transaction, so a closed
 * tab never leaves an exclusion or a reset stored beside a profile that ignores it.
 */
export async function putProfileWithEdits(
  db: AisleDb,
  profile: ShopperProfile,
  edits: ProfileEdits,
  now = Date.now(),
): Promise<void> {
  await db.transaction('rw', db.profile, async () => {
    await db.profile.bulkPut([
      { key: profileKeys.edits, value: edits, updatedAt: now },
      { key: profileKeys.interpretable, value: profile, updatedAt: now },
    ]);
  });
}

// Profile repository: what the app has learned about the shopper, one row per key, so
// "Your data" can show each piece and the shopper can delete any of them.
import type { AisleDb } from './db';
import type { ProfileRecord, ShopperEmbedding } from './records';

/** Well-known profile keys; other keys are allowed for experimental features. */
export const profileKeys = {
  /** ShopperEmbedding: the learned taste vector. */
  shopperEmbedding: 'shopperEmbedding',
  /** Record<genre, weight>: interpretable genre affinities. */
  genreAffinity: 'genreAffinity',
  /** Record<tag, weight>: interpretable tag affinities. */
  tagAffinity: 'tagAffinity',
  /** { low: number; high: number }: the price band the shopper usually buys in. */
  priceBand: 'priceBand',
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

// Which stored records are the shopper's own, and what of them may stay readable when sealed.
// Readable fields are keys and indexes the database needs to find rows without the key; none
// of them names a game, a title, a price or a search: that all lives inside the sealed bytes.
import type { SettingKey } from '../records';

export interface TablePolicy {
  /** Fields copied unencrypted beside the sealed bytes: the primary key and the indexes. */
  readonly readableFields: readonly string[];
  /** Whether a record is the shopper's data (sealed); others stay readable and are kept while locked. */
  readonly isShopperData: (record: Record<string, unknown>) => boolean;
}

const always = () => true;

/** Settings that reveal taste; the others (paused, backend, retention, ...) say nothing about it. */
export const tasteSettingKeys: ReadonlySet<SettingKey> = new Set<SettingKey>(['diversity', 'popularity']);

export const protectedTables: Readonly<Record<string, TablePolicy>> = {
  // the kind and time of each event stay readable: retention, "purchases since" and the
  // newest-first list query them without the key (what and which game do not)
  events: { readableFields: ['id', 'kind', 'at'], isShopperData: always },
  cartLines: { readableFields: ['id'], isShopperData: always },
  profile: { readableFields: ['key', 'updatedAt'], isShopperData: always },
  settings: {
    readableFields: ['key'],
    isShopperData: (record) => tasteSettingKeys.has(record.key as SettingKey),
  },
  // a model trained on community players alone holds nothing of the shopper's
  models: {
    readableFields: ['name', 'trainedAt'],
    isShopperData: (record) => typeof record.eventsUsed === 'number' && record.eventsUsed > 0,
  },
  checkpoints: { readableFields: ['name'], isShopperData: always },
  // an offer's id is a hash (recs/offers chooseOffers), so neither key nor index names a game
  offers: { readableFields: ['id', 'madeAt'], isShopperData: always },
};

export const protectedTableNames: readonly string[] = Object.keys(protectedTables);

/** The field that marks a sealed row and holds its iv and ciphertext. */
export const sealedField = 'sealed';

export type SealedRow = Record<string, unknown> & { [sealedField]: Uint8Array };

export const isSealedRow = (row: unknown): row is SealedRow =>
  typeof row === 'object' &&
  row !== null &&
  (row as Record<string, unknown>)[sealedField] instanceof Uint8Array;

// The on-device database. Every table, index and schema version is declared here and
// nowhere else, so the whole history of the schema can be read (and tested) in one place.
import Dexie, { type DexieOptions, type EntityTable, type Table, type Transaction } from 'dexie';
import type { ModelName } from '../ml/recommender';
import type {
  CartRecord,
  CheckpointRecord,
  DatasetRecord,
  EvalRunRecord,
  ImportedModelRecord,
  ModelRecord,
  ProfileRecord,
  SettingKey,
  SettingRecord,
} from './records';
import type { StoredOffer } from './offerTypes';
import type { ShopperEvent } from './types';
import type { KeyringRecord } from './encryption/keyring';
import { encryptionMiddleware } from './encryption/middleware';
import { realmLocalStorage, stateVersionMiddleware } from './stateVersion';
import { Vault } from './encryption/vault';
import { faultHooksMiddleware } from './faultHooks';
import { UnreadableRecords } from './unreadable';

export const databaseName = 'aisle';

/** One step in the schema's history: the stores as of that version and how to migrate data. */
export interface SchemaVersion {
  version: number;
  /** Dexie store specs; only tables that are new or changed need to be listed. */
  stores: Record<string, string | null>;
  /** Rewrites existing rows when the shape of stored data changes. */
  upgrade?: (tx: Transaction) => Promise<void> | void;
}

/**
 * Every schema version, oldest first. To change the schema, append a version (never edit
 * an old one: browsers that already ran it would not run it again) and add its case to
 * db.migrations.test.ts, which fails until you do.
 */
export const schemaHistory: readonly SchemaVersion[] = [
  {
    version: 1,
    stores: {
      // Everything the shopper did, in time order. [kind+at] serves "purchases since T".
      events: '++id, kind, at, itemId, sessionId, [kind+at]',
      // The shopping cart, one row per game.
      cart: 'itemId',
      // User-facing settings: key -> value (see Settings in records.ts).
      settings: 'key',
      // What the app learned about the shopper: interpretable features and the embedding.
      profile: 'key',
      // Trained models (snapshot + model card), one per model name.
      models: 'name, trainedAt',
      // Unfinished training runs, one per model name, so training resumes after a reload.
      checkpoints: 'name',
      // Lab results: one row per (model, dataset) evaluation.
      evalRuns: '++id, createdAt, dataset, model',
      // Imported datasets with their data as typed arrays, keyed by content hash.
      datasets: 'hash, importedAt',
    },
  },
  {
    version: 2,
    stores: {
      // Every personalised offer made to the shopper, standing or replaced, newest first by madeAt.
      // A new table: every v1 row stays as it was, so no upgrade rewrites anything.
      offers: 'id, madeAt',
    },
  },
  {
    // Encryption at rest (docs/encryption.md): an index must not reveal what a sealed row hides.
    // Events lose their itemId and sessionId indexes (nothing queried them); the cart, keyed by
    // the game's id, moves to cartLines keyed by a counter; the keyring holds the wrapped key.
    version: 3,
    stores: {
      events: '++id, kind, at, [kind+at]',
      cartLines: '++id',
      keyring: 'id',
    },
    async upgrade(tx) {
      const lines = await tx.table('cart').toArray();
      await tx.table('cartLines').bulkAdd(lines.map(({ itemId, addedAt }) => ({ itemId, addedAt })));
    },
  },
  {
    // separate from version 3, so its upgrade could still read the old cart before it goes
    version: 4,
    stores: { cart: null },
  },
  {
    // A community model trained elsewhere that replaces the store's own MF (docs/lab.md "Bring a
    // model"), one row per slot. A new table: every v4 row stays as it was, so no upgrade rewrites
    // anything.
    version: 5,
    stores: { importedModels: 'slot' },
  },
];

export const schemaVersions: readonly number[] = schemaHistory.map((step) => step.version);

export class AisleDb extends Dexie {
  // Table accessors are filled in by Dexie from the schema below.
  events!: EntityTable<ShopperEvent, 'id'>;
  /** The cart, one row per game, keyed by a counter (a key may not name the game). */
  cartLines!: EntityTable<CartRecord, 'id'>;
  settings!: Table<SettingRecord, SettingKey>;
  profile!: Table<ProfileRecord, string>;
  models!: Table<ModelRecord, ModelName>;
  checkpoints!: Table<CheckpointRecord, ModelName>;
  evalRuns!: EntityTable<EvalRunRecord, 'id'>;
  datasets!: Table<DatasetRecord, string>;
  offers!: Table<StoredOffer, string>;
  /** The community model brought from another system that the store uses in place of its own MF. */
  importedModels!: Table<ImportedModelRecord, ImportedModelRecord['slot']>;
  /** The wrapped data key, while the shopper has set a passphrase. */
  keyring!: Table<KeyringRecord, string>;
  /** This connection's side of encryption at rest: whether it is on, locked or unlocked. */
  readonly vault: Vault;
  /** Records this connection skipped because they could not be read (see unreadable.ts). */
  readonly unreadable = new UnreadableRecords();

  /** Tests pass a unique name and, if there is no global indexedDB, fake-indexeddb in options. */
  constructor(name: string = databaseName, options?: DexieOptions) {
    // No cache of live-query results: a lock or an unlock changes what a read returns without any
    // write, and a cached result would keep showing the shopper's rows after a lock.
    super(name, { cache: 'disabled', ...options });
    for (const step of schemaHistory) {
      const version = this.version(step.version).stores(step.stores);
      if (step.upgrade) version.upgrade(step.upgrade);
    }
    const vault = new Vault(this);
    this.vault = vault;
    this.use(
      encryptionMiddleware(
        () => vault,
        (core) => (vault.storedCore = core),
        (table, key) => this.unreadable.note(table, key),
      ),
    );
    this.use(faultHooksMiddleware());
    this.use(stateVersionMiddleware(realmLocalStorage));
    // whether a passphrase is set is known before the first read, at every open (sticky: an
    // erase deletes the database, and the next open must find no keyring)
    this.on('ready', (vipDb) => vault.refresh(vipDb.table('keyring')), true);
  }
}

let sharedDb: AisleDb | undefined;

/** The app's one database connection, opened lazily on first use. */
export const getDb = (): AisleDb => (sharedDb ??= new AisleDb());

// The shopper's passphrase choice for one database connection: set it, lock, unlock, change it,
// remove it. The data key lives only in memory (a reload locks); the keyring table holds it
// wrapped. Each page or worker has its own connection and vault: the page hands its key to the
// store worker (useKey), and other tabs hear of a new or removed passphrase over a
// BroadcastChannel and re-read the keyring.
import Dexie, { type DBCore, type DBCoreKeyRange, type DBCoreTransaction, type Table } from 'dexie';
import type { KeyringOptions, KeyringRecord } from './keyring';
import { keepAlive, type VaultStatus, type VaultView } from './middleware';
import { isSealedRow, protectedTableNames, protectedTables, type SealedRow } from './policy';
import { openRow, sealRow } from './seal';

export type { VaultStatus } from './middleware';

/** What the vault needs of the database (AisleDb), kept narrow to avoid a cycle with db.ts. */
export interface VaultDb {
  readonly name: string;
  keyring: Table<KeyringRecord, string>;
  table(name: string): Table;
  transaction<T>(mode: 'rw', tables: Table[], scope: () => Promise<T>): Promise<T>;
}

export type KeyListener = (key: CryptoKey | null) => void;

const channelName = 'aisle-vault';
type VaultMessage = { type: 'keyringChanged'; database: string };

// PBKDF2 and key wrapping run only when the shopper acts, so they load then (not at start-up)
const loadKeyring = () => import('./keyring');

export class Vault implements VaultView {
  private hasKeyring = false;
  private dataKey: CryptoKey | null = null;
  /** The layer under the encryption middleware (set when the database opens): rows as stored. */
  storedCore: DBCore | null = null;
  private readonly keyListeners = new Set<KeyListener>();
  private readonly channel: BroadcastChannel | null;

  constructor(private readonly db: VaultDb) {
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(channelName) : null;
    // in Node (tests, scripts) an open channel would keep the process alive; browsers have no unref
    (this.channel as { unref?: () => void } | null)?.unref?.();
    this.channel?.addEventListener('message', (message: MessageEvent<VaultMessage>) => {
      if (message.data?.type === 'keyringChanged' && message.data.database === db.name) void this.refresh();
    });
  }

  get status(): VaultStatus {
    return !this.hasKeyring ? 'off' : this.dataKey ? 'unlocked' : 'locked';
  }

  get key(): CryptoKey | null {
    return this.hasKeyring ? this.dataKey : null;
  }

  /** Told the key to use from now on (null: locked); the page passes it on to its store worker. */
  onKeyChange(listener: KeyListener): () => void {
    this.keyListeners.add(listener);
    return () => this.keyListeners.delete(listener);
  }

  /** Reads whether a passphrase is set; run whenever the database opens and when another tab changes it. */
  async refresh(keyring: Table<KeyringRecord, string> = this.db.keyring): Promise<void> {
    this.hasKeyring = (await keyring.get('dataKey')) !== undefined;
  }

  /**
   * Sets a passphrase: a new data key, stored wrapped, and every record of the shopper's sealed.
   * The keyring is stored first, so if sealing fails half-way every row is still readable
   * (plain or sealed) and the next unlock seals the rest.
   */
  async enable(passphrase: string, options: KeyringOptions = {}): Promise<void> {
    if (this.status !== 'off') throw new Error('A passphrase is already set: change it instead.');
    const { createKeyring, passphraseProblem } = await loadKeyring();
    const problem = passphraseProblem(passphrase);
    if (problem) throw new Error(problem);
    const { keyring, dataKey } = await createKeyring(passphrase, options);
    await this.db.keyring.put(keyring);
    this.hasKeyring = true;
    this.setKey(dataKey);
    this.announce();
    await this.sealPlainRows();
  }

  /** Refuses a wrong passphrase (WrongPassphraseError) and changes nothing then. */
  async unlock(passphrase: string): Promise<void> {
    const { openKeyring } = await loadKeyring();
    const dataKey = await openKeyring(await this.storedKeyring(), passphrase);
    this.setKey(dataKey);
    await this.sealPlainRows();
  }

  /** Forgets the key: the store goes on without the shopper's data until unlock. */
  lock(): void {
    this.setKey(null);
  }

  /** Re-wraps the same data key under the new passphrase; no record is rewritten. */
  async changePassphrase(current: string, next: string, options: KeyringOptions = {}): Promise<void> {
    const { passphraseProblem, rewrapKeyring } = await loadKeyring();
    const problem = passphraseProblem(next);
    if (problem) throw new Error(problem);
    await this.db.keyring.put(await rewrapKeyring(await this.storedKeyring(), current, next, options));
  }

  /** Removes the passphrase: every record is opened and stored plainly again, then the keyring goes. */
  async disable(passphrase: string): Promise<void> {
    const { openKeyring } = await loadKeyring();
    const dataKey = await openKeyring(await this.storedKeyring(), passphrase);
    await this.rewriteStored(async (name, row) =>
      isSealedRow(row) ? openStored(name, row, dataKey) : undefined,
    );
    await this.db.keyring.delete('dataKey');
    this.hasKeyring = false;
    this.setKey(null);
    this.announce();
  }

  /**
   * The store worker's side of unlock: the page's key (null when the page locked). Resolves once
   * rows this connection wrote before it heard of a new passphrase are sealed too.
   */
  async useKey(key: CryptoKey | null): Promise<void> {
    this.dataKey = key;
    await this.refresh();
    await this.sealPlainRows();
  }

  /** Seals any of the shopper's rows still stored plainly (written before the key was known). */
  private sealPlainRows(): Promise<void> {
    const key = this.key;
    if (!key) return Promise.resolve();
    return this.rewriteStored(async (name, row) => {
      const policy = protectedTables[name];
      return !isSealedRow(row) && policy.isShopperData(row) ? sealRow(name, policy, row, key) : undefined;
    });
  }

  /**
   * One transaction over every protected table, seeing rows as stored: `rewrite` returns the new
   * stored form of a row, or undefined to leave it.
   */
  private async rewriteStored(
    rewrite: (table: string, row: Record<string, unknown>) => Promise<Record<string, unknown> | undefined>,
  ): Promise<void> {
    const core = this.storedCore;
    if (!core) throw new Error('The database is not open.');
    const tables = protectedTableNames.map((name) => this.db.table(name));
    await this.db.transaction('rw', tables, async () => {
      const trans = Dexie.currentTransaction.idbtrans as unknown as DBCoreTransaction;
      for (const name of protectedTableNames) {
        const table = core.table(name);
        const { result } = await table.query({
          trans,
          values: true,
          query: { index: table.schema.primaryKey, range: everyKey },
        });
        const rows = result as Record<string, unknown>[];
        const rewritten = await keepAlive(trans, name, Promise.all(rows.map((row) => rewrite(name, row))));
        const values = rewritten.filter((row) => row !== undefined);
        if (values.length > 0) await table.mutate({ trans, type: 'put', values });
      }
    });
  }

  private async storedKeyring(): Promise<KeyringRecord> {
    const keyring = await this.db.keyring.get('dataKey');
    if (!keyring) throw new Error('No passphrase is set for this data.');
    return keyring;
  }

  private setKey(key: CryptoKey | null): void {
    this.dataKey = key;
    for (const listener of this.keyListeners) listener(key);
  }

  private announce(): void {
    this.channel?.postMessage({ type: 'keyringChanged', database: this.db.name } satisfies VaultMessage);
  }
}

// DBCoreRangeType.Any (a const enum, which isolated modules cannot read)
const everyKey = { type: 3 } as unknown as DBCoreKeyRange;

const openStored = (name: string, row: SealedRow, key: CryptoKey) =>
  openRow(name, protectedTables[name], row, key);

// The shopper's passphrase, as the page shows it: whether their data is encrypted, locked or
// unlocked, and the actions of the "Your data" page. The work is done by the data layer's vault
// (src/data/encryption/vault.ts); this class keeps the page and the in-memory mirror in step.
import { getDb } from '../data/db';
import type { VaultStatus } from '../data/encryption/vault';
import { shopper } from './shopper.svelte';
import { forgetKeptHomeRows } from './firstPaint/homePaint';

class VaultState {
  status = $state<VaultStatus>('off');

  /** Read once the database is open (the vault learns at open whether a passphrase is set). */
  refresh(): void {
    this.status = getDb().vault.status;
  }

  async setPassphrase(passphrase: string): Promise<void> {
    await shopper.flush();
    try {
      await getDb().vault.enable(passphrase);
      // the home rows kept for a fast next visit are not sealed: while a passphrase is set, none are kept
      forgetKeptHomeRows();
    } finally {
      this.refresh();
    }
  }

  /** A wrong passphrase rejects (WrongPassphraseError) and changes nothing. */
  async unlock(passphrase: string): Promise<void> {
    await getDb().vault.unlock(passphrase);
    this.refresh();
    await shopper.afterUnlock();
  }

  async lock(): Promise<void> {
    await shopper.flush();
    getDb().vault.lock();
    this.refresh();
    shopper.afterLock();
  }

  changePassphrase(current: string, next: string): Promise<void> {
    return getDb().vault.changePassphrase(current, next);
  }

  async removePassphrase(passphrase: string): Promise<void> {
    await getDb().vault.disable(passphrase);
    this.refresh();
    await shopper.afterUnlock();
  }
}

export const vaultState = new VaultState();

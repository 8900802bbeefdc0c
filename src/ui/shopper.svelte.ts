// The shopper as the page sees them: their events (mirrored in memory so every
// click updates recommendations at once), their cart and their settings. Storage
// goes through the data layer's EventLog, which never blocks a click. When the browser
// gives no storage at all (private modes, blocked site data), everything lives in this
// tab only: the store keeps working and the banner says nothing will be remembered.
import { EventLog, flushOnPageHide, functionalEventKinds, type NewEvent } from '../data/events';
import { getDb } from '../data/db';
import { addToCart, checkout, listCart, purchaseEvents, removeFromCart } from '../data/cart';
import { createSessionTracker } from '../data/session';
import { getSettings, setSetting } from '../data/settings';
import { openStorage } from '../data/storage';
import type { BackendPreference } from '../data/records';
import type { ShopperEvent } from '../data/types';
import { shopperSignals } from '../recs/signals';

class Shopper {
  events = $state.raw<ShopperEvent[]>([]);
  cart = $state.raw<number[]>([]);
  diversity = $state(0.3);
  paused = $state(false);
  preferredBackend = $state<BackendPreference>('auto');
  /** A storage failure the shopper must hear about (quota, closed database). */
  writeError = $state<string | null>(null);
  loaded = $state(false);
  /** No storage in this browser: cart, session and events are kept in this tab only. */
  memoryOnly = $state(false);
  signals = $derived(shopperSignals(this.events, { cart: this.cart }));
  private log: EventLog | null = null;
  private readonly sessions = createSessionTracker();

  async load(): Promise<void> {
    const db = getDb();
    const storage = await openStorage(db);
    if (!storage.ok) {
      this.memoryOnly = true;
      this.writeError = storage.message;
      this.loaded = true;
      return;
    }
    this.log = new EventLog(db);
    this.log.onWriteFailure((message) => (this.writeError = message));
    flushOnPageHide(this.log);
    try {
      const [events, cart, settings] = await Promise.all([this.log.all(), listCart(db), getSettings(db)]);
      this.events = events;
      this.cart = cart.map((line) => line.itemId);
      this.diversity = settings.diversity;
      this.paused = settings.trackingPaused;
      this.preferredBackend = settings.preferredBackend;
    } catch (error) {
      this.writeError = `Your saved data could not be read (${error instanceof Error ? error.message : error}). The store still works, but nothing will be remembered.`;
    } finally {
      this.loaded = true;
    }
  }

  /** Record what the shopper did; the in-memory copy updates at once, storage follows. */
  record(event: NewEvent, functional = false): void {
    const at = event.at ?? Date.now();
    if (this.memoryOnly) {
      if (this.paused && !(functional && functionalEventKinds.has(event.kind))) return;
      this.events = [...this.events, { ...event, at, sessionId: this.sessions.sessionIdAt(at) }];
      return;
    }
    const accepted = this.log?.record({ ...event, at }, { functional }) ?? false;
    if (accepted) this.events = [...this.events, { ...event, at, sessionId: '' }];
  }

  /** Never rejects: the cart changes at once, and a failed write is told in the banner. */
  async addToCart(itemId: number): Promise<void> {
    if (this.cart.includes(itemId)) return;
    this.cart = [...this.cart, itemId];
    this.record({ kind: 'cartAdd', itemId }, true);
    await this.persist('your cart', () => addToCart(getDb(), itemId));
  }

  async removeFromCart(itemId: number): Promise<void> {
    this.cart = this.cart.filter((id) => id !== itemId);
    this.record({ kind: 'cartRemove', itemId }, true);
    await this.persist('your cart', () => removeFromCart(getDb(), itemId));
  }

  /** Simulated checkout: one purchase event per line, cart emptied, in one transaction. */
  async checkout(prices: (itemId: number) => number | undefined): Promise<number[]> {
    if (this.memoryOnly) {
      const at = Date.now();
      const bought = this.cart;
      this.events = [...this.events, ...purchaseEvents(bought, prices, at, this.sessions.sessionIdAt(at))];
      this.cart = [];
      return bought;
    }
    await this.log?.flush();
    const bought = await checkout(getDb(), prices);
    this.cart = [];
    await this.reloadEvents();
    return bought;
  }

  async setDiversity(value: number): Promise<void> {
    this.diversity = value;
    await this.persist('your settings', () => setSetting(getDb(), 'diversity', value));
  }

  async setPreferredBackend(preference: BackendPreference): Promise<void> {
    this.preferredBackend = preference;
    await this.persist('your settings', () => setSetting(getDb(), 'preferredBackend', preference));
  }

  async setPaused(paused: boolean): Promise<void> {
    this.paused = paused;
    await this.persist('your settings', async () => this.log?.setPaused(paused));
  }

  /** Writes through to storage when there is any; a failure keeps the in-memory state and is told. */
  private async persist(what: string, write: () => Promise<unknown>): Promise<void> {
    if (this.memoryOnly) return;
    try {
      await write();
    } catch (error) {
      this.writeError = `Saving ${what} failed (${error instanceof Error ? error.message : String(error)}): it is kept in this tab until it closes.`;
    }
  }

  async flush(): Promise<void> {
    await this.log?.flush();
  }

  async reloadEvents(): Promise<void> {
    if (!this.log || this.memoryOnly) return;
    await this.log.flush();
    this.events = await this.log.all();
    this.cart = (await listCart(getDb())).map((line) => line.itemId);
  }

  get eventLog(): EventLog | null {
    return this.log;
  }

  /** After "erase everything": forget the in-memory mirror too. */
  forgetAll(): void {
    this.log?.discardPending();
    this.events = [];
    this.cart = [];
  }
}

export const shopper = new Shopper();

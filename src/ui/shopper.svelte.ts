// The shopper as the page sees them: their events (mirrored in memory so every
// click updates recommendations at once), their cart and their settings. Storage
// goes through the data layer's EventLog, which never blocks a click.
import { EventLog, flushOnPageHide, type NewEvent } from '../data/events';
import { getDb } from '../data/db';
import { addToCart, checkout, listCart, removeFromCart } from '../data/cart';
import { getSettings, setSetting } from '../data/settings';
import type { BackendPreference } from '../data/records';
import type { ShopperEvent } from '../data/types';
import { shopperSignals } from '../recs/signals';
import type { ShopperSignals } from '../recs/types';

class Shopper {
  events = $state.raw<ShopperEvent[]>([]);
  cart = $state.raw<number[]>([]);
  diversity = $state(0.3);
  paused = $state(false);
  preferredBackend = $state<BackendPreference>('auto');
  /** A storage failure the shopper must hear about (quota, closed database). */
  writeError = $state<string | null>(null);
  loaded = $state(false);
  private lastSignals: ShopperSignals | null = null;
  /**
   * Only a new value when the signals really change: impressions and page views are events
   * too, and must not make every page re-rank for each card scrolled into view.
   */
  signals = $derived.by(() => {
    const next = shopperSignals(this.events, { cart: this.cart });
    const previous = this.lastSignals;
    if (previous !== null && JSON.stringify(previous) === JSON.stringify(next)) return previous;
    this.lastSignals = next;
    return next;
  });
  private log: EventLog | null = null;

  async load(): Promise<void> {
    const db = getDb();
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
    if (!this.log) return;
    const at = event.at ?? Date.now();
    const sessionId = event.sessionId ?? this.log.sessionIdAt(at);
    const accepted = this.log.record({ ...event, at, sessionId }, { functional });
    if (accepted) this.events = [...this.events, { ...event, at, sessionId }];
  }

  async addToCart(itemId: number): Promise<void> {
    if (this.cart.includes(itemId)) return;
    await addToCart(getDb(), itemId);
    this.cart = [...this.cart, itemId];
    this.record({ kind: 'cartAdd', itemId }, true);
  }

  async removeFromCart(itemId: number): Promise<void> {
    await removeFromCart(getDb(), itemId);
    this.cart = this.cart.filter((id) => id !== itemId);
    this.record({ kind: 'cartRemove', itemId }, true);
  }

  /** Simulated checkout: one purchase event per line, cart emptied, in one transaction. */
  async checkout(prices: (itemId: number) => number | undefined): Promise<number[]> {
    await this.log?.flush();
    const bought = await checkout(getDb(), prices);
    this.cart = [];
    await this.reloadEvents();
    return bought;
  }

  async setDiversity(value: number): Promise<void> {
    this.diversity = value;
    await setSetting(getDb(), 'diversity', value);
  }

  async setPreferredBackend(preference: BackendPreference): Promise<void> {
    this.preferredBackend = preference;
    await setSetting(getDb(), 'preferredBackend', preference);
  }

  async setPaused(paused: boolean): Promise<void> {
    await this.log?.setPaused(paused);
    this.paused = paused;
  }

  async flush(): Promise<void> {
    await this.log?.flush();
  }

  async reloadEvents(): Promise<void> {
    if (!this.log) return;
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

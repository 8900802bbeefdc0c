// The shopper as the page sees them: their events (mirrored in memory so every
// click updates recommendations at once), their cart and their settings. Storage
// goes through the data layer's EventLog, which never blocks a click. When the browser
// gives no storage at all (private modes, blocked site data), everything lives in this
// tab only: the store keeps working and the banner says nothing will be remembered.
import { deleteEventsOlderThan, EventLog, functionalEventKinds, type NewEvent } from '../data/events';
import { getProfileEdits } from '../data/profile';
import type { ProfileEdits } from '../data/profileTypes';
import { getDb } from '../data/db';
import { onErasedElsewhere } from '../data/erase';
import { addToCart, checkout, listCart, purchaseEvents, removeFromCart, type OfferOf } from '../data/cart';
import { createSessionTracker } from '../data/session';
import { getSettings, setMeasuredBackend, setSetting, settingsDefaults } from '../data/settings';
import { openStorage } from '../data/storage';
import { describeSkipped } from '../data/unreadable';
import type { BackendPreference, EventRetentionDays } from '../data/records';
import type { ShopperEvent } from '../data/types';
import { emptyEdits, eventFilter } from '../recs/profile';
import { neutralPopularity } from '../recs/preferences';
import { shopperSignalOptions } from '../recs/shopperSignalOptions';
import { LiveSignals } from '../recs/signals';
import { idleBatchWrites, IdleQueue, onPageHide } from './offPath';

/** How often the retention window is applied while a tab stays open. */
const retentionCheckMs = 86_400_000;

/**
 * Told when stored events changed: 'added' after new ones were stored, 'rebuilt' when any were
 * removed or renumbered, 'erased' after everything was erased.
 */
type EventsChangedListener = (change: EventsChange) => void;
export type EventsChange = 'added' | 'rebuilt' | 'erased';
type EditsChangedListener = (edits: ProfileEdits) => void;

class Shopper {
  events = $state.raw<ShopperEvent[]>([]);
  cart = $state.raw<number[]>([]);
  diversity = $state(0.3);
  paused = $state(false);
  preferredBackend = $state<BackendPreference>('auto');
  /** The shopper's boosts, mutes, price ceiling, "don't use" marks and reset. */
  edits = $state.raw<ProfileEdits>(emptyEdits());
  /** 0 niche … 0.5 as learned … 1 popular. */
  popularity = $state(neutralPopularity);
  eventRetentionDays = $state<EventRetentionDays>(null);
  profileStartDone = $state(false);
  /** Whether the store makes personalised offers (the shopper can turn them off). */
  offersEnabled = $state(true);
  /** A storage failure the shopper must hear about (quota, closed database). */
  writeError = $state<string | null>(null);
  /** How many damaged stored records the reads skipped, in words; null when none were. */
  readNotice = $state<string | null>(null);
  loaded = $state(false);
  /** Another tab erased everything while this one was open: what this tab showed is gone. */
  erasedElsewhere = $state(false);
  /** The events the models may learn from: not marked "don't use", newer than a reset. */
  usable = $derived(eventFilter(this.edits));
  private readonly liveSignals = new LiveSignals();
  /**
   * Only a new value when the signals really change: impressions and page views are events
   * too, and must not make every page re-rank for each card scrolled into view. Each new event
   * is folded in on its own (LiveSignals), not the whole history again.
   */
  signals = $derived(this.liveSignals.update(this.events, shopperSignalOptions(this, this.usable)));
  /** No storage in this browser: cart, session and events are kept in this tab only. */
  memoryOnly = $state(false);
  private log: EventLog | null = null;
  /** What the shopper did before storage opened (a first visit straight to a game): recorded once it is. */
  private beforeLoad: { event: NewEvent; functional: boolean }[] = [];
  private readonly sessions = createSessionTracker();
  /** events no row depends on (impressions), recorded when the page is idle: see offPath.ts */
  private readonly whenIdle = new IdleQueue<NewEvent>((events) => {
    for (const event of events) this.record(event);
  });
  private readonly eventsListeners = new Set<EventsChangedListener>();
  private readonly editsListeners = new Set<EditsChangedListener>();

  async load(): Promise<void> {
    const db = getDb();
    const storage = await openStorage(db);
    if (!storage.ok) {
      this.memoryOnly = true;
      this.writeError = storage.message;
      this.loaded = true;
      this.recordBeforeLoad();
      return;
    }
    // the batch is written in idle time, not on a timer that fell in the next click's path
    this.log = new EventLog(db, { scheduleBatch: idleBatchWrites() });
    let logFailure: string | null = null;
    this.log.onWriteFailure((message) => (this.writeError = logFailure = message));
    // space freed: the kept events were saved, so the warning about them comes down
    this.log.onRecovered(() => {
      if (this.writeError === logFailure) this.writeError = null;
    });
    // hidden or closed: what waits for idle time and the log's batch (on its timer) are written
    onPageHide(() => void this.flush());
    onErasedElsewhere(() => this.afterEraseElsewhere());
    this.log.onStored(() => this.tellEventsChanged('added'));
    // a damaged record is skipped by whichever read meets it first (this load, an unlock, a list)
    db.unreadable.onChange((count) => (this.readNotice = describeSkipped(count)));
    try {
      await this.readStored(this.log);
      setInterval(() => void this.applyRetention(), retentionCheckMs);
    } catch (error) {
      this.writeError = `Your saved data could not be read (${error instanceof Error ? error.message : error}). The store still works, but nothing will be remembered.`;
    } finally {
      this.loaded = true;
      this.recordBeforeLoad();
    }
  }

  /** Replays what was done while storage was opening, after the stored events (and the pause) are read. */
  private recordBeforeLoad(): void {
    const waiting = this.beforeLoad;
    this.beforeLoad = [];
    for (const { event, functional } of waiting) this.record(event, functional);
  }

  /** Settings, events, cart and edits as stored (as far as a lock lets them be read). */
  private async readStored(log: EventLog): Promise<void> {
    const db = getDb();
    const settings = await getSettings(db);
    // expired events go before anything reads them (the worker builds the profile after this)
    await deleteEventsOlderThan(db, settings.eventRetentionDays);
    const [events, cart, edits] = await Promise.all([log.all(), listCart(db), getProfileEdits(db)]);
    this.events = events;
    this.cart = cart.map((line) => line.itemId);
    this.edits = edits ?? emptyEdits();
    this.diversity = settings.diversity;
    this.paused = settings.trackingPaused;
    this.preferredBackend = settings.preferredBackend;
    this.popularity = settings.popularity;
    this.eventRetentionDays = settings.eventRetentionDays;
    this.profileStartDone = settings.profileStartDone;
    this.offersEnabled = settings.offersEnabled;
  }

  /** The shopper unlocked their data: read it all again and rebuild the profile from it. */
  async afterUnlock(): Promise<void> {
    if (!this.log) return;
    await this.readStored(this.log);
    this.tellEventsChanged('rebuilt');
  }

  /** The shopper locked their data: this tab and the worker forget it until the next unlock. */
  afterLock(): void {
    // settings that say nothing of taste stay as they are (they are not sealed either)
    const { profileStartDone, eventRetentionDays } = this;
    this.forgetAll();
    this.profileStartDone = profileStartDone;
    this.eventRetentionDays = eventRetentionDays;
    this.diversity = settingsDefaults.diversity;
    this.tellEventsChanged('erased');
  }

  /**
   * Record an event that changes no row (an impression) when the page is idle, with the time it
   * happened: a click's rows and their frame go first. Handed over before any later event, and
   * when the page is hidden or closed.
   */
  recordWhenIdle(event: NewEvent): void {
    this.whenIdle.push({ ...event, at: event.at ?? Date.now() });
  }

  /** Record what the shopper did; the in-memory copy updates at once, storage follows. */
  record(event: NewEvent, functional = false): void {
    // what happened earlier but waits for idle time goes first: the events stay in time order
    this.whenIdle.flush();
    const at = event.at ?? Date.now();
    if (this.memoryOnly) {
      if (this.paused && !(functional && functionalEventKinds.has(event.kind))) return;
      const sessionId = event.sessionId ?? this.sessions.sessionIdAt(at);
      this.events = [...this.events, { ...event, at, sessionId }];
      return;
    }
    if (!this.log) {
      // storage is still opening: keep it (with its time) until it has; after a failed load, nothing is kept
      if (!this.loaded) this.beforeLoad.push({ event: { ...event, at }, functional });
      return;
    }
    const sessionId = event.sessionId ?? this.log.sessionIdAt(at);
    const accepted = this.log.record({ ...event, at, sessionId }, { functional });
    if (accepted) this.events = [...this.events, { ...event, at, sessionId }];
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

  /**
   * Simulated checkout: one purchase event per line, cart emptied, in one transaction. Each
   * purchase records the price paid and, when an offer set it, the offer's id.
   */
  async checkout(
    prices: (itemId: number) => number | undefined,
    offerOf: OfferOf = () => undefined,
  ): Promise<number[]> {
    if (this.memoryOnly) {
      const at = Date.now();
      const bought = this.cart;
      const sessionId = this.sessions.sessionIdAt(at);
      this.events = [...this.events, ...purchaseEvents(bought, prices, at, sessionId, offerOf)];
      this.cart = [];
      return bought;
    }
    await this.log?.flush();
    const bought = await checkout(getDb(), prices, { offerOf });
    this.cart = [];
    await this.reloadEvents();
    // the purchases were stored outside the log: the profile reads them by id
    this.tellEventsChanged('added');
    return bought;
  }

  /** Listen for stored events changing (the store worker's profile follows them). */
  onEventsChanged(listener: EventsChangedListener): void {
    this.eventsListeners.add(listener);
  }

  /** Listen for profile edits (the store worker stores them and recomputes the profile). */
  onEditsChanged(listener: EditsChangedListener): void {
    this.editsListeners.add(listener);
  }

  private tellEventsChanged(change: EventsChange): void {
    for (const listener of this.eventsListeners) listener(change);
  }

  /** New edits take effect in the rows at once; the worker stores them. */
  async setEdits(edits: ProfileEdits): Promise<void> {
    const excludesMore = edits.excludedEventIds.length > 0;
    // the marks name stored ids: the in-memory events recorded in this tab need theirs
    if (excludesMore && this.events.some((event) => event.id === undefined)) await this.reloadEvents();
    this.edits = edits;
    for (const listener of this.editsListeners) listener(edits);
  }

  /** Offers off: every offered price goes at once (the page reads this); on: they come back. */
  async setOffersEnabled(enabled: boolean): Promise<void> {
    this.offersEnabled = enabled;
    await this.persist('your settings', () => setSetting(getDb(), 'offersEnabled', enabled));
  }

  async setPopularity(value: number): Promise<void> {
    this.popularity = value;
    await setSetting(getDb(), 'popularity', value);
  }

  async setEventRetention(days: EventRetentionDays): Promise<void> {
    this.eventRetentionDays = days;
    await setSetting(getDb(), 'eventRetentionDays', days);
    await this.applyRetention();
  }

  async finishProfileStart(): Promise<void> {
    this.profileStartDone = true;
    await setSetting(getDb(), 'profileStartDone', true);
  }

  /** Delete the events older than the retention window; the profile is rebuilt when any went. */
  async applyRetention(): Promise<number> {
    if (!this.log || this.eventRetentionDays === null) return 0;
    await this.log.flush();
    const removed = await deleteEventsOlderThan(getDb(), this.eventRetentionDays);
    if (removed > 0) await this.reloadEvents({ changed: true });
    return removed;
  }

  async setDiversity(value: number): Promise<void> {
    this.diversity = value;
    await this.persist('your settings', () => setSetting(getDb(), 'diversity', value));
  }

  /**
   * Choosing a backend also forgets this device's remembered race, so choosing 'auto' again is
   * how the shopper asks for a new measurement (the worker races when nothing is remembered).
   */
  async setPreferredBackend(preference: BackendPreference): Promise<void> {
    this.preferredBackend = preference;
    await this.persist('your settings', async () => {
      await setSetting(getDb(), 'preferredBackend', preference);
      await setMeasuredBackend(getDb(), null);
    });
  }

  async setPaused(paused: boolean): Promise<void> {
    // impressions wait for idle time but belong to the moment they were seen: those seen before
    // the pause are recorded now, those seen while paused are dropped when tracking resumes
    if (paused) this.whenIdle.flush();
    else this.whenIdle.discard();
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
    // a lock, an export or a checkout flushes: what waits for idle time goes to the log first
    this.whenIdle.flush();
    await this.log?.flush();
  }

  /**
   * Read the stored events again (they carry their ids). `changed` says events were deleted
   * or imported: the edits are read again too (an import brings its own) and the profile is
   * rebuilt.
   */
  async reloadEvents({ changed = false }: { changed?: boolean } = {}): Promise<void> {
    if (!this.log || this.memoryOnly) return;
    this.whenIdle.flush();
    await this.log.flush();
    this.events = await this.log.all();
    this.cart = (await listCart(getDb())).map((line) => line.itemId);
    if (changed) {
      this.edits = (await getProfileEdits(getDb())) ?? emptyEdits();
      this.tellEventsChanged('rebuilt');
    }
  }

  get eventLog(): EventLog | null {
    return this.log;
  }

  /** After "erase everything": forget the in-memory mirror too. */
  forgetAll(): void {
    this.whenIdle.discard();
    this.log?.discardPending();
    this.events = [];
    this.cart = [];
    this.edits = emptyEdits();
    this.popularity = neutralPopularity;
    this.eventRetentionDays = null;
    this.profileStartDone = false;
    this.offersEnabled = true;
  }

  /** Another tab erased everything: forget it here too, and say so where the data is listed. */
  private afterEraseElsewhere(): void {
    this.forgetAll();
    this.erasedElsewhere = true;
    this.tellEventsChanged('erased');
  }

  /** After the erase is done: the worker forgets its profile (the database is gone). */
  afterErase(): void {
    this.tellEventsChanged('erased');
  }
}

export const shopper = new Shopper();

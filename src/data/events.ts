// The event log: everything the shopper did, kept only on this device.
//
// record() is called from click handlers, so it must never wait on IndexedDB: it queues
// the event and returns at once. The queue is written in batches (one bulkAdd inside one
// transaction) when the scheduler says (the page: idle time; by default a timer), transient
// failures are retried with backoff, and when a write finally fails the events stay in memory
// and registered listeners get a message a person can act on. Nothing already stored is
// touched by a failed write.
import type { AisleDb } from './db';
import { createSessionTracker, type SessionTracker } from './session';
import { getSetting, setSetting } from './settings';
import { allStoredEvents, readableEvents } from './storedEvents';
import { errorNames, isStorageUnavailable } from './storage';
import type { EventKind, ShopperEvent } from './types';

/** What a caller records; time and session are filled in when absent. */
export type NewEvent = Omit<ShopperEvent, 'id' | 'at' | 'sessionId'> &
  Partial<Pick<ShopperEvent, 'at' | 'sessionId'>>;

/**
 * Runs a batch's write later, once; returns a function that cancels it. The page passes one that
 * waits for idle time (ui/offPath.ts), so the write's callbacks do not land in a click's path.
 */
export type BatchScheduler = (write: () => void) => () => void;

export type WriteFailureListener = (message: string, error: unknown) => void;

/** Told the events a batch stored, with the ids the database gave them, oldest first. */
export type StoredListener = (events: readonly ShopperEvent[]) => void;

/**
 * Events that make a feature work (the cart, "you own this") rather than only teaching the
 * model. Only these may be recorded while tracking is paused, and only when the caller asks.
 */
export const functionalEventKinds: ReadonlySet<EventKind> = new Set<EventKind>([
  'cartAdd',
  'cartRemove',
  'purchase',
]);

export interface RecordOptions {
  /** Record a functional event (see functionalEventKinds) even while tracking is paused. */
  functional?: boolean;
}

export interface EventLogOptions {
  /** How long record() waits for more events before writing a batch (the default scheduler). */
  batchDelayMs?: number;
  /** When a batch is written; by default `batchDelayMs` after its first event. */
  scheduleBatch?: BatchScheduler;
  /** Waits between tries; its length + 1 is the number of tries. */
  retryDelaysMs?: readonly number[];
  /** Unsaved events kept in memory at most; the oldest are dropped beyond this. */
  maxPending?: number;
  /** After a failed write, how long until the log tries again by itself (space may have been freed). */
  recoveryDelayMs?: number;
  sessions?: SessionTracker;
  now?: () => number;
}

interface PendingEvent {
  event: ShopperEvent;
  functional: boolean;
}

const defaultOptions = {
  batchDelayMs: 250,
  retryDelaysMs: [200, 1000],
  maxPending: 10_000,
  recoveryDelayMs: 30_000,
} as const;

export class EventLog {
  private pending: PendingEvent[] = [];
  /** Cancels the scheduled batch; undefined while none is scheduled. */
  private cancelBatch: (() => void) | undefined;
  /** Flushes run one after another so a batch is never written twice. */
  private flushChain: Promise<void> = Promise.resolve();
  /** After a failed write, wait for an explicit flush() instead of failing on every click. */
  private stalled = false;
  private paused = false;
  /** Bumped on every local change, so a slower read of the stored setting cannot undo it. */
  private pausedRevision = 0;
  private readonly listeners = new Set<WriteFailureListener>();
  private readonly storedListeners = new Set<StoredListener>();
  private readonly recoveredListeners = new Set<() => void>();
  private recoveryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly recoveryDelayMs: number;
  private readonly sessions: SessionTracker;
  private readonly now: () => number;
  private readonly scheduleWrite: BatchScheduler;
  private readonly retryDelaysMs: readonly number[];
  private readonly maxPending: number;
  /** Resolves once the stored tracking-paused setting has been read. */
  readonly ready: Promise<void>;

  constructor(
    private readonly db: AisleDb,
    options: EventLogOptions = {},
  ) {
    this.sessions = options.sessions ?? createSessionTracker();
    this.now = options.now ?? Date.now;
    this.scheduleWrite =
      options.scheduleBatch ?? afterDelay(options.batchDelayMs ?? defaultOptions.batchDelayMs);
    this.retryDelaysMs = options.retryDelaysMs ?? defaultOptions.retryDelaysMs;
    this.maxPending = options.maxPending ?? defaultOptions.maxPending;
    this.recoveryDelayMs = options.recoveryDelayMs ?? defaultOptions.recoveryDelayMs;
    this.ready = this.refreshPaused().then(
      () => undefined,
      () => undefined, // an unreadable setting is re-checked inside every write anyway
    );
  }

  /** Whether tracking is paused, as last read from or written to settings. */
  get isPaused(): boolean {
    return this.paused;
  }

  /** Events recorded but not yet stored (waiting for a batch, or kept after a failed write). */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Re-read the setting, e.g. after another tab changed it. */
  async refreshPaused(): Promise<boolean> {
    const revision = this.pausedRevision;
    const stored = await getSetting(this.db, 'trackingPaused');
    if (revision === this.pausedRevision) this.paused = stored;
    return this.paused;
  }

  /** Pause or resume tracking. Pausing also drops queued non-functional events. */
  async setPaused(paused: boolean): Promise<void> {
    this.paused = paused;
    this.pausedRevision += 1;
    if (paused) this.pending = this.pending.filter((p) => p.functional);
    await setSetting(this.db, 'trackingPaused', paused);
  }

  /** Register a listener for writes that finally failed; returns a function that removes it. */
  onWriteFailure(listener: WriteFailureListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The session an event at `at` belongs to: the same id the log stamps on events, so the
   * page's in-memory copy of an event carries the session its stored copy will have.
   */
  sessionIdAt(at: number = this.now()): string {
    return this.sessions.sessionIdAt(at);
  }

  /**
   * Register a listener for events once stored: only then do they have ids, which the
   * profile's evidence and its "don't use" marks refer to. Returns a function that removes it.
   */
  onStored(listener: StoredListener): () => void {
    this.storedListeners.add(listener);
    return () => this.storedListeners.delete(listener);
  }

  /** Queue an event without waiting. Returns false when it was dropped: tracking is paused, or data is locked. */
  record(event: NewEvent, options: RecordOptions = {}): boolean {
    // locked (a passphrase is set and not entered): the store runs without the shopper's data
    // and keeps nothing of what they do, not even in this queue
    if (this.db.vault.status === 'locked') return false;
    const functional = options.functional === true && functionalEventKinds.has(event.kind);
    if (this.paused && !functional) return false;
    const at = event.at ?? this.now();
    const stored: ShopperEvent = {
      ...event,
      at,
      sessionId: event.sessionId ?? this.sessions.sessionIdAt(at),
    };
    this.pending.push({ event: stored, functional });
    this.trimPending();
    if (!this.stalled) this.scheduleBatch();
    return true;
  }

  /**
   * Write everything pending now. Always resolves: a failure is reported to the listeners
   * and the events stay pending (see pendingCount) for the next flush().
   */
  flush(): Promise<void> {
    this.clearBatchTimer();
    this.flushChain = this.flushChain.then(() => this.writePending());
    return this.flushChain;
  }

  /** Called when a write succeeds again after a failure, so the page can take its warning down. */
  onRecovered(listener: () => void): () => void {
    this.recoveredListeners.add(listener);
    return () => this.recoveredListeners.delete(listener);
  }

  /** Forget unsaved events, e.g. after the shopper erased their data. */
  discardPending(): void {
    this.clearBatchTimer();
    if (this.recoveryTimer !== undefined) clearTimeout(this.recoveryTimer);
    this.recoveryTimer = undefined;
    this.pending = [];
    this.stalled = false;
  }

  // ---- queries (stored events only; flush() first to include pending ones) ----
  // An event the app cannot use is skipped and counted in db.unreadable (storedEvents.ts).

  count(): Promise<number> {
    return this.db.events.count();
  }

  /** Newest first, for the "Your data" list. */
  async page(offset: number, limit: number): Promise<ShopperEvent[]> {
    return this.readable(await this.db.events.orderBy('at').reverse().offset(offset).limit(limit).toArray());
  }

  /** Oldest first: the order models read histories in. */
  all(): Promise<ShopperEvent[]> {
    return allStoredEvents(this.db);
  }

  /** Events at or after `ts`, oldest first. */
  async since(ts: number): Promise<ShopperEvent[]> {
    return this.readable(await this.db.events.where('at').aboveOrEqual(ts).toArray());
  }

  /** Events of one kind at or after `sinceTs`, oldest first. */
  async ofKind(kind: EventKind, sinceTs = -Infinity): Promise<ShopperEvent[]> {
    return this.readable(
      await this.db.events
        .where('[kind+at]')
        .between([kind, sinceTs], [kind, Infinity], true, true)
        .toArray(),
    );
  }

  async deleteOne(id: number): Promise<void> {
    await this.db.events.delete(id);
  }

  /** Delete events with fromTs <= at <= toTs, stored or still pending; returns how many were stored. */
  async deleteRange(fromTs: number, toTs: number): Promise<number> {
    this.pending = this.pending.filter((p) => p.event.at < fromTs || p.event.at > toTs);
    return this.db.events.where('at').between(fromTs, toTs, true, true).delete();
  }

  // ---- internals ----

  private readable(rows: readonly unknown[]): ShopperEvent[] {
    return readableEvents(rows, this.db.unreadable);
  }

  private scheduleBatch(): void {
    this.cancelBatch ??= this.scheduleWrite(() => {
      this.cancelBatch = undefined;
      void this.flush();
    });
  }

  private clearBatchTimer(): void {
    this.cancelBatch?.();
    this.cancelBatch = undefined;
  }

  private trimPending(): void {
    const excess = this.pending.length - this.maxPending;
    if (excess > 0) this.pending.splice(0, excess);
  }

  private async writePending(): Promise<void> {
    await this.ready;
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0);
    let lastError: unknown;
    for (let attempt = 0; attempt <= this.retryDelaysMs.length; attempt++) {
      if (attempt > 0) await sleep(this.retryDelaysMs[attempt - 1]);
      try {
        const stored = await this.writeBatch(batch);
        const recovered = this.stalled;
        this.stalled = false;
        this.tellStored(stored);
        if (recovered) this.recoveredListeners.forEach((listener) => listener());
        return;
      } catch (error) {
        lastError = error;
        if (isPermanentWriteError(error)) break;
      }
    }
    // Put the batch back ahead of anything recorded meanwhile, keeping time order.
    this.pending = batch.concat(this.pending);
    this.trimPending();
    this.stalled = true;
    // nothing else may flush for a long while (the next checkout, the tab hidden): try again later
    this.recoveryTimer ??= setTimeout(() => {
      this.recoveryTimer = undefined;
      void this.flush();
    }, this.recoveryDelayMs);
    const message = describeWriteFailure(lastError, this.pending.length, this.retryDelaysMs.length + 1);
    for (const listener of this.listeners) {
      try {
        listener(message, lastError);
      } catch (listenerError) {
        // a broken listener must not break the write queue for everyone else
        console.error('onWriteFailure listener threw', listenerError);
      }
    }
  }

  private tellStored(stored: readonly ShopperEvent[]): void {
    if (stored.length === 0) return;
    for (const listener of this.storedListeners) {
      try {
        listener(stored);
      } catch (listenerError) {
        console.error('onStored listener threw', listenerError);
      }
    }
  }

  private async writeBatch(batch: readonly PendingEvent[]): Promise<ShopperEvent[]> {
    const db = this.db;
    const revision = this.pausedRevision;
    // settings is in the transaction so a pause made in another tab is honoured by this write
    return db.transaction('rw', db.events, db.settings, async () => {
      const pausedRow = await db.settings.get('trackingPaused');
      const paused = pausedRow?.value === true;
      // adopt another tab's choice, unless this tab changed it while we were reading
      if (revision === this.pausedRevision) this.paused = paused;
      // copies, so a failed attempt cannot leave ids or other edits on the queued objects
      const toStore = batch.filter((p) => !paused || p.functional).map((p) => ({ ...p.event }));
      if (toStore.length === 0) return [];
      const ids = await db.events.bulkAdd(toStore, { allKeys: true });
      return toStore.map((event, i) => ({ ...event, id: ids[i] }));
    });
  }
}

/** The default: a plain timer, `ms` after the batch's first event. */
export const afterDelay =
  (ms: number): BatchScheduler =>
  (write) => {
    const timer = setTimeout(write, ms);
    return () => clearTimeout(timer);
  };

const dayMs = 86_400_000;

/**
 * Deletes every event older than the retention window (`days` before `now`); null keeps
 * everything. Returns how many were deleted, so the caller knows whether the profile must
 * be recomputed.
 */
export async function deleteEventsOlderThan(
  db: AisleDb,
  days: number | null,
  now = Date.now(),
): Promise<number> {
  if (days === null) return 0;
  return db.events
    .where('at')
    .below(now - days * dayMs)
    .delete();
}

/** Stored events with an id above `id`, in id order: what arrived since a reader's last look. */
export async function eventsAfterId(db: AisleDb, id: number): Promise<ShopperEvent[]> {
  return readableEvents(await db.events.where(':id').above(id).toArray(), db.unreadable);
}

// ---- error classification ----

const closedOrCorruptNames = new Set([
  'DatabaseClosedError',
  'InvalidStateError',
  'OpenFailedError',
  'VersionError',
  'UpgradeError',
  'InvalidTableError',
  'MissingAPIError',
  'NotFoundError',
]);

const isQuotaError = (error: unknown) => errorNames(error).includes('QuotaExceededError');
const isClosedOrCorrupt = (error: unknown) => errorNames(error).some((n) => closedOrCorruptNames.has(n));

/** Retrying cannot help: the disk is full or the database is gone. */
export const isPermanentWriteError = (error: unknown): boolean =>
  isQuotaError(error) || isClosedOrCorrupt(error);

export function describeWriteFailure(error: unknown, unsaved: number, tries: number): string {
  const lost = unsaved === 1 ? 'the last event was not saved' : `the last ${unsaved} events were not saved`;
  if (isStorageUnavailable(error)) {
    return `This browser is not letting Aisle store anything (private browsing or blocked site data): ${lost}. They are kept in this tab until it closes.`;
  }
  if (isQuotaError(error)) {
    // the log keeps them and tries again by itself (recoveryDelayMs) and on the next flush
    const kept = unsaved === 1 ? 'It is' : 'They are';
    return `Your browser's storage is full: ${lost}. ${kept} kept in this tab and saved when there is space again (free some space, or erase old data in Your data).`;
  }
  if (isClosedOrCorrupt(error)) {
    return `The on-device database is closed or damaged: ${lost}. Reload the page; if this keeps happening, erase your data in Your data.`;
  }
  return `Saving your activity failed ${tries} times: ${lost}. They are kept in this tab and will be saved when storage works again.`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

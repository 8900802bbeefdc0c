// The store worker's copy of the interpretable profile. New events are folded in one at a
// time (applyEvent); anything that removes or renumbers events (a deletion, an import, the
// retention window, an exclusion, a reset) rebuilds it from the stored events. The profile
// is written back debounced; the edits at once, with the profile they need, in one write.
// Once the learned profile model exists (usePredictor), every status also carries its
// predicted interests for the same usable events and edits.
import type { ProfileEdits, ShopperProfile } from '../../data/profileTypes';
import type { ShopperEvent } from '../../data/types';
import {
  applyEvent,
  computeProfile,
  editsNeedRecompute,
  emptyEdits,
  emptyProfile,
  eventFilter,
  viewProfile,
  type CommunityPurchaseDistributions,
  type ProfileCatalog,
} from '../../recs/profile';
import { homeRowFeatures } from '../../recs/profile/rowFeatures';
import { shopperSignals } from '../../recs/signals';
import type { InterestPredictor, InterestQuery } from './profilePredictor';
import type { EvidenceEvent, ProfileStatus } from './protocol';

/** Where the keeper reads events and edits and writes the profile (data/ in the worker, fakes in tests). */
export interface ProfileStore {
  allEvents(): Promise<ShopperEvent[]>;
  /** Stored events with an id above `id`, in id order. */
  eventsAfter(id: number): Promise<ShopperEvent[]>;
  getEdits(): Promise<ProfileEdits | undefined>;
  putProfile(profile: ShopperProfile): Promise<void>;
  putProfileWithEdits(profile: ShopperProfile, edits: ProfileEdits): Promise<void>;
}

export interface ProfileKeeperOptions {
  catalog: ProfileCatalog;
  community: CommunityPurchaseDistributions | null;
  store: ProfileStore;
  /** Called with the new status after every change. */
  publish: (status: ProfileStatus) => void;
  now?: () => number;
  /** How long the profile waits for more events before it is written (a burst costs one write). */
  persistDelayMs?: number;
}

/** Milliseconds a profile change waits before it is written, so a burst of events costs one write. */
export const profilePersistDelayMs = 1_000;

export class ProfileKeeper {
  private profile: ShopperProfile | null = null;
  private edits: ProfileEdits = emptyEdits();
  /** The highest event id folded in: events at or below it are never applied twice. */
  private highWaterMark = 0;
  /** The events the profile uses, by id: the page's evidence and the predictor's history. */
  private readonly used = new Map<number, ShopperEvent>();
  private predictor: InterestPredictor | null = null;
  /** Every operation runs after the previous one, so an event is never applied twice. */
  private queue: Promise<void> = Promise.resolve();
  private persistTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Milliseconds the last incremental update took per event (the benchmark's figure); told
   * once, in the status that follows that update.
   */
  private lastUpdateMsPerEvent: number | null = null;
  private readonly now: () => number;

  constructor(private readonly options: ProfileKeeperOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Read the edits and rebuild from every stored event (at start, and after deletions or imports). */
  rebuild(): Promise<void> {
    return this.enqueue(async () => {
      this.edits = (await this.options.store.getEdits()) ?? this.edits;
      await this.rebuildFromEvents();
      this.schedulePersist();
      this.publish();
    });
  }

  /** Fold in the events stored since the last look, one at a time. */
  sync(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.profile) return this.rebuildFromEvents().then(() => this.publish());
      const fresh = await this.options.store.eventsAfter(this.highWaterMark);
      if (fresh.length === 0) return;
      this.applyNew(fresh);
      this.schedulePersist();
      this.publish();
    });
  }

  /** The shopper changed the edits: store them, rebuild only if they change which events count. */
  setEdits(edits: ProfileEdits): Promise<void> {
    return this.enqueue(async () => {
      const before = this.edits;
      this.edits = edits;
      if (!this.profile || editsNeedRecompute(before, edits)) await this.rebuildFromEvents();
      this.clearPersistTimer();
      await this.options.store.putProfileWithEdits(this.profile!, edits);
      this.publish();
    });
  }

  /**
   * Everything was erased: an empty profile and no edits, in memory only. Reading or writing
   * the database now would create it again, and erase promises none is left behind.
   */
  forget(): Promise<void> {
    return this.enqueue(async () => {
      this.clearPersistTimer();
      this.profile = emptyProfile();
      this.edits = emptyEdits();
      this.highWaterMark = 0;
      this.used.clear();
      this.publish();
    });
  }

  /** The learned profile model is ready (or gone): publish its predictions with the profile. */
  usePredictor(predictor: InterestPredictor | null): Promise<void> {
    return this.enqueue(async () => {
      this.predictor = predictor;
      this.publish();
    });
  }

  /** Write the profile now (the page is closing, or a test wants it stored). */
  flush(): Promise<void> {
    return this.enqueue(async () => {
      this.clearPersistTimer();
      if (this.profile) await this.options.store.putProfile(this.profile);
    });
  }

  /** The status the page shows; null before the first build. */
  status(): ProfileStatus | null {
    if (!this.profile) return null;
    const view = viewProfile(this.profile, this.edits, {
      catalog: this.options.catalog,
      community: this.options.community,
      now: this.now(),
    });
    const evidenceEvents: Record<number, EvidenceEvent> = {};
    const cite = (ids: readonly number[]) => {
      for (const id of ids) {
        const event = this.used.get(id);
        if (event) evidenceEvents[id] = { kind: event.kind, at: event.at, itemId: event.itemId };
      }
    };
    for (const values of Object.values(view.affinities)) for (const value of values) cite(value.evidence);
    cite(view.activity.evidence);
    cite(view.purchases.evidence);
    cite(view.price.evidence);
    cite(view.exploration.evidence);
    return {
      view,
      edits: this.edits,
      rowFeatures: homeRowFeatures(view, this.edits),
      evidenceEvents,
      ...(this.predictor ? { predicted: this.predictor.predict(this.interestQuery()) } : {}),
      updateMsPerEvent: this.lastUpdateMsPerEvent,
    };
  }

  /** The usable events' history as the store's models read it, the genres it shows, the mutes. */
  private interestQuery(): InterestQuery {
    const { history } = shopperSignals([...this.used.values()]);
    const seenGenres = new Set(
      history.flatMap((item) => this.options.catalog.gameById.get(item)?.genres ?? []),
    );
    const mutedGenres = new Set(
      Object.entries(this.edits.adjustments.genre)
        .filter(([, adjustment]) => adjustment === 'mute')
        .map(([genre]) => genre),
    );
    return { history, seenGenres, mutedGenres };
  }

  private applyNew(events: readonly ShopperEvent[]): void {
    const usable = eventFilter(this.edits);
    const started = performance.now();
    let applied = 0;
    for (const event of events) {
      if (event.id === undefined || event.id <= this.highWaterMark) continue;
      this.highWaterMark = event.id;
      if (!usable(event)) continue;
      applyEvent(this.profile!, event, this.options.catalog);
      this.remember(event);
      applied++;
    }
    if (applied > 0) this.lastUpdateMsPerEvent = (performance.now() - started) / applied;
  }

  private async rebuildFromEvents(): Promise<void> {
    const events = await this.options.store.allEvents();
    this.profile = computeProfile(events, this.options.catalog, this.edits);
    this.used.clear();
    this.highWaterMark = 0;
    const usable = eventFilter(this.edits);
    for (const event of events) {
      if (event.id !== undefined && event.id > this.highWaterMark) this.highWaterMark = event.id;
      if (usable(event)) this.remember(event);
    }
  }

  private remember(event: ShopperEvent): void {
    if (event.id === undefined) return;
    this.used.set(event.id, event);
  }

  private publish(): void {
    const status = this.status();
    this.lastUpdateMsPerEvent = null;
    if (status) this.options.publish(status);
  }

  private schedulePersist(): void {
    this.clearPersistTimer();
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      void this.enqueue(async () => {
        if (this.profile) await this.options.store.putProfile(this.profile);
      });
    }, this.options.persistDelayMs ?? profilePersistDelayMs);
  }

  private clearPersistTimer(): void {
    if (this.persistTimer !== undefined) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
  }

  private enqueue(operation: () => Promise<void>): Promise<void> {
    const next = this.queue.then(operation);
    // one failed write must not stop every later update
    this.queue = next.catch(() => undefined);
    return next;
  }
}

// From raw shopper events to the compact signals the ranker uses. Pure, so the
// same events always give the same recommendations (and tests can say why).
import type { ShopperEvent } from '../data/types';
import type { ShopperPreferences, ShopperSignals } from './types';

type Verb = ShopperSignals['verbs'][number];

/**
 * A shopper who has only looked: `history` viewed (each with weight 1 unless given), nothing
 * owned, carted or hidden. The ranker's warm-up asks for rows as such a shopper, and so do tests.
 */
export function viewedSignals(history: number[], weights = history.map(() => 1)): ShopperSignals {
  return { history, weights, verbs: history.map(() => 'viewed'), owned: [], inCart: [], hidden: [] };
}

/**
 * How much one event says about taste. A purchase says far more than a glance;
 * dwell adds to a view in proportion to the time spent (capped at two minutes).
 */
export function eventWeight(event: ShopperEvent): number {
  switch (event.kind) {
    case 'view':
      return 1;
    case 'recClick':
      return 1;
    case 'dwell':
      return Math.min(event.dwellMs ?? 0, 120_000) / 60_000;
    case 'cartAdd':
      return 3;
    case 'purchase':
      return 5;
    case 'rating':
      return ((event.rating ?? 3) - 3) * 2;
    case 'recFeedback':
      return event.thumbs === 'up' ? 2 : 0;
    default:
      return 0;
  }
}

const verbRank: Record<Verb, number> = { viewed: 0, added: 1, liked: 2, bought: 3 };

function verbOf(event: ShopperEvent): Verb {
  if (event.kind === 'purchase') return 'bought';
  if (event.kind === 'cartAdd') return 'added';
  if ((event.kind === 'rating' && (event.rating ?? 0) >= 4) || event.thumbs === 'up') return 'liked';
  return 'viewed';
}

export interface SignalOptions {
  cart?: readonly number[];
  /** keep only the most recent N distinct items (older taste fades out of "For you") */
  maxHistory?: number;
  /**
   * Whether an event may teach the models (the profile's eventFilter: not marked "don't use
   * for recommendations", newer than a reset). An unusable event adds nothing to the history,
   * and so nothing to co-occurrence, MF's fold-in or the sequence model; a game bought or
   * hidden stays owned or hidden whatever, because those are facts, not taste.
   */
  usable?: (event: ShopperEvent) => boolean;
  /** the shopper's profile edits and popularity choice, passed through to the ranker */
  preferences?: ShopperPreferences;
}

/** Events in the order the signals read them: by time, ties by stored id. */
export const bySignalOrder = (a: ShopperEvent, b: ShopperEvent): number =>
  a.at - b.at || (a.id ?? 0) - (b.id ?? 0);

/**
 * The shopper's taste, folded in one event at a time (events in signal order): what
 * shopperSignals computes from the whole history, kept up to date in O(1) per event, so the page
 * need not re-read every event after each click. `fold` says whether the event changed anything
 * the signals hold; most events (impressions, page views, searches) do not.
 */
export class SignalsFolder {
  private readonly weight = new Map<number, number>();
  /** items by last taste event, least recent first (re-inserted when touched again) */
  private readonly recency = new Map<number, true>();
  private readonly verb = new Map<number, Verb>();
  private readonly owned = new Set<number>();
  private readonly hidden = new Set<number>();

  constructor(private readonly usable?: (event: ShopperEvent) => boolean) {}

  fold(event: ShopperEvent): boolean {
    const item = event.itemId;
    if (item === undefined) return false;
    let changed = false;
    if (event.kind === 'purchase' && !this.owned.has(item)) {
      this.owned.add(item);
      changed = true;
    }
    if (hides(event) && !this.hidden.has(item)) {
      this.hidden.add(item);
      changed = true;
    }
    if (this.usable && !this.usable(event)) return changed;
    const w = eventWeight(event);
    if (w <= 0) return changed;
    this.weight.set(item, (this.weight.get(item) ?? 0) + w);
    this.recency.delete(item);
    this.recency.set(item, true);
    const v = verbOf(event);
    if (verbRank[v] >= verbRank[this.verb.get(item) ?? 'viewed']) this.verb.set(item, v);
    return true;
  }

  signals(options: Pick<SignalOptions, 'cart' | 'maxHistory' | 'preferences'> = {}): ShopperSignals {
    const maxHistory = options.maxHistory ?? 200;
    const history = [...this.recency.keys()].filter((item) => !this.hidden.has(item)).slice(-maxHistory);
    return {
      history,
      weights: history.map((item) => this.weight.get(item) ?? 1),
      verbs: history.map((item) => this.verb.get(item) ?? 'viewed'),
      owned: [...this.owned],
      inCart: [...(options.cart ?? [])],
      hidden: [...this.hidden],
      ...(options.preferences ? { preferences: options.preferences } : {}),
    };
  }
}

/** "Not interested", a thumbs-down or a low rating: the game is never recommended again. */
function hides(event: ShopperEvent): boolean {
  return (
    event.kind === 'notInterested' ||
    (event.kind === 'recFeedback' && event.thumbs === 'down') ||
    (event.kind === 'rating' && (event.rating ?? 3) <= 2)
  );
}

export function shopperSignals(events: readonly ShopperEvent[], options: SignalOptions = {}): ShopperSignals {
  const folder = new SignalsFolder(options.usable);
  for (const event of [...events].sort(bySignalOrder)) folder.fold(event);
  return folder.signals(options);
}

/**
 * The signals of an event list that grows at its end (the page's mirror of the event log):
 * appended events are folded in, anything else (a reload with ids, a deletion, new "don't use"
 * marks) folds every event again. `update` returns the previous signals object itself when
 * nothing they hold changed, so an impression or a page view does not make every row re-rank,
 * and no event costs a pass over the whole history.
 */
export class LiveSignals {
  private folder: SignalsFolder | null = null;
  private folded: readonly ShopperEvent[] = [];
  private foldedUsable: SignalOptions['usable'];
  /** the time of the last folded event in signal order: an appended event must come later */
  private lastAt = -Infinity;
  private current: ShopperSignals | null = null;
  private inputsKey = '';

  update(events: readonly ShopperEvent[], options: SignalOptions = {}): ShopperSignals {
    const appendedUntil =
      this.folder !== null && options.usable === this.foldedUsable ? this.appendedUntil(events) : null;
    let changed = appendedUntil === null;
    if (appendedUntil !== null) {
      for (let i = this.folded.length; i < events.length; i++)
        changed = this.folder!.fold(events[i]) || changed;
      this.lastAt = appendedUntil;
    } else {
      const sorted = [...events].sort(bySignalOrder);
      this.folder = new SignalsFolder(options.usable);
      for (const event of sorted) this.folder.fold(event);
      this.lastAt = sorted.at(-1)?.at ?? -Infinity;
    }
    this.folded = events;
    this.foldedUsable = options.usable;
    // the cart and preferences are small: compared whole
    const inputsKey = JSON.stringify([options.cart ?? [], options.preferences ?? null, options.maxHistory]);
    if (!changed && this.current !== null && inputsKey === this.inputsKey) return this.current;
    this.inputsKey = inputsKey;
    const next = this.folder!.signals(options);
    // a refold usually gives what was there (the same events again, now with their ids)
    if (this.current !== null && sameSignals(this.current, next)) return this.current;
    this.current = next;
    return next;
  }

  /**
   * When `events` is the folded list with events appended after it in time, the time of the
   * last one (the folded list's own when none was appended); otherwise null.
   */
  private appendedUntil(events: readonly ShopperEvent[]): number | null {
    const folded = this.folded;
    if (events.length < folded.length) return null;
    if (folded.length > 0 && events[folded.length - 1] !== folded[folded.length - 1]) return null;
    let lastAt = this.lastAt;
    for (let i = folded.length; i < events.length; i++) {
      // strictly later: an equal time would sort by stored id, which a new event lacks
      if (!(events[i].at > lastAt)) return null;
      lastAt = events[i].at;
    }
    return lastAt;
  }
}

const sameList = <T>(a: readonly T[], b: readonly T[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

function sameSignals(a: ShopperSignals, b: ShopperSignals): boolean {
  return (
    sameList(a.history, b.history) &&
    sameList(a.weights, b.weights) &&
    sameList(a.verbs, b.verbs) &&
    sameList(a.owned, b.owned) &&
    sameList(a.inCart, b.inCart) &&
    sameList(a.hidden, b.hidden) &&
    JSON.stringify(a.preferences ?? null) === JSON.stringify(b.preferences ?? null)
  );
}

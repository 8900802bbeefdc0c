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

export function shopperSignals(events: readonly ShopperEvent[], options: SignalOptions = {}): ShopperSignals {
  const maxHistory = options.maxHistory ?? 200;
  const sorted = [...events].sort((a, b) => a.at - b.at || (a.id ?? 0) - (b.id ?? 0));
  const weight = new Map<number, number>();
  const lastSeen = new Map<number, number>();
  const verb = new Map<number, Verb>();
  const owned = new Set<number>();
  const hidden = new Set<number>();
  sorted.forEach((event, order) => {
    const item = event.itemId;
    if (item === undefined) return;
    if (event.kind === 'purchase') owned.add(item);
    if (event.kind === 'notInterested' || (event.kind === 'recFeedback' && event.thumbs === 'down')) {
      hidden.add(item);
    }
    if (event.kind === 'rating' && (event.rating ?? 3) <= 2) hidden.add(item);
    if (options.usable && !options.usable(event)) return;
    const w = eventWeight(event);
    if (w <= 0) return;
    weight.set(item, (weight.get(item) ?? 0) + w);
    lastSeen.set(item, order);
    const v = verbOf(event);
    if (verbRank[v] >= verbRank[verb.get(item) ?? 'viewed']) verb.set(item, v);
  });
  const history = [...lastSeen.entries()]
    .filter(([item]) => !hidden.has(item))
    .sort((a, b) => a[1] - b[1])
    .map(([item]) => item)
    .slice(-maxHistory);
  return {
    history,
    weights: history.map((item) => weight.get(item) ?? 1),
    verbs: history.map((item) => verb.get(item) ?? 'viewed'),
    owned: [...owned],
    inCart: [...(options.cart ?? [])],
    hidden: [...hidden],
    ...(options.preferences ? { preferences: options.preferences } : {}),
  };
}

// How much each event says about taste, how fast that fades, and which events are kept as
// the evidence behind a weight. Every number the profile's maths rests on is named here.
import type { EvidenceEntry } from '../../data/profileTypes';
import type { ShopperEvent } from '../../data/types';

/**
 * Half-life of an event's influence on the affinities: a view 30 days old counts half as
 * much as one today, and one 90 days old an eighth. A month keeps a shopper's standing
 * tastes while a passing curiosity fades within a season.
 */
export const PROFILE_HALF_LIFE_DAYS = 30;

export const dayMs = 86_400_000;

/** The number of events kept as evidence per weight: what a page can show and link. */
export const evidenceLimit = 5;

/** A dwell shorter than this is a bounce, not interest; the view already counted. */
export const minMeaningfulDwellMs = 10_000;

/**
 * Signed strength of each event, ordered purchase > cart > rating > dwell > view, and
 * negative for "not interested", thumbs down and low ratings. A recommendation click adds
 * nothing because opening the game records a view of it; searching and removing from the
 * cart name no taste (a removal may be a budget decision, or a purchase made elsewhere).
 */
export const eventStrengths = {
  purchase: 5,
  cartAdd: 3,
  /** By stars: 4 and 5 are "liked", 3 is neutral, 1 and 2 are "disliked". */
  rating: { 1: -3, 2: -2, 3: 0, 4: 2, 5: 2.5 } as Readonly<Record<number, number>>,
  thumbsUp: 2,
  thumbsDown: -3,
  dwell: 1.5,
  view: 1,
  notInterested: -4,
} as const;

/** The strength of one event for the affinities of the game it names (0: no effect). */
export function eventStrength(event: ShopperEvent): number {
  switch (event.kind) {
    case 'purchase':
      return eventStrengths.purchase;
    case 'cartAdd':
      return eventStrengths.cartAdd;
    case 'rating':
      return eventStrengths.rating[Math.round(event.rating ?? 3)] ?? 0;
    case 'recFeedback':
      if (event.thumbs === 'up') return eventStrengths.thumbsUp;
      return event.thumbs === 'down' ? eventStrengths.thumbsDown : 0;
    case 'dwell':
      return (event.dwellMs ?? 0) >= minMeaningfulDwellMs ? eventStrengths.dwell : 0;
    case 'view':
      return eventStrengths.view;
    case 'notInterested':
      return eventStrengths.notInterested;
    default:
      return 0;
  }
}

/** The factor an influence is multiplied by after `elapsedMs`: 2^(−elapsed / half-life). */
export function decayFactor(elapsedMs: number, halfLifeDays: number = PROFILE_HALF_LIFE_DAYS): number {
  return Math.pow(2, -elapsedMs / (halfLifeDays * dayMs));
}

/** Evidence order: larger |contribution| first; on a tie the newer (higher) event id. */
export function byEvidenceStrength(a: EvidenceEntry, b: EvidenceEntry): number {
  return Math.abs(b.contribution) - Math.abs(a.contribution) || b.eventId - a.eventId;
}

/**
 * Adds one entry to a list kept sorted by byEvidenceStrength and cut at `limit`, in place.
 * Because every entry of a list decays by the same factor, the order never changes with
 * time, so the kept entries are always the top `limit` of everything ever offered.
 */
export function insertEvidence(list: EvidenceEntry[], entry: EvidenceEntry, limit = evidenceLimit): void {
  let index = list.length;
  while (index > 0 && byEvidenceStrength(entry, list[index - 1]) < 0) index--;
  if (index >= limit) return;
  list.splice(index, 0, entry);
  if (list.length > limit) list.length = limit;
}

// The shopper's corrections to the profile. Pure and immutable: each helper returns new
// edits, so the caller can compare before and after (editsNeedRecompute) and store them.
import {
  profileEditsSchemaVersion,
  type AdjustableDimension,
  type Adjustment,
  type ProfileEdits,
} from '../../data/profileTypes';
import type { ShopperEvent } from '../../data/types';

export function emptyEdits(): ProfileEdits {
  return {
    schemaVersion: profileEditsSchemaVersion,
    adjustments: { genre: {}, tag: {}, developer: {} },
    priceCeiling: null,
    excludedEventIds: [],
    resetAt: null,
  };
}

/** Boost or mute a genre, tag or developer; null takes the adjustment away. */
export function setAdjustment(
  edits: ProfileEdits,
  dimension: AdjustableDimension,
  value: string,
  adjustment: Adjustment | null,
): ProfileEdits {
  const values = { ...edits.adjustments[dimension] };
  if (adjustment === null) delete values[value];
  else values[value] = adjustment;
  return { ...edits, adjustments: { ...edits.adjustments, [dimension]: values } };
}

/** The most the shopper wants to see a game cost, in dollars; null for no ceiling. */
export function setPriceCeiling(edits: ProfileEdits, dollars: number | null): ProfileEdits {
  if (dollars !== null && !(Number.isFinite(dollars) && dollars >= 0)) {
    throw new RangeError(`a price ceiling must be a non-negative number of dollars, got ${dollars}`);
  }
  return { ...edits, priceCeiling: dollars };
}

/** Mark an event "don't use for recommendations" (a gift, a mistake), or use it again. */
export function setEventExcluded(edits: ProfileEdits, eventId: number, excluded: boolean): ProfileEdits {
  const ids = new Set(edits.excludedEventIds);
  if (excluded) ids.add(eventId);
  else ids.delete(eventId);
  return { ...edits, excludedEventIds: [...ids].sort((a, b) => a - b) };
}

/**
 * Start the profile over at `now`: every boost, mute, ceiling and exclusion goes, and the
 * events so far stop feeding the profile (they stay in "Your data" until deleted there).
 */
export function resetEdits(now: number): ProfileEdits {
  return { ...emptyEdits(), resetAt: now };
}

/** Whether an event may feed the profile: not marked "don't use" and newer than the last reset. */
export function eventFilter(edits: ProfileEdits): (event: ShopperEvent) => boolean {
  const excluded = new Set(edits.excludedEventIds);
  const resetAt = edits.resetAt;
  return (event) =>
    (resetAt === null || event.at > resetAt) && (event.id === undefined || !excluded.has(event.id));
}

/**
 * Whether going from `before` to `after` changes which events feed the profile, so it must
 * be recomputed from the events. Boosts, mutes and the ceiling are applied when the profile
 * is read and need no recompute.
 */
export function editsNeedRecompute(before: ProfileEdits, after: ProfileEdits): boolean {
  if (before.resetAt !== after.resetAt) return true;
  const a = before.excludedEventIds;
  const b = after.excludedEventIds;
  return a.length !== b.length || a.some((id, i) => id !== b[i]);
}

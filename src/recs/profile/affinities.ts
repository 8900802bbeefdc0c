// Affinities: for every genre, tag, developer, price band, release era and free/paid, the
// decayed sum of the strengths of the events on games that carry it, with the events that
// moved it most. Decay is kept per value with a reference time (see AffinityMass), so an
// event touches only its game's values: O(values of one game), whatever the profile's size.
import type { AffinityDimension, AffinityMass, AffinityTable } from '../../data/profileTypes';
import type { Game, ShopperEvent } from '../../data/types';
import { affinityValuesOf, type AffinityValue } from './bins';
import type { ProfileCatalog } from './catalog';
import { decayFactor, eventStrength, insertEvidence } from './weights';

export function emptyAffinities(): AffinityTable {
  return { genre: {}, tag: {}, developer: {}, priceBand: {}, releaseEra: {}, freeOrPaid: {} };
}

/**
 * Adds `strength` felt at time `at` to one value's mass, in place. A later event first
 * decays the mass (and its evidence) to its own time; an earlier one (an import out of
 * order) is decayed to the mass's reference time instead, so the order of application
 * does not change the result.
 */
export function addContribution(
  entry: AffinityMass,
  strength: number,
  at: number,
  eventId: number | undefined,
): void {
  let contribution = strength;
  if (at >= entry.refAt) {
    const factor = decayFactor(at - entry.refAt);
    entry.mass = entry.mass * factor + strength;
    for (const evidence of entry.evidence) evidence.contribution *= factor;
    entry.refAt = at;
  } else {
    contribution = strength * decayFactor(entry.refAt - at);
    entry.mass += contribution;
  }
  if (eventId !== undefined) insertEvidence(entry.evidence, { eventId, contribution });
}

/** Folds one event on `game` into the table, in place. Events of strength 0 change nothing. */
export function applyEventToAffinities(table: AffinityTable, event: ShopperEvent, game: Game): void {
  const strength = eventStrength(event);
  if (strength === 0) return;
  for (const { dimension, value } of affinityValuesOf(game)) {
    const values = table[dimension];
    const entry = (values[value] ??= { mass: 0, refAt: event.at, evidence: [] });
    addContribution(entry, strength, event.at, event.id);
  }
}

/**
 * The same table computed from all events at once, without the incremental rescaling:
 * each value's reference time is its newest event, its mass Σ strength · decay(refAt − at),
 * and its evidence the strongest of those contributions. Used to rebuild the profile after
 * events are deleted, imported or expire.
 */
export function computeAffinities(events: readonly ShopperEvent[], catalog: ProfileCatalog): AffinityTable {
  const felt: { strength: number; event: ShopperEvent; values: AffinityValue[] }[] = [];
  const table = emptyAffinities();
  for (const event of events) {
    const game = event.itemId === undefined ? undefined : catalog.gameById.get(event.itemId);
    const strength = eventStrength(event);
    if (!game || strength === 0) continue;
    const values = affinityValuesOf(game);
    felt.push({ strength, event, values });
    for (const { dimension, value } of values) {
      const entry = (table[dimension][value] ??= { mass: 0, refAt: event.at, evidence: [] });
      entry.refAt = Math.max(entry.refAt, event.at);
    }
  }
  for (const { strength, event, values } of felt) {
    for (const { dimension, value } of values) {
      const entry = table[dimension][value];
      const contribution = strength * decayFactor(entry.refAt - event.at);
      entry.mass += contribution;
      if (event.id !== undefined) insertEvidence(entry.evidence, { eventId: event.id, contribution });
    }
  }
  return table;
}

/** A value's weight at `now`: its mass decayed from its reference time (never grown). */
export function affinityWeightAt(entry: AffinityMass, now: number): number {
  return entry.mass * decayFactor(Math.max(0, now - entry.refAt));
}

export interface RankedAffinity {
  value: string;
  /** Decayed to `now`; negative for values the shopper turned away from. */
  weight: number;
  /** Ids of the events that moved it most, strongest first. */
  evidence: number[];
}

/** One dimension's values by weight at `now`, strongest first (ties by name). */
export function rankAffinities(
  table: AffinityTable,
  dimension: AffinityDimension,
  now: number,
): RankedAffinity[] {
  return Object.entries(table[dimension])
    .map(([value, entry]) => ({
      value,
      weight: affinityWeightAt(entry, now),
      evidence: entry.evidence.map((e) => e.eventId),
    }))
    .sort(byWeightThenValue);
}

/** Heavier first; equal weights by value in code-point order, the same on every device. */
export function byWeightThenValue(
  a: { weight: number; value: string },
  b: { weight: number; value: string },
): number {
  return b.weight - a.weight || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
}

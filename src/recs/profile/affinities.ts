// Affinities: for every genre, tag, developer, price band, release era and free/paid, the
// decayed sum of the strengths of the events on games that carry it, with the events that
// moved it most. Decay is kept per value with a reference time (see AffinityMass), so an
// event touches only its game's values: O(values of one game), whatever the profile's size.
import type { AffinityDimension, AffinityMass, AffinityTable, EvidenceEntry } from '../../data/profileTypes';
import type { Game, ShopperEvent } from '../../data/types';
import { affinityValuesOf } from './bins';
import type { ProfileCatalog } from './catalog';
import { byEvidenceStrength, decayFactor, eventStrength, evidenceLimit, insertEvidence } from './weights';

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
 * The same table computed in one pass over all events, without the incremental
 * bookkeeping: each value's mass is Σ strength · decay(refAt − at) with refAt its newest
 * event, and its evidence the top entries of every contribution. Used to rebuild the
 * profile after events are deleted, imported or expire.
 */
export function computeAffinities(events: readonly ShopperEvent[], catalog: ProfileCatalog): AffinityTable {
  type Felt = { strength: number; at: number; eventId: number | undefined };
  const felt = new Map<AffinityDimension, Map<string, Felt[]>>();
  for (const event of events) {
    const game = event.itemId === undefined ? undefined : catalog.gameById.get(event.itemId);
    const strength = eventStrength(event);
    if (!game || strength === 0) continue;
    for (const { dimension, value } of affinityValuesOf(game)) {
      const byValue = felt.get(dimension) ?? new Map<string, Felt[]>();
      felt.set(dimension, byValue);
      const list = byValue.get(value) ?? [];
      byValue.set(value, list);
      list.push({ strength, at: event.at, eventId: event.id });
    }
  }
  const table = emptyAffinities();
  for (const [dimension, byValue] of felt) {
    for (const [value, list] of byValue) {
      const refAt = Math.max(...list.map((f) => f.at));
      let mass = 0;
      const evidence: EvidenceEntry[] = [];
      for (const { strength, at, eventId } of list) {
        const contribution = strength * decayFactor(refAt - at);
        mass += contribution;
        if (eventId !== undefined) evidence.push({ eventId, contribution });
      }
      evidence.sort(byEvidenceStrength);
      table[dimension][value] = { mass, refAt, evidence: evidence.slice(0, evidenceLimit) };
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
    .sort((a, b) => b.weight - a.weight || a.value.localeCompare(b.value));
}

// The event ids of an export file, and the ids its events may be stored under.
//
// Ids are the events' order (ties in time are broken by id) and what the profile names: the
// shopper's "don't use this event" marks (the edits' excludedEventIds) and the interpretable
// profile's evidence. Nothing else refers to them: offers, sessions, impressions and the sealed
// bytes of an encrypted row (sealed with the table's name, not the key) do not.
//
// IndexedDB's key generator continues after the largest key ever stored and fails past 2^53, and no
// write can move it back. Stored as they are, a file's ids would leave the rest of the range to
// record in; so a file's ids are kept only while the largest leaves half of it. Past that, or when
// some event has no id, the events are numbered 1, 2, … in their order, and what names them follows.
import type { AisleExport } from './exportFormat';
import { profileKeys } from './profile';
import { isPlainObject } from './recordChecks';
import type { ShopperEvent } from './types';

/** 2^52: a file's ids are kept while none is larger, so 2^52 more events can still be recorded. */
export const largestKeptEventId = 2 ** 52;

/** Whether a replacing import may store these events under the file's own ids. */
export const canKeepEventIds = (events: readonly ShopperEvent[]): boolean =>
  events.every((event) => event.id !== undefined && event.id <= largestKeptEventId);

/** The events in the order of their ids, events without an id after them in the file's order. */
export function inIdOrder(events: readonly ShopperEvent[]): ShopperEvent[] {
  const withId = events.filter((event) => event.id !== undefined).sort((a, b) => a.id! - b.id!);
  return [...withId, ...events.filter((event) => event.id === undefined)];
}

/** The events numbered 1, 2, … in that order (inIdOrder), with the new id of each old one. */
export function renumberEvents(events: readonly ShopperEvent[]): {
  events: ShopperEvent[];
  newIdOf: Map<number, number>;
} {
  const newIdOf = new Map<number, number>();
  const renumbered = inIdOrder(events).map((event, i) => {
    if (event.id !== undefined) newIdOf.set(event.id, i + 1);
    return { ...event, id: i + 1 };
  });
  return { events: renumbered, newIdOf };
}

/**
 * The excluded event ids (the edits' "don't use" marks) moved to the new ids; an id that names
 * no event of the file is dropped: it excludes nothing there, and once the key generator reached
 * it again it would silently exclude an event recorded later.
 */
export function remapExcludedIds(
  ids: readonly number[],
  newIdOf: Pick<ReadonlyMap<number, number>, 'get'>,
): number[] {
  const mapped = ids.flatMap((id) => {
    const newId = newIdOf.get(id);
    return newId === undefined ? [] : [newId];
  });
  return [...new Set(mapped)].sort((a, b) => a - b);
}

/** The profile rows with the edits' marks following `newIdOf`; the interpretable profile kept or not. */
function profileFollowing(
  profile: AisleExport['profile'],
  newIdOf: Pick<ReadonlyMap<number, number>, 'get'>,
  keepInterpretable: boolean,
): AisleExport['profile'] {
  return profile
    .filter((row) => keepInterpretable || row.key !== profileKeys.interpretable)
    .map((row) => {
      // parseImport checked an imported row's shape; a stored one (written by a newer build, say)
      // of another shape is exported as it is, for the reader to judge, rather than failing here
      const edits = row.value;
      if (row.key !== profileKeys.edits || !isPlainObject(edits) || !Array.isArray(edits.excludedEventIds))
        return row;
      const ids = edits.excludedEventIds.filter((id): id is number => typeof id === 'number');
      return { ...row, value: { ...edits, excludedEventIds: remapExcludedIds(ids, newIdOf) } };
    });
}

/**
 * The file as a replacing import stores it (and as an export writes it): its own ids when they can
 * be kept (canKeepEventIds), else the events renumbered in their order, the edits' marks moved with
 * them and the interpretable profile left out (its evidence names the old ids; the store's worker
 * rebuilds it from the events after every import). Either way a mark naming no event is dropped.
 */
export function withStorableEventIds(data: AisleExport): AisleExport {
  if (!canKeepEventIds(data.events)) {
    const { events, newIdOf } = renumberEvents(data.events);
    return { ...data, events, profile: profileFollowing(data.profile, newIdOf, false) };
  }
  return { ...data, profile: profileFollowing(data.profile, keptIds(data.events, data.profile), true) };
}

/**
 * The ids kept, each its own new id, for the marks' sake: only the marked ids are looked for, since a
 * Map of 100,000 events' ids cost more than writing the file as JSON (scripts/bench/eventIdsCost.ts).
 */
function keptIds(
  events: readonly ShopperEvent[],
  profile: AisleExport['profile'],
): Pick<ReadonlyMap<number, number>, 'get'> {
  const marked = new Set(marksOf(profile));
  const present = new Set<number>();
  if (marked.size > 0) for (const { id } of events) if (marked.has(id!)) present.add(id!);
  return { get: (id) => (present.has(id) ? id : undefined) };
}

/** The edits' marks, when the edits have this build's shape; else none. */
function marksOf(profile: AisleExport['profile']): number[] {
  const edits = profile.find((row) => row.key === profileKeys.edits)?.value;
  if (!isPlainObject(edits) || !Array.isArray(edits.excludedEventIds)) return [];
  return edits.excludedEventIds.filter((id): id is number => typeof id === 'number');
}

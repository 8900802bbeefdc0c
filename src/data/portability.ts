// "Your data": take everything out (export) and bring it back (import).
//
// The export holds what only the shopper can recreate: events, cart, settings and profile.
// Trained models, checkpoints, lab runs and imported datasets are left out on purpose:
// they are large, and each can be rebuilt from the events or the original files.
import { listCart } from './cart';
import type { AisleDb } from './db';
import { inIdOrder, remapExcludedIds, withStorableEventIds } from './eventIds';
import { decodeJson, encodeJson, exportFormatVersion, type AisleExport } from './exportFormat';
import { profileKeys } from './profile';
import type { ProfileEdits } from './profileTypes';
import type { ProfileRecord, SettingKey, Settings } from './records';
import type { ShopperEvent } from './types';
import { settingsDefaults } from './settings';
import { allStoredEvents } from './storedEvents';

export type ImportMode = 'replace' | 'merge';

export interface ImportSummary {
  events: number;
  cart: number;
  settings: number;
  profile: number;
}

export async function exportAll(db: AisleDb, now = new Date()): Promise<AisleExport> {
  // one read transaction, so the file is a consistent picture even while the app writes
  return db.transaction('r', [db.events, db.cartLines, db.settings, db.profile], async () => {
    const [events, cart, settingRows, profileRows] = await Promise.all([
      // a damaged event is left out: the file it would spoil could not be imported again
      allStoredEvents(db, 'id'),
      listCart(db),
      db.settings.toArray(),
      db.profile.toArray(),
    ]);
    const settings: Partial<Settings> = {};
    // only the shopper's settings: a row about this device (its measured backend) stays here
    for (const row of settingRows)
      if (Object.hasOwn(settingsDefaults, row.key))
        (settings as Record<string, unknown>)[row.key] = row.value;
    // written as a replacing import would store it, so that any Aisle, this one or an older one
    // (which refused ids past 2^52), reads it back: ids past 2^52 are renumbered in their order
    return withStorableEventIds({
      app: 'aisle',
      version: exportFormatVersion,
      exportedAt: now.toISOString(),
      events,
      cart,
      settings,
      profile: profileRows.map((row) => ({
        key: row.key,
        value: encodeJson(row.value),
        updatedAt: row.updatedAt,
      })),
    });
  });
}

/**
 * Writes a parsed export (always pass parseImport's data) in one transaction over every
 * table it touches, so a failure half-way changes nothing.
 * - replace: the four tables are emptied first; event ids are kept while none is above 2^52 and
 *   every event has one, else the events are numbered 1, 2, … in their order (eventIds.ts).
 * - merge: events already present (same content) are skipped and new ones get new ids, in the
 *   order of the file's ids; cart lines are added if missing; imported settings win; for profile
 *   keys the newer updatedAt wins, except that the edits keep the "don't use" marks of both
 *   (mergedEdits).
 * Either way the edits' "don't use" marks follow their events to the ids they get here.
 */
export async function importAll(db: AisleDb, file: AisleExport, mode: ImportMode): Promise<ImportSummary> {
  // renumbering is pure and done before the transaction: a refusal or failure leaves nothing half-done
  const data = mode === 'replace' ? withStorableEventIds(file) : file;
  return db.transaction('rw', [db.events, db.cartLines, db.settings, db.profile], async () => {
    const settingRows = Object.entries(data.settings).map(([key, value]) => ({
      key: key as SettingKey,
      value,
    }));
    const profileRows: ProfileRecord[] = data.profile.map((row) => ({
      key: row.key,
      value: decodeJson(row.value),
      updatedAt: row.updatedAt,
    }));

    if (mode === 'replace') {
      await Promise.all([db.events.clear(), db.cartLines.clear(), db.settings.clear(), db.profile.clear()]);
      await db.events.bulkAdd(data.events.map((event) => ({ ...event })));
      await db.cartLines.bulkAdd(data.cart.map(({ itemId, addedAt }) => ({ itemId, addedAt })));
      await db.settings.bulkPut(settingRows);
      await db.profile.bulkPut(profileRows);
      return {
        events: data.events.length,
        cart: data.cart.length,
        settings: settingRows.length,
        profile: profileRows.length,
      };
    }

    // merged events get new ids: the edits' "don't use" marks must follow them
    const merged = await addNewEvents(db, data.events);

    const inCart = new Set((await db.cartLines.toArray()).map((line) => line.itemId));
    const newLines = data.cart
      .filter((line) => !inCart.has(line.itemId))
      .map(({ itemId, addedAt }) => ({ itemId, addedAt }));
    await db.cartLines.bulkAdd(newLines);

    await db.settings.bulkPut(settingRows);

    const currentRows = new Map((await db.profile.toArray()).map((row) => [row.key, row]));
    const newerProfile = profileRows
      // the interpretable profile names event ids of the file: the worker rebuilds it instead
      .filter((row) => row.key !== profileKeys.interpretable && row.key !== profileKeys.edits)
      .filter((row) => (currentRows.get(row.key)?.updatedAt ?? -Infinity) < row.updatedAt);
    const fileEdits = profileRows.find((row) => row.key === profileKeys.edits);
    const edits =
      fileEdits &&
      mergedEdits(currentRows.get(profileKeys.edits), {
        ...fileEdits,
        value: remapExcludedEvents(fileEdits.value as ProfileEdits, merged.newIdOf),
      });
    if (edits) newerProfile.push(edits);
    await db.profile.bulkPut(newerProfile);

    return {
      events: merged.added,
      cart: newLines.length,
      settings: settingRows.length,
      profile: newerProfile.length,
    };
  });
}

/**
 * Adds the file's events not already stored, in the order of the file's ids, under new ids. An
 * event is already stored when one of the same content (eventSignature) is, counted as a multiset:
 * two equal events of the file (two views of a game in the same millisecond) find two stored ones
 * or are added, so merging into an empty database keeps every event. Returns how many were added
 * and the id here of each file id.
 */
async function addNewEvents(
  db: AisleDb,
  events: readonly ShopperEvent[],
): Promise<{ added: number; newIdOf: Map<number, number> }> {
  // stored ids by content, oldest first, each matched by at most one event of the file; a cursor
  // rather than shift() and a push rather than a copy, so many equal events cost linear time
  const unmatchedIds = new Map<string, { ids: number[]; next: number }>();
  for (const event of await db.events.toArray()) {
    const signature = eventSignature(event);
    const same = unmatchedIds.get(signature);
    if (same) same.ids.push(event.id!);
    else unmatchedIds.set(signature, { ids: [event.id!], next: 0 });
  }
  const takeStoredId = (signature: string): number | undefined => {
    const same = unmatchedIds.get(signature);
    return same && same.next < same.ids.length ? same.ids[same.next++] : undefined;
  };
  const newEvents: ShopperEvent[] = [];
  const newEventFileIds: (number | undefined)[] = [];
  const newIdOf = new Map<number, number>();
  for (const { id, ...event } of inIdOrder(events)) {
    const storedId = takeStoredId(eventSignature(event));
    if (storedId === undefined) {
      newEvents.push(event);
      newEventFileIds.push(id);
    } else if (id !== undefined) newIdOf.set(id, storedId);
  }
  const newIds = await db.events.bulkAdd(newEvents, { allKeys: true });
  newEventFileIds.forEach((fileId, i) => {
    const newId = newIds[i];
    if (fileId !== undefined && newId !== undefined) newIdOf.set(fileId, newId);
  });
  return { added: newEvents.length, newIdOf };
}

/**
 * The edits row a merge stores, or undefined when the stored one stands as it is: the newer row's
 * boosts, mutes, price ceiling and reset (which side removed a mute cannot be told apart from which
 * never had it), with the "don't use" marks of both. A mark names one event, so the older row's marks
 * are not outdated by the newer row: they are marks on other events (the file's marks already moved
 * to the ids here). A stored row of a shape this build does not know is left as it is.
 */
export function mergedEdits(
  stored: ProfileRecord | undefined,
  fromFile: ProfileRecord,
): ProfileRecord | undefined {
  if (stored === undefined) return fromFile;
  const storedEdits = stored.value as Partial<ProfileEdits> | null;
  if (!Array.isArray(storedEdits?.excludedEventIds)) return undefined;
  const [newer, older] = stored.updatedAt < fromFile.updatedAt ? [fromFile, stored] : [stored, fromFile];
  const newerMarks = (newer.value as ProfileEdits).excludedEventIds;
  const marks = [...new Set([...newerMarks, ...(older.value as ProfileEdits).excludedEventIds])].sort(
    (a, b) => a - b,
  );
  if (newer === stored && marks.length === newerMarks.length) return undefined;
  return { ...newer, value: { ...(newer.value as ProfileEdits), excludedEventIds: marks } };
}

/** The edits with each excluded event id of the file replaced by that event's id here (remapExcludedIds). */
export function remapExcludedEvents(edits: ProfileEdits, idOf: ReadonlyMap<number, number>): ProfileEdits {
  return { ...edits, excludedEventIds: remapExcludedIds(edits.excludedEventIds, idOf) };
}

/** Content identity of an event, ignoring its id, for merge de-duplication. */
function eventSignature(event: ShopperEvent): string {
  const { id: _id, ...content } = event;
  return JSON.stringify(Object.entries(content).sort(([a], [b]) => (a < b ? -1 : 1)));
}

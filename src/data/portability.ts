// "Your data": take everything out (export) and bring it back (import).
//
// The export holds what only the shopper can recreate: events, cart, settings and profile.
// Trained models, checkpoints, lab runs and imported datasets are left out on purpose:
// they are large, and each can be rebuilt from the events or the original files.
import { listCart } from './cart';
import type { AisleDb } from './db';
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
    return {
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
    };
  });
}

/**
 * Writes a parsed export (always pass parseImport's data) in one transaction over every
 * table it touches, so a failure half-way changes nothing.
 * - replace: the four tables are emptied first; event ids are kept.
 * - merge: events already present (same content) are skipped and new ones get new ids;
 *   cart lines are added if missing; imported settings win; for profile keys the newer
 *   updatedAt wins.
 */
export async function importAll(db: AisleDb, data: AisleExport, mode: ImportMode): Promise<ImportSummary> {
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
    const idBySignature = new Map(
      (await db.events.toArray()).map((event) => [eventSignature(event), event.id!] as const),
    );
    const newEvents: ShopperEvent[] = [];
    const newEventOldIds: (number | undefined)[] = [];
    const importedIds = new Map<number, number>();
    for (const { id, ...event } of data.events) {
      const signature = eventSignature(event);
      const present = idBySignature.get(signature);
      if (present !== undefined) {
        if (id !== undefined) importedIds.set(id, present);
        continue;
      }
      idBySignature.set(signature, -1);
      newEvents.push(event);
      newEventOldIds.push(id);
    }
    const newIds = await db.events.bulkAdd(newEvents, { allKeys: true });
    newEventOldIds.forEach((oldId, i) => {
      const newId = newIds[i];
      if (oldId !== undefined && newId !== undefined) importedIds.set(oldId, newId);
    });

    const inCart = new Set((await db.cartLines.toArray()).map((line) => line.itemId));
    const newLines = data.cart
      .filter((line) => !inCart.has(line.itemId))
      .map(({ itemId, addedAt }) => ({ itemId, addedAt }));
    await db.cartLines.bulkAdd(newLines);

    await db.settings.bulkPut(settingRows);

    const currentProfile = new Map((await db.profile.toArray()).map((row) => [row.key, row.updatedAt]));
    const newerProfile = profileRows
      // the interpretable profile names event ids of the file: the worker rebuilds it instead
      .filter((row) => row.key !== profileKeys.interpretable)
      .filter((row) => (currentProfile.get(row.key) ?? -Infinity) < row.updatedAt)
      .map((row) =>
        row.key === profileKeys.edits
          ? { ...row, value: remapExcludedEvents(row.value as ProfileEdits, importedIds) }
          : row,
      );
    await db.profile.bulkPut(newerProfile);

    return {
      events: newEvents.length,
      cart: newLines.length,
      settings: settingRows.length,
      profile: newerProfile.length,
    };
  });
}

/**
 * The edits with each excluded event id of the file replaced by that event's id here; an
 * id the file holds no event for is dropped (it excludes nothing).
 */
export function remapExcludedEvents(edits: ProfileEdits, idOf: ReadonlyMap<number, number>): ProfileEdits {
  const ids = edits.excludedEventIds.flatMap((id) => {
    const mapped = idOf.get(id);
    return mapped === undefined || mapped < 0 ? [] : [mapped];
  });
  return { ...edits, excludedEventIds: [...new Set(ids)].sort((a, b) => a - b) };
}

/** Content identity of an event, ignoring its id, for merge de-duplication. */
function eventSignature(event: ShopperEvent): string {
  const { id: _id, ...content } = event;
  return JSON.stringify(Object.entries(content).sort(([a], [b]) => (a < b ? -1 : 1)));
}

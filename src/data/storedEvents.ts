// Reading the events table defensively. A stored event is used only if it has the shape an import
// would accept (recordChecks.ts); anything else (written by a damaged disk, an extension, a bug in
// an older build) is skipped and counted instead of crashing the list, the insights or the profile.
import type { AisleDb } from './db';
import { checkRecord, checks, eventSpec, type RecordSpec } from './recordChecks';
import type { ShopperEvent } from './types';
import type { UnreadableRecords } from './unreadable';

const storedEventSpec: RecordSpec = {
  ...eventSpec,
  // a stored event always has its key (its time, as in a file, must be a date the page can print)
  id: [checks.positiveId, true],
};

/** What is wrong with a stored event ("kind: must be one of …"), or null when the app can use it. */
export const storedEventProblem = (row: unknown): string | null =>
  // a field a newer build added is no reason to hide the shopper's event
  checkRecord(row, storedEventSpec, { unknownFields: 'ignore' });

/** The usable events among `rows`, in the order given; the others are noted in `unreadable`. */
export function readableEvents(rows: readonly unknown[], unreadable: UnreadableRecords): ShopperEvent[] {
  return rows.filter((row): row is ShopperEvent => {
    const problem = storedEventProblem(row);
    if (problem === null) return true;
    const id = typeof row === 'object' && row !== null ? (row as { id?: unknown }).id : undefined;
    if (unreadable.note('events', id)) console.warn(`Skipped stored event ${String(id)}: ${problem}`);
    return false;
  });
}

/**
 * Every usable stored event, oldest first (ties in id order, as the `at` index orders them) or in
 * id order. Read by primary key rather than through the `at` index: a record whose time is missing
 * or not a key is absent from that index, and would be skipped without being counted.
 */
export async function allStoredEvents(db: AisleDb, order: 'at' | 'id' = 'at'): Promise<ShopperEvent[]> {
  const events = readableEvents(await db.events.toArray(), db.unreadable);
  return order === 'id' ? events : events.sort((a, b) => a.at - b.at || a.id! - b.id!);
}

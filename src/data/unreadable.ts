// Stored records this connection could not read: a sealed row whose bytes no longer open (damaged
// on disk, or sealed with another key) or an event of a shape no part of the app can use. Every
// read skips them, so one bad record never blanks a list or breaks the profile, and they stay in
// the database as they are: nothing is deleted behind the shopper's back (deleting by time and
// "erase everything" still reach them). The page says how many it skipped.

export type UnreadableListener = (count: number) => void;

export class UnreadableRecords {
  private readonly seen = new Set<string>();
  private readonly listeners = new Set<UnreadableListener>();

  /**
   * Notes one skipped record by table and primary key. A record read again (a list that follows
   * the database re-reads on every write) counts once. Returns whether it was new.
   */
  note(table: string, primaryKey: unknown): boolean {
    const id = `${table}:${JSON.stringify(primaryKey) ?? String(primaryKey)}`;
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    for (const listener of this.listeners) listener(this.seen.size);
    return true;
  }

  /** How many different records have been skipped since this connection was made. */
  get count(): number {
    return this.seen.size;
  }

  /** Told the new count whenever another record is skipped; returns a function that stops it. */
  onChange(listener: UnreadableListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** What the page tells the shopper about skipped records, or null when there are none. */
export function describeSkipped(count: number): string | null {
  if (count === 0) return null;
  const records = count === 1 ? '1 saved record' : `${count} saved records`;
  return `${records} could not be read (damaged on this device) and ${count === 1 ? 'was' : 'were'} skipped. Everything else you saved is here.`;
}

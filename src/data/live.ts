// Reads that follow the database: the result now, then again whenever a write that touches what
// the query read is committed, in this tab or another (Dexie's liveQuery carries other tabs'
// writes over a BroadcastChannel). The UI binds these to its state (ui/liveState.svelte.ts), so
// a list open in two tabs shows the same rows without a reload.
import { liveQuery } from 'dexie';
import type { AisleDb } from './db';
import { allStoredEvents } from './storedEvents';
import type { ShopperEvent } from './types';

/** Starts observing: onValue gets every result, onError a failed read; returns the stop function. */
export type Observe<T> = (onValue: (value: T) => void, onError: (error: unknown) => void) => () => void;

export function observeQuery<T>(query: () => Promise<T>): Observe<T> {
  return (onValue, onError) => {
    const subscription = liveQuery(query).subscribe({ next: onValue, error: onError });
    return () => subscription.unsubscribe();
  };
}

/** Every usable stored event, oldest first, kept current (an unreadable one is skipped and counted). */
export const observeEvents = (db: AisleDb): Observe<ShopperEvent[]> =>
  observeQuery(() => allStoredEvents(db));

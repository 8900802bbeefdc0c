// Shopping sessions as the events record them: every event carries the id of the visit it
// happened in (data/session.ts starts a new one after 30 minutes idle), so a session starts at
// its first event and ends at its last.
import type { ShopperEvent } from '../../data/types';

export interface ShoppingSession {
  id: string;
  start: number;
  end: number;
  events: number;
}

/** Sessions in the order they started. */
export function sessionsOf(events: readonly ShopperEvent[]): ShoppingSession[] {
  const byId = new Map<string, ShoppingSession>();
  for (const event of events) {
    const session = byId.get(event.sessionId);
    if (session === undefined) {
      byId.set(event.sessionId, { id: event.sessionId, start: event.at, end: event.at, events: 1 });
    } else {
      session.start = Math.min(session.start, event.at);
      session.end = Math.max(session.end, event.at);
      session.events += 1;
    }
  }
  return [...byId.values()].sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
}

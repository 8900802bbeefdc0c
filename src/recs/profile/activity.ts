// Activity: how much and how recently the shopper uses the store. Every event counts,
// whatever its kind; a session is a sessionId (the page starts a new one after idling).
import type { ActivityState } from '../../data/profileTypes';
import type { ShopperEvent } from '../../data/types';
import { dayMs } from './weights';

export const weekMs = 7 * dayMs;

export function emptyActivity(): ActivityState {
  return {
    eventCount: 0,
    sessionEventCounts: {},
    firstAt: null,
    lastAt: null,
    firstEventId: null,
    lastEventId: null,
  };
}

/**
 * Folds one event in, in place. First and last are by time, ties going to the lower id
 * for "first" and the higher id for "last", so the order of application does not matter.
 */
export function applyEventToActivity(state: ActivityState, event: ShopperEvent): void {
  state.eventCount += 1;
  state.sessionEventCounts[event.sessionId] = (state.sessionEventCounts[event.sessionId] ?? 0) + 1;
  const id = event.id ?? null;
  if (state.firstAt === null || isBefore(event.at, id, state.firstAt, state.firstEventId)) {
    state.firstAt = event.at;
    state.firstEventId = id;
  }
  if (state.lastAt === null || isBefore(state.lastAt, state.lastEventId, event.at, id)) {
    state.lastAt = event.at;
    state.lastEventId = id;
  }
}

function isBefore(at: number, id: number | null, otherAt: number, otherId: number | null): boolean {
  return at < otherAt || (at === otherAt && (id ?? -1) < (otherId ?? -1));
}

export interface ActivitySummary {
  sessions: number;
  eventCount: number;
  /** Events over the weeks since the first visit, counting at least one week. */
  eventsPerWeek: number;
  firstAt: number | null;
  lastAt: number | null;
  /** Days since the last event; null before any. */
  recencyDays: number | null;
  /** The first and the last event, the ones that set the dates. */
  evidence: number[];
}

export function summarizeActivity(state: ActivityState, now: number): ActivitySummary {
  const weeks = state.firstAt === null ? 1 : Math.max(1, (now - state.firstAt) / weekMs);
  const evidence = [state.firstEventId, state.lastEventId].filter((id): id is number => id !== null);
  return {
    sessions: Object.keys(state.sessionEventCounts).length,
    eventCount: state.eventCount,
    eventsPerWeek: state.eventCount / weeks,
    firstAt: state.firstAt,
    lastAt: state.lastAt,
    recencyDays: state.lastAt === null ? null : Math.max(0, now - state.lastAt) / dayMs,
    evidence: [...new Set(evidence)],
  };
}

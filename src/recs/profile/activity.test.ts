import { describe, expect, it } from 'vitest';
import { applyEventToActivity, emptyActivity, summarizeActivity } from './activity';
import { event } from './testSupport';
import { dayMs } from './weights';

const events = [
  event(1, 'view', 1, 0),
  event(2, 'search', undefined, 0.04, { query: 'x' }),
  event(3, 'view', 2, 3, { sessionId: 's2' }),
  event(4, 'purchase', 2, 10, { sessionId: 's3' }),
];

function folded(list = events) {
  const state = emptyActivity();
  for (const e of list) applyEventToActivity(state, e);
  return state;
}

describe('activity', () => {
  it('counts sessions and events, per week since the first visit', () => {
    const summary = summarizeActivity(folded(), 14 * dayMs);
    expect(summary).toEqual({
      sessions: 3,
      eventCount: 4,
      // 4 events over 2 weeks
      eventsPerWeek: 2,
      firstAt: 0,
      lastAt: 10 * dayMs,
      recencyDays: 4,
      evidence: [1, 4],
    });
  });

  it('counts at least one week, so a first day is not extrapolated', () => {
    expect(summarizeActivity(folded(), 3 * dayMs).eventsPerWeek).toBe(4);
  });

  it('finds the first and last event whatever the order of application', () => {
    expect(folded([...events].reverse())).toEqual(folded());
  });

  it('is empty before any event', () => {
    expect(summarizeActivity(emptyActivity(), 5 * dayMs)).toEqual({
      sessions: 0,
      eventCount: 0,
      eventsPerWeek: 0,
      firstAt: null,
      lastAt: null,
      recencyDays: null,
      evidence: [],
    });
  });
});

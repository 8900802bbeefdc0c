import { describe, expect, it } from 'vitest';
import { satisfactionByDay, satisfactionIntervalMs, shouldAskSatisfaction } from './satisfaction';
import { sessionsOf } from './sessions';
import { day, hour, s2Start, s3Start, shuffledTestLog, testLog } from './testLog';

describe('satisfaction', () => {
  it('answers per day, in the shopper’s own calendar', () => {
    expect(satisfactionByDay(shuffledTestLog)).toEqual([
      { day: '1970-01-01', useful: 1, notUseful: 0, dismissed: 0 },
      { day: '1970-01-02', useful: 0, notUseful: 1, dismissed: 0 },
    ]);
    // two hours behind UTC, session 2's answer (01:00:40 UTC) was given on the evening before
    expect(satisfactionByDay(testLog, -120).map((d) => d.day)).toEqual(['1969-12-31', '1970-01-01']);
  });

  it('asks at most once a day, and only a shopper who has used the picks', () => {
    const lastAsked = s3Start + 3_000;
    expect(shouldAskSatisfaction(testLog, lastAsked + satisfactionIntervalMs - 1)).toBe(false);
    expect(shouldAskSatisfaction(testLog, lastAsked + satisfactionIntervalMs)).toBe(true);
    const neverClicked = testLog.filter((e) => e.kind !== 'recClick' && e.kind !== 'satisfaction');
    expect(shouldAskSatisfaction(neverClicked, 10 * day)).toBe(false);
    const dismissed = [
      ...neverClicked,
      { kind: 'recClick' as const, at: 0, sessionId: 's', itemId: 1, placement: 'home:forYou' },
      { kind: 'satisfaction' as const, at: 10 * day - hour, sessionId: 's', answer: 'dismissed' as const },
    ];
    expect(shouldAskSatisfaction(dismissed, 10 * day)).toBe(false);
  });
});

describe('sessions', () => {
  it('start at their first event and end at their last', () => {
    expect(sessionsOf(shuffledTestLog)).toEqual([
      { id: 's1', start: 0, end: 50_000, events: 11 },
      { id: 's2', start: s2Start, end: s2Start + 41_000, events: 16 },
      { id: 's3', start: s3Start, end: s3Start + 4_000, events: 6 },
    ]);
  });
});

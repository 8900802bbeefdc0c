import { describe, expect, it } from 'vitest';
import { activityWriteMs, createSessionTracker, memoryStore, sessionIdleMs } from './session';

describe('session tracker', () => {
  it('keeps the same session while the shopper stays active', () => {
    const tracker = createSessionTracker(memoryStore());
    const first = tracker.sessionIdAt(1_000);
    expect(tracker.sessionIdAt(1_000 + sessionIdleMs - 1)).toBe(first);
    // activity refreshes the idle clock, so a long but busy visit stays one session
    expect(tracker.sessionIdAt(1_000 + 2 * sessionIdleMs - 2)).toBe(first);
  });

  it('starts a new session after 30 minutes idle', () => {
    const tracker = createSessionTracker(memoryStore());
    const first = tracker.sessionIdAt(0);
    const second = tracker.sessionIdAt(sessionIdleMs);
    expect(second).not.toBe(first);
    expect(second.length).toBeGreaterThan(0);
  });

  it('shares the session through the store, as two trackers on one tab would', () => {
    const store = memoryStore();
    const id = createSessionTracker(store).sessionIdAt(5);
    expect(createSessionTracker(store).sessionIdAt(10)).toBe(id);
  });

  it('writes the activity time only when the session changes or the stored time is 10 s stale', () => {
    const base = memoryStore();
    const writes: number[] = [];
    const store = {
      getItem: base.getItem,
      setItem: (key: string, value: string) => {
        writes.push((JSON.parse(value) as { lastActiveAt: number }).lastActiveAt);
        base.setItem(key, value);
      },
    };
    const tracker = createSessionTracker(store);
    const id = tracker.sessionIdAt(0);
    // clicks 2 s apart: the stored time is written at 0, then once it is 10 s old (at 10 s)
    for (let at = 2_000; at <= 16_000; at += 2_000) expect(tracker.sessionIdAt(at)).toBe(id);
    expect(writes).toEqual([0, activityWriteMs]);
    // a reload (a tracker on a copy of the store) reads only the stored 10 s: 30 minutes later is a new session there…
    const copy = memoryStore();
    copy.setItem('aisle.session', base.getItem('aisle.session')!);
    expect(createSessionTracker(copy).sessionIdAt(activityWriteMs + sessionIdleMs)).not.toBe(id);
    // …while this tracker counts idle time from its last click, at 16 s
    expect(tracker.sessionIdAt(activityWriteMs + sessionIdleMs)).toBe(id);
  });

  it('follows a new session another tracker started, rather than its own older one', () => {
    const store = memoryStore();
    const first = createSessionTracker(store);
    const old = first.sessionIdAt(0);
    const newer = createSessionTracker(store).sessionIdAt(sessionIdleMs + 5);
    expect(newer).not.toBe(old);
    expect(first.sessionIdAt(sessionIdleMs + 6)).toBe(newer);
  });

  it('survives a corrupt stored value', () => {
    const store = memoryStore();
    store.setItem('aisle.session', '{not json');
    expect(createSessionTracker(store).sessionIdAt(0)).toMatch(/.+/);
  });
});

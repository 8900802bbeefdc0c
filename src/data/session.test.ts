import { describe, expect, it } from 'vitest';
import { createSessionTracker, memoryStore, sessionIdleMs } from './session';

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

  it('survives a corrupt stored value', () => {
    const store = memoryStore();
    store.setItem('aisle.session', '{not json');
    expect(createSessionTracker(store).sessionIdAt(0)).toMatch(/.+/);
  });
});

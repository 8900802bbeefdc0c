// Events no row depends on (impressions) wait for idle time, then join the events in time order.
// A browser without storage keeps the events in memory only, which is all this needs.
import { describe, expect, it, vi } from 'vitest';

// vi.mock is hoisted above the imports, so the helper is imported inside the factory
vi.mock('../data/db', async (importOriginal) =>
  (await import('./testSupport/blockedStorage')).blockedDbModule(importOriginal, 'blocked-idle'),
);

const { shopper } = await import('./shopper.svelte');

/** Node has no requestIdleCallback: offPath's fallback timer (50 ms) stands for the idle time. */
const afterIdle = () => new Promise((resolve) => setTimeout(resolve, 120));

describe('shopper.recordWhenIdle', () => {
  it('records when idle, before any later event, with the time it happened; an erase forgets it', async () => {
    await shopper.load();
    expect(shopper.memoryOnly).toBe(true);

    shopper.recordWhenIdle({ kind: 'impression', itemId: 5, at: 1_000 });
    expect(shopper.events).toEqual([]);
    await afterIdle();
    expect(shopper.events.map((e) => [e.kind, e.itemId, e.at])).toEqual([['impression', 5, 1_000]]);

    // a click before the idle time: the impression seen first goes first
    shopper.recordWhenIdle({ kind: 'impression', itemId: 6, at: 2_000 });
    shopper.record({ kind: 'recFeedback', itemId: 6, thumbs: 'up', at: 3_000 });
    expect(shopper.events.map((e) => [e.kind, e.itemId, e.at])).toEqual([
      ['impression', 5, 1_000],
      ['impression', 6, 2_000],
      ['recFeedback', 6, 3_000],
    ]);
    await afterIdle();
    expect(shopper.events).toHaveLength(3); // not recorded twice

    shopper.recordWhenIdle({ kind: 'impression', itemId: 7, at: 4_000 });
    shopper.forgetAll();
    await afterIdle();
    expect(shopper.events).toEqual([]);
  });

  it('a flush hands waiting impressions over; a pause keeps those seen before it and not those seen during it', async () => {
    await shopper.load();
    shopper.forgetAll();
    shopper.recordWhenIdle({ kind: 'impression', itemId: 1, at: 1_000 });
    await shopper.flush(); // a lock or an export flushes first: nothing may still wait
    expect(shopper.events.map((e) => e.itemId)).toEqual([1]);

    shopper.recordWhenIdle({ kind: 'impression', itemId: 2, at: 2_000 });
    await shopper.setPaused(true); // seen before the pause: recorded
    shopper.recordWhenIdle({ kind: 'impression', itemId: 3, at: 3_000 });
    await shopper.setPaused(false); // seen while paused: dropped, even though tracking is back
    await afterIdle();
    expect(shopper.events.map((e) => e.itemId)).toEqual([1, 2]);
    shopper.forgetAll();
  });
});

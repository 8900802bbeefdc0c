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
});

// The event log's batch is written in the page's idle time (offPath.ts, idleBatchWrites), not on
// a timer that fell into the next click's path; a hidden or closed page still writes it at once.
import 'fake-indexeddb/auto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '../data/db';

/** requestIdleCallback as the test drives it: callbacks wait until `idle(room)` runs them. */
const waiting = new Map<number, (deadline: IdleDeadline) => void>();
let nextHandle = 1;
vi.stubGlobal('requestIdleCallback', (run: (deadline: IdleDeadline) => void) => {
  waiting.set(nextHandle, run);
  return nextHandle++;
});
vi.stubGlobal('cancelIdleCallback', (handle: number) => waiting.delete(handle));
const idle = (roomMs: number) => {
  const due = [...waiting.values()];
  waiting.clear();
  for (const run of due) run({ didTimeout: false, timeRemaining: () => roomMs });
};
// the page the shopper listens to for pagehide
const page = new EventTarget();
vi.stubGlobal('window', page);
afterAll(() => vi.unstubAllGlobals());

const { shopper } = await import('./shopper.svelte');
const stored = async () => (await getDb().events.orderBy('id').toArray()).map((e) => e.itemId);
/** longer than the log's old 250 ms batch timer */
const pastTheOldTimer = () => new Promise((resolve) => setTimeout(resolve, 400));

describe("the event log's batch write", () => {
  it('waits for idle time with room, writes once it comes, and is written at once on pagehide', async () => {
    await shopper.load();
    shopper.record({ kind: 'recFeedback', itemId: 1, thumbs: 'up', at: 1_000 });
    shopper.record({ kind: 'recFeedback', itemId: 2, thumbs: 'down', at: 1_100 });
    expect(shopper.events.map((e) => e.itemId)).toEqual([1, 2]); // the rows see them at once
    await pastTheOldTimer();
    expect(await stored()).toEqual([]); // not on a timer: the page has not been idle
    idle(3); // an idle period too short for the write
    await pastTheOldTimer();
    expect(await stored()).toEqual([]);
    idle(20);
    await vi.waitFor(async () => expect(await stored()).toEqual([1, 2]), { timeout: 2_000 });

    shopper.record({ kind: 'notInterested', itemId: 3, at: 2_000 });
    page.dispatchEvent(new Event('pagehide')); // closed before any idle time: nothing is lost
    await vi.waitFor(async () => expect(await stored()).toEqual([1, 2, 3]), { timeout: 2_000 });
    expect(waiting.size).toBe(0); // the idle write was called off, not left to write again
  });
});

import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AisleDb } from './db';
import { observeEvents } from './live';
import { patience, uniqueDbName } from './testSupport';
import type { ShopperEvent } from './types';

const opened: AisleDb[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) db.close();
});

/** Resolves with the first emitted value that satisfies the condition. */
function nextMatching(
  values: ShopperEvent[][],
  condition: (events: ShopperEvent[]) => boolean,
): Promise<ShopperEvent[]> {
  return vi.waitFor(() => {
    const found = values.find(condition);
    if (!found) throw new Error('no matching value yet');
    return found;
  }, patience);
}

describe('observeEvents', () => {
  it("follows another connection's writes and deletions, as a second tab's list must", async () => {
    const name = uniqueDbName();
    const tabA = new AisleDb(name);
    const tabB = new AisleDb(name);
    opened.push(tabA, tabB);
    await tabA.events.add({ kind: 'view', at: 2_000, sessionId: 'a', itemId: 1 });

    const seen: ShopperEvent[][] = [];
    const stop = observeEvents(tabB)(
      (events) => seen.push(events),
      (error) => {
        throw error;
      },
    );
    expect((await nextMatching(seen, (e) => e.length === 1))[0].itemId).toBe(1);

    // written by the other connection, earlier in time: the list stays in time order
    await tabA.events.add({ kind: 'cartAdd', at: 1_000, sessionId: 'a', itemId: 2 });
    const two = await nextMatching(seen, (e) => e.length === 2);
    expect(two.map((e) => e.itemId)).toEqual([2, 1]);

    await tabA.events.filter((event) => event.itemId === 1).delete();
    const afterDelete = await nextMatching(seen, (e) => e.length === 1 && e[0].itemId === 2);
    expect(afterDelete[0].kind).toBe('cartAdd');

    stop();
    const count = seen.length;
    await tabA.events.add({ kind: 'view', at: 3_000, sessionId: 'a', itemId: 3 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toHaveLength(count); // stopped: no more values
  });
});

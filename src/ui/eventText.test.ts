import { describe, expect, it } from 'vitest';
import type { ShopperEvent } from '../data/types';
import { eventRow } from './eventText';

const titles = new Map([[4, 'Stardew Valley']]);
const titleOf = (item: number) => titles.get(item);

describe('eventRow', () => {
  it('gives a stored event its time and words', () => {
    const at = Date.UTC(2025, 0, 2, 3, 4, 5);
    const row = eventRow({ kind: 'view', at, sessionId: 's', itemId: 4 }, titleOf);
    expect(row.iso).toBe('2025-01-02T03:04:05.000Z');
    expect(row.what).toBe('Viewed Stardew Valley');
  });

  it('renders a time no Date can hold instead of throwing RangeError', () => {
    // 1e20 ms is beyond the ±8.64e15 ms a Date can represent: toISOString() throws there
    expect(() => new Date(1e20).toISOString()).toThrow(RangeError);
    const row = eventRow({ kind: 'view', at: 1e20, sessionId: 's', itemId: 4 }, titleOf);
    expect(row).toEqual({ when: 'Unknown time', what: 'Viewed Stardew Valley' });
  });

  it('never names an unknown game as if it were real', () => {
    const row = eventRow({ kind: 'cartAdd', at: 0, sessionId: 's', itemId: 1e15 }, titleOf);
    expect(row.what).toBe('Added a game not in this store (#1000000000000000) to the cart');
  });

  it('still gives a row to a record of an unknown kind or with a malformed price', () => {
    const strange = { kind: 'teleport', at: 0, sessionId: 's', itemId: 4 } as unknown as ShopperEvent;
    expect(eventRow(strange, titleOf).what).toBe('teleport on Stardew Valley');
    const badPrice = {
      kind: 'purchase',
      at: 0,
      sessionId: 's',
      itemId: 4,
      price: '9',
    } as unknown as ShopperEvent;
    expect(eventRow(badPrice, titleOf).what).toBe('Bought Stardew Valley');
  });
});

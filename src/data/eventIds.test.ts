import { describe, expect, it } from 'vitest';
import {
  canKeepEventIds,
  inIdOrder,
  largestKeptEventId,
  remapExcludedIds,
  renumberEvents,
  withStorableEventIds,
} from './eventIds';
import type { AisleExport } from './exportFormat';
import { profileKeys } from './profile';
import type { ShopperEvent } from './types';

const view = (at: number, id?: number): ShopperEvent => ({
  kind: 'view',
  at,
  sessionId: 's',
  itemId: 4,
  ...(id === undefined ? {} : { id }),
});

const edits = (excludedEventIds: number[]) => ({
  key: profileKeys.edits,
  value: { schemaVersion: 1, adjustments: {}, priceCeiling: null, excludedEventIds, resetAt: null },
  updatedAt: 50,
});
const interpretable = { key: profileKeys.interpretable, value: { evidence: [7] }, updatedAt: 51 };
const embedding = { key: 'shopperEmbedding', value: { model: 'mf' }, updatedAt: 52 };

const fileWith = (events: ShopperEvent[], profile: AisleExport['profile']): AisleExport => ({
  app: 'aisle',
  version: 1,
  exportedAt: '2025-01-02T03:04:05.000Z',
  events,
  cart: [],
  settings: {},
  profile,
});

const big = largestKeptEventId;

describe('canKeepEventIds', () => {
  it('keeps ids up to 2^52 when every event has one', () => {
    expect(largestKeptEventId).toBe(4_503_599_627_370_496);
    expect(canKeepEventIds([view(1, 1), view(2, big)])).toBe(true);
    expect(canKeepEventIds([])).toBe(true);
  });

  it('does not keep them past 2^52 or when an event has none', () => {
    expect(canKeepEventIds([view(1, 1), view(2, big + 1)])).toBe(false);
    expect(canKeepEventIds([view(1, 1), view(2)])).toBe(false);
  });
});

describe('inIdOrder and renumberEvents', () => {
  it('orders by id, events without one last in the file order, and numbers them from 1', () => {
    // file order: 2^52+2, (none, at 5), 3, (none, at 6), 2^53-1
    const events = [view(1, big + 2), view(5), view(3, 3), view(6), view(9, Number.MAX_SAFE_INTEGER)];
    expect(inIdOrder(events).map((e) => e.at)).toEqual([3, 1, 9, 5, 6]);
    const { events: renumbered, newIdOf } = renumberEvents(events);
    expect(renumbered.map((e) => [e.at, e.id])).toEqual([
      [3, 1],
      [1, 2],
      [9, 3],
      [5, 4],
      [6, 5],
    ]);
    expect([...newIdOf]).toEqual([
      [3, 1],
      [big + 2, 2],
      [Number.MAX_SAFE_INTEGER, 3],
    ]);
    // the file's events are left as they were
    expect(events[0].id).toBe(big + 2);
  });
});

describe('remapExcludedIds', () => {
  it('moves each mark to its new id, drops marks naming no event, sorted without repeats', () => {
    const newIdOf = new Map([
      [10, 3],
      [20, 1],
      [30, 1],
    ]);
    expect(remapExcludedIds([30, 99, 10, 20], newIdOf)).toEqual([1, 3]);
    expect(remapExcludedIds([], newIdOf)).toEqual([]);
  });
});

describe('withStorableEventIds', () => {
  it('keeps ids up to 2^52 and the interpretable profile, dropping only marks that name no event', () => {
    const file = fileWith([view(1, 2), view(2, big)], [edits([big, 7, 2]), interpretable, embedding]);
    const stored = withStorableEventIds(file);
    expect(stored.events).toBe(file.events);
    expect(stored.profile).toEqual([edits([2, big]), interpretable, embedding]);
  });

  it('past 2^52 numbers the events in their order, moves the marks and leaves the interpretable profile out', () => {
    // an export made after ids passed 2^52: a file imported with 2^52, then two events recorded
    const file = fileWith(
      [view(100, 5), view(300, big + 1), view(200, big), view(400, big + 2)],
      [edits([big + 2, big, 6]), interpretable, embedding],
    );
    const stored = withStorableEventIds(file);
    expect(stored.events.map((e) => [e.at, e.id])).toEqual([
      [100, 1],
      [200, 2],
      [300, 3],
      [400, 4],
    ]);
    // 2^52 + 2 -> 4, 2^52 -> 2, 6 names no event
    expect(stored.profile).toEqual([edits([2, 4]), embedding]);
    expect(file.profile[0]).toEqual(edits([big + 2, big, 6]));
  });

  it('numbers the events when one has no id, so no generated key can collide with a later one', () => {
    const stored = withStorableEventIds(fileWith([view(1), view(2, 1)], []));
    expect(stored.events.map((e) => [e.at, e.id])).toEqual([
      [2, 1],
      [1, 2],
    ]);
  });

  it('leaves edits of another shape as they are (a newer build stored them), for the reader to judge', () => {
    const odd = {
      key: profileKeys.edits,
      value: { schemaVersion: 2, excluded: { ids: [1] } },
      updatedAt: 50,
    };
    const notObject = { key: profileKeys.edits, value: [1, 2], updatedAt: 50 };
    expect(withStorableEventIds(fileWith([view(1, 1)], [odd])).profile).toEqual([odd]);
    expect(withStorableEventIds(fileWith([view(1, 1)], [notObject])).profile).toEqual([notObject]);
  });

  it('leaves a file without edits or events as it is', () => {
    const file = fileWith([], [embedding]);
    expect(withStorableEventIds(file)).toEqual(file);
  });
});

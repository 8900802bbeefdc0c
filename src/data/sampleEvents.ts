// Shared by the data layer's tests: one small shopper whose events touch every kind of field the
// export format checks, dated within the range an import accepts.
import type { AisleExport } from './exportFormat';
import type { ShopperEvent } from './types';

/** 2025-01-01T00:00:00Z: the sample shopper's first event. */
export const sampleT0 = Date.UTC(2025, 0, 1);

/** The games the sample names: what the catalog must know for an import of it to keep everything. */
export const sampleItemIds: ReadonlySet<number> = new Set([4, 9, 11, 12]);

export const sampleEvents: readonly ShopperEvent[] = [
  { kind: 'view', at: sampleT0 + 1_000, sessionId: 's1', itemId: 4 },
  { kind: 'dwell', at: sampleT0 + 1_500, sessionId: 's1', itemId: 4, dwellMs: 4_200 },
  { kind: 'search', at: sampleT0 + 2_000, sessionId: 's1', query: 'cozy farming' },
  {
    kind: 'recClick',
    at: sampleT0 + 2_500,
    sessionId: 's1',
    itemId: 9,
    placement: 'home:forYou',
    position: 2,
  },
  { kind: 'rating', at: sampleT0 + 3_000, sessionId: 's2', itemId: 9, rating: 5 },
  {
    kind: 'recFeedback',
    at: sampleT0 + 3_100,
    sessionId: 's2',
    itemId: 11,
    placement: 'game:similar',
    thumbs: 'down',
  },
  { kind: 'purchase', at: sampleT0 + 3_200, sessionId: 's2', itemId: 9, price: 14.99 },
];

/**
 * What exportAll writes for the sample shopper with these profile rows: the events numbered from 1,
 * one cart line and two settings.
 */
export const sampleExport = (profile: AisleExport['profile']): AisleExport => ({
  app: 'aisle',
  version: 1,
  exportedAt: '2025-01-02T03:04:05.000Z',
  events: sampleEvents.map((event, i) => ({ ...event, id: i + 1 })),
  cart: [{ itemId: 12, addedAt: sampleT0 + 500 }],
  settings: { diversity: 0.6, preferredBackend: 'wasm' },
  profile,
});

import { describe, expect, it } from 'vitest';
import { decodeJson, encodeJson, parseImport, type AisleExport } from './exportFormat';
import type { ShopperEvent } from './types';

const sampleEvents: ShopperEvent[] = [
  { kind: 'view', at: 1_000, sessionId: 's1', itemId: 4 },
  { kind: 'dwell', at: 1_500, sessionId: 's1', itemId: 4, dwellMs: 4_200 },
  { kind: 'search', at: 2_000, sessionId: 's1', query: 'cozy farming' },
  { kind: 'recClick', at: 2_500, sessionId: 's1', itemId: 9, placement: 'home:forYou', position: 2 },
  { kind: 'rating', at: 3_000, sessionId: 's2', itemId: 9, rating: 5 },
  { kind: 'recFeedback', at: 3_100, sessionId: 's2', itemId: 11, placement: 'game:similar', thumbs: 'down' },
  { kind: 'purchase', at: 3_200, sessionId: 's2', itemId: 9, price: 14.99 },
];

/** What exportAll writes for a shopper with these events, one cart line, two settings and a profile row. */
const data: AisleExport = {
  app: 'aisle',
  version: 1,
  exportedAt: '2025-01-02T03:04:05.000Z',
  events: sampleEvents.map((event, i) => ({ ...event, id: i + 1 })),
  cart: [{ itemId: 12, addedAt: 500 }],
  settings: { diversity: 0.6, preferredBackend: 'wasm' },
  profile: [
    { key: 'genreAffinity', value: { Simulation: 0.9, Puzzle: 0.1 }, updatedAt: 40 },
    {
      key: 'shopperEmbedding',
      value: { model: 'mf', vector: { $typedArray: 'Float32Array', values: [0.5, -2.5] }, dataHash: 'h' },
      updatedAt: 41,
    },
  ],
};

const withEvents = (events: unknown[]) => JSON.stringify({ ...data, events });

describe('parseImport', () => {
  it('accepts a well-formed export as it is', () => {
    expect(parseImport(JSON.stringify(data))).toEqual({ ok: true, data });
  });
});

describe('parseImport refuses malformed files with a reason', () => {
  it('names the problem for broken envelopes', () => {
    expect(parseImport('{oops')).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON/) });
    expect(parseImport('[]')).toEqual({
      ok: false,
      error: 'This file is not an Aisle export (it lacks "app": "aisle").',
    });
    expect(parseImport('{"app":"aisle","version":2}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/format version 2.*newer Aisle/),
    });
  });

  it('names the first bad record index and field', () => {
    const cases: [unknown[], string][] = [
      [
        [sampleEvents[0], { ...sampleEvents[1], kind: 'teleport' }],
        'events[1].kind: must be one of view, dwell',
      ],
      [[{ ...sampleEvents[0], at: '1000' }], 'events[0].at: must be a time in milliseconds, got "1000"'],
      [[{ kind: 'view', at: 1 }], 'events[0].sessionId: is missing'],
      [[{ ...sampleEvents[4], rating: 6 }], 'events[0].rating: must be a whole number from 1 to 5, got 6'],
      [[{ ...sampleEvents[0], itemId: -1 }], 'events[0].itemId: must be a whole number >= 0'],
      [[{ ...sampleEvents[0], secret: 1 }], 'events[0].secret: is not a known field'],
      [
        [{ kind: 'satisfaction', at: 3_500, sessionId: 's2', answer: 'maybe' }],
        'events[0].answer: must be one of useful, notUseful, dismissed, got "maybe"',
      ],
      [[sampleEvents[0], 'view'], 'events[1].must be an object'],
      [
        [
          { ...sampleEvents[0], id: 3 },
          { ...sampleEvents[1], id: 3 },
        ],
        'events[1].id: repeats 3',
      ],
    ];
    for (const [events, reason] of cases) {
      const result = parseImport(withEvents(events));
      expect(result.ok).toBe(false);
      expect(result.ok ? '' : result.error).toContain(reason);
    }
  });

  it('checks cart, settings and profile too', () => {
    const bad = (patch: Partial<Record<keyof AisleExport, unknown>>) => {
      const result = parseImport(JSON.stringify({ ...data, ...patch }));
      return result.ok ? 'accepted' : result.error;
    };
    expect(bad({ cart: [{ itemId: 1.5, addedAt: 1 }] })).toContain('cart[0].itemId');
    expect(bad({ settings: { diversity: 3 } })).toContain('settings.diversity: must be a number from 0 to 1');
    expect(bad({ settings: { colour: 'red' } })).toContain('settings.colour: is not a known setting');
    expect(bad({ settings: { preferredBackend: 'gpu' } })).toContain(
      'settings.preferredBackend: must be one of',
    );
    expect(bad({ settings: { eventRetentionDays: 45 } })).toContain(
      'settings.eventRetentionDays: must be one of null, 90, 30, got 45',
    );
    expect(bad({ settings: { eventRetentionDays: 30, popularity: 0.2, profileStartDone: true } })).toBe(
      'accepted',
    );
    expect(bad({ settings: { popularity: -0.1 } })).toContain('settings.popularity');
    expect(bad({ profile: [{ key: '', value: 1, updatedAt: 0 }] })).toContain('profile[0].key');
    expect(bad({ events: undefined })).toContain('events: must be a list');
    expect(bad({ extra: true } as never)).toContain('extra: is not a known section');
  });
});

describe('JSON encoding of stored values', () => {
  it('round-trips typed arrays and nested values through JSON text', () => {
    const value = {
      v: new Float32Array([0.1, 3]),
      ids: new Int32Array([-1]),
      n: [new Uint32Array([7])],
      s: 'x',
    };
    const decoded = decodeJson(JSON.parse(JSON.stringify(encodeJson(value)))) as typeof value;
    expect(decoded.v).toBeInstanceOf(Float32Array);
    expect(decoded).toEqual(value);
  });
});

import { describe, expect, it } from 'vitest';
import {
  decodeJson,
  encodeJson,
  parseImport as parseWith,
  type AisleExport,
  type ImportContext,
} from './exportFormat';
import { sampleEvents, sampleExport, sampleItemIds, sampleT0 } from './sampleEvents';

const t0 = sampleT0;
const now = Date.UTC(2025, 0, 2, 3, 4, 5);
const day = 24 * 60 * 60 * 1000;
/** The catalog the file is read against: every game the sample names. */
const context: ImportContext = { knownItemIds: new Set(sampleItemIds), now };
const parseImport = (text: string) => parseWith(text, context);

/** What exportAll writes for a shopper with these events, one cart line, two settings and a profile row. */
const data: AisleExport = sampleExport([
  { key: 'genreAffinity', value: { Simulation: 0.9, Puzzle: 0.1 }, updatedAt: 40 },
  {
    key: 'shopperEmbedding',
    value: { model: 'mf', vector: { $typedArray: 'Float32Array', values: [0.5, -2.5] }, dataHash: 'h' },
    updatedAt: 41,
  },
]);

const withEvents = (events: unknown[]) => JSON.stringify({ ...data, events });

/** What the reader returns for a file it keeps whole: nothing dropped, plausible dates from 2000 to a day after now. */
const accepted = (file: AisleExport) => ({
  ok: true,
  data: file,
  unknownGamesDropped: 0,
  misdatedKept: 0,
  plausibleDates: { from: '2000-01-01', to: '2025-01-03' },
});

describe('parseImport', () => {
  it('accepts a well-formed export as it is', () => {
    expect(parseImport(JSON.stringify(data))).toEqual(accepted(data));
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
      [
        [{ ...sampleEvents[0], at: '1000' }],
        'events[0].at: must be a number from 0 to 8640000000000000, got "1000"',
      ],
      [[{ kind: 'view', at: 1 }], 'events[0].sessionId: is missing'],
      [[{ ...sampleEvents[4], rating: 6 }], 'events[0].rating: must be a whole number from 1 to 5, got 6'],
      [[{ ...sampleEvents[0], itemId: -1 }], 'events[0].itemId: must be a whole number >= 0'],
      [[{ ...sampleEvents[0], secret: 1 }], 'events[0].secret: is not a known field'],
      [
        [{ kind: 'satisfaction', at: 3_500, sessionId: 's2', answer: 'maybe' }],
        'events[0].answer: must be one of useful, notUseful, dismissed, got "maybe"',
      ],
      [[sampleEvents[0], 'view'], 'events[1]: must be an object, got "view"'],
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

describe('parseImport against the clock and the catalog', () => {
  const refusal = (text: string) => {
    const result = parseImport(text);
    return result.ok ? 'accepted' : result.error;
  };

  it('refuses an item of a list that is not an object, naming the item', () => {
    // the fuzz (seed 666741600) put 0 in place of an event: the refusal read "events[4].must be …"
    expect(refusal(withEvents([sampleEvents[0], 0]))).toBe(
      'This export cannot be imported: events[1]: must be an object, got 0.',
    );
    expect(refusal(JSON.stringify({ ...data, cart: [null] }))).toBe(
      'This export cannot be imported: cart[0]: must be an object, got null.',
    );
  });

  it('refuses a time no Date can hold, naming the field', () => {
    // 1e20 ms is far past what a Date can show: the list used to throw RangeError on it
    expect(refusal(withEvents([{ ...sampleEvents[0], at: 1e20 }]))).toBe(
      'This export cannot be imported: events[0].at: must be a number from 0 to 8640000000000000, got 100000000000000000000.',
    );
    expect(refusal(JSON.stringify({ ...data, cart: [{ itemId: 12, addedAt: -5 }] }))).toBe(
      'This export cannot be imported: cart[0].addedAt: must be a number from 0 to 8640000000000000, got -5.',
    );
  });

  it('keeps and counts what a wrong clock dated: before 2000-01-01 or more than a day after now', () => {
    // a device whose clock was reset to 1970 (5 s after the epoch), or set a year ahead
    const events = [
      { ...sampleEvents[0], at: 5_000 },
      sampleEvents[1],
      { ...sampleEvents[2], at: Date.UTC(1999, 11, 31, 23, 59, 59, 999) },
      { ...sampleEvents[3], at: now + day + 1 },
      sampleEvents[4],
    ];
    const cart = [
      { itemId: 12, addedAt: Date.UTC(2026, 0, 2) },
      { itemId: 9, addedAt: t0 },
    ];
    // a replacing import empties the tables first: a record left out here would be lost for good
    const result = parseImport(JSON.stringify({ ...data, events, cart }));
    expect(result).toEqual({ ...accepted({ ...data, events, cart }), misdatedKept: 4 });
  });

  it('does not count the first and last plausible moments: 2000-01-01 and a day after now', () => {
    const edges = [
      { ...sampleEvents[0], at: Date.UTC(2000, 0, 1) },
      { ...sampleEvents[1], at: now + day },
    ];
    expect(parseImport(withEvents(edges))).toEqual(accepted({ ...data, events: edges }));
  });

  it('keeps the earliest and latest times a Date can hold, and refuses one past them naming it', () => {
    const edges = [
      { ...sampleEvents[0], at: 0 },
      { ...sampleEvents[1], at: 8.64e15 },
    ];
    expect(parseImport(withEvents(edges))).toEqual({
      ...accepted({ ...data, events: edges }),
      misdatedKept: 2,
    });
    expect(parseImport(withEvents([sampleEvents[0], { ...sampleEvents[1], at: 8.64e15 + 1 }]))).toEqual({
      ok: false,
      error:
        'This export cannot be imported: events[1].at: must be a number from 0 to 8640000000000000, got 8640000000000001.',
    });
  });

  it('drops events and cart lines for games not in the catalog, and counts them', () => {
    const events = [
      sampleEvents[0],
      { ...sampleEvents[0], itemId: 1e15 }, // "Game #1000000000000000"
      sampleEvents[2], // a search names no game and stays
      { ...sampleEvents[6], itemId: 77 },
    ];
    const result = parseImport(
      JSON.stringify({
        ...data,
        events,
        cart: [
          { itemId: 12, addedAt: t0 },
          { itemId: 5, addedAt: t0 },
        ],
      }),
    );
    expect(result).toMatchObject({ ok: true, unknownGamesDropped: 3 });
    if (!result.ok) return;
    expect(result.data.events).toEqual([sampleEvents[0], sampleEvents[2]]);
    expect(result.data.cart).toEqual([{ itemId: 12, addedAt: t0 }]);
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

describe('parseImport: regressions found by fuzzing', () => {
  const withProfileValue = (key: string, value: unknown) =>
    JSON.stringify({ ...data, profile: [{ key, value, updatedAt: 40 }] });

  it('says where invalid JSON breaks, even where the engine names no position', () => {
    // V8: "Unexpected token 'x', ..." with no position; the x is line 2, column 7
    expect(parseImport('{"app":\n"aisle",x}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^This file is not valid JSON: it breaks at line 2, column 9 \(/),
    });
    expect(parseImport('{"app": "ais')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/breaks at the end of the file \(line 1\)/),
    });
  });

  it('reads a file that starts with a byte order mark, and names UTF-16 instead of a JSON error', () => {
    expect(parseImport('\ufeff' + JSON.stringify(data))).toEqual(accepted(data));
    // "{}" saved as UTF-16 little-endian and read as UTF-8: a NUL after every character
    expect(parseImport('{\u0000}\u0000')).toEqual({
      ok: false,
      error: 'This file is UTF-16 little-endian text, not UTF-8 JSON: save it as UTF-8 and import it again.',
    });
  });

  it('reads any event id IndexedDB can hold exactly, and refuses one past 2^53 - 1 naming the record', () => {
    // Aisle's own exports may hold ids past 2^52 (a file imported with 2^52, then more events):
    // the import renumbers what it cannot keep (eventIds.ts), so the reader refuses only what no
    // database could have stored: ids that are not safe integers
    for (const id of [2 ** 52, 2 ** 52 + 1, Number.MAX_SAFE_INTEGER]) {
      expect(parseImport(withEvents([{ ...data.events[0], id }]))).toMatchObject({ ok: true });
    }
    for (const id of [2 ** 53, 2 ** 53 + 2, 0, 1.5]) {
      expect(parseImport(withEvents([{ ...data.events[0], id }]))).toEqual({
        ok: false,
        error: `This export cannot be imported: events[0].id: must be a whole number from 1 to 9007199254740991, got ${id}.`,
      });
    }
  });

  it('refuses a profile value nested deeper than 32 levels, naming the record', () => {
    // 33 nested lists: one level too deep
    expect(
      parseImport(withProfileValue('genreAffinity', JSON.parse('['.repeat(33) + ']'.repeat(33)))),
    ).toEqual({
      ok: false,
      error: 'This export cannot be imported: profile[0].value: nests deeper than 32 levels.',
    });
    expect(
      parseImport(withProfileValue('genreAffinity', JSON.parse('['.repeat(32) + ']'.repeat(32)))),
    ).toMatchObject({
      ok: true,
    });
  });

  it('refuses edits whose excluded events are not ids, naming the field, before anything is written', () => {
    const edits = {
      schemaVersion: 1,
      adjustments: {},
      priceCeiling: null,
      excludedEventIds: [3, 'x'],
      resetAt: null,
    };
    expect(parseImport(withProfileValue('profileEdits', edits))).toEqual({
      ok: false,
      error:
        'This export cannot be imported: profile[0].value.excludedEventIds: [1] must be a whole number from 1 to 9007199254740991, got "x".',
    });
    expect(parseImport(withProfileValue('profileEdits', { ...edits, excludedEventIds: [3] }))).toMatchObject({
      ok: true,
    });
  });
});

describe('decodeJson: a tag that names no typed array', () => {
  it('keeps {$typedArray: "constructor"} and "__proto__" as plain objects instead of throwing', () => {
    // "constructor" is `in` every object: it used to reach Object.from, which does not exist
    expect(decodeJson({ $typedArray: 'constructor', values: [1] })).toEqual({
      $typedArray: 'constructor',
      values: [1],
    });
    expect(decodeJson({ $typedArray: 'toString', values: [1] })).toEqual({
      $typedArray: 'toString',
      values: [1],
    });
  });
});

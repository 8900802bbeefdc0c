// The export file's format: its versioned envelope, the JSON encoding of stored values, and
// the strict reader that refuses a file with the first bad record named. Pure: no database.
import { describeNulText } from '../ml/io/encoding';
import { jsonErrorPlace } from '../ml/io/jsonSyntax';
import { profileKeys } from './profile';
import { eventRetentionChoices, type BackendPreference, type SettingKey, type Settings } from './records';
import {
  checkRecord,
  checks,
  eventSpec,
  fieldName,
  isFiniteNumber,
  isPlainObject,
  shown,
  type Check,
  type RecordSpec,
} from './recordChecks';
import type { CartLine, ShopperEvent } from './types';

// quoted by refusals elsewhere (stored models and checkpoints) in the same words as here
export { fieldName };

export const exportFormatVersion = 1;

/** JSON values, as found in an export file. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A profile row made JSON-safe: typed arrays become { $typedArray, values } (see encodeJson). */
export interface ExportedProfileRecord {
  key: string;
  value: JsonValue;
  updatedAt: number;
}

/** The export file: a versioned envelope, safe to JSON.stringify. */
export interface AisleExport {
  app: 'aisle';
  version: typeof exportFormatVersion;
  /** ISO 8601 time of the export. */
  exportedAt: string;
  events: ShopperEvent[];
  cart: CartLine[];
  /** Only settings the shopper changed; the rest keep their defaults. */
  settings: Partial<Settings>;
  profile: ExportedProfileRecord[];
}

/**
 * What the reader checks a file against besides its own shape: the games that exist, so a record
 * about an unknown game is left out (and counted) rather than stored, and the time now, so records
 * dated where only a wrong clock puts them are counted (and kept).
 */
export interface ImportContext {
  /** The catalog's item ids: events and cart lines naming any other game are dropped and counted. */
  knownItemIds: ReadonlySet<number>;
  /** Milliseconds since the epoch; the latest plausible date is a day after it. Default Date.now(). */
  now?: number;
}

export type ParseResult =
  | {
      ok: true;
      data: AisleExport;
      /** Events and cart lines left out because their game is not in the catalog. */
      unknownGamesDropped: number;
      /** Events and cart lines dated outside `plausibleDates` (a wrong clock's): kept, as stored. */
      misdatedKept: number;
      /** The dates a right clock writes, as ISO days: 2000-01-01 to a day after now. */
      plausibleDates: { from: string; to: string };
    }
  | { ok: false; error: string };

/** Aisle did not exist before this: an earlier date is a wrong clock's, or a hand-made file. */
export const earliestPlausibleTime = Date.UTC(2000, 0, 1);
/** Clocks disagree a little between devices; more than a day ahead is a wrong clock. */
const futureToleranceMs = 24 * 60 * 60 * 1000;

const typedArrayConstructors = { Float32Array, Int32Array, Uint32Array } as const;
type TypedArrayName = keyof typeof typedArrayConstructors;

/** Makes a stored value JSON-safe; typed arrays are tagged so decodeJson can rebuild them. */
export function encodeJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  for (const name of Object.keys(typedArrayConstructors) as TypedArrayName[]) {
    if (value instanceof typedArrayConstructors[name]) {
      // float32 -> double -> JSON text round-trips exactly
      return { $typedArray: name, values: Array.from(value as ArrayLike<number>) };
    }
  }
  if (Array.isArray(value)) return value.map(encodeJson);
  if (typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, inner] of Object.entries(value)) if (inner !== undefined) out[key] = encodeJson(inner);
    return out;
  }
  return null;
}

export function decodeJson(value: JsonValue): unknown {
  if (Array.isArray(value)) return value.map(decodeJson);
  if (value !== null && typeof value === 'object') {
    const tagged = asTypedArray(value);
    if (tagged) return tagged;
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, decodeJson(inner)]));
  }
  return value;
}

function asTypedArray(value: {
  [key: string]: JsonValue;
}): Float32Array | Int32Array | Uint32Array | undefined {
  const name = value.$typedArray;
  // own keys only: "constructor" or "__proto__" is `in` every object
  if (
    typeof name !== 'string' ||
    !Object.hasOwn(typedArrayConstructors, name) ||
    !Array.isArray(value.values)
  )
    return undefined;
  const numbers = value.values.map((v) => (typeof v === 'number' ? v : NaN));
  return typedArrayConstructors[name as TypedArrayName].from(numbers);
}

// Records over the union types make the compiler flag these lists when a kind or model is added.
const backendPreferences: Record<BackendPreference, true> = {
  auto: true,
  webgpu: true,
  webgl: true,
  wasm: true,
  cpu: true,
};

const cartSpec: RecordSpec = {
  itemId: [checks.count, true],
  addedAt: [checks.date, true],
} satisfies Record<keyof CartLine, [Check, boolean]>;

/** Deeper than any value Aisle stores (4 levels); decodeJson and IndexedDB recurse into it. */
export const maxProfileValueDepth = 32;

/** Whether a JSON value nests deeper than `limit` arrays/objects; stops at the limit, so it is cheap. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit === 0) return true;
  return Object.values(value).some((inner) => nestsDeeperThan(inner, limit - 1));
}

const profileSpec: RecordSpec = {
  key: [
    (v) => (typeof v === 'string' && v.length > 0 ? null : `must be non-empty text, got ${shown(v)}`),
    true,
  ],
  value: [
    (v) =>
      nestsDeeperThan(v, maxProfileValueDepth) ? `nests deeper than ${maxProfileValueDepth} levels` : null,
    true,
  ],
  updatedAt: [checks.time, true],
};

const nullOr =
  (check: Check): Check =>
  (v) =>
    v === null ? null : check(v);

/**
 * The shopper's edits (profileKeys.edits): a merge rewrites their event ids,
 * so their shape is checked here rather than failing half-way through the import.
 */
const profileEditsSpec: RecordSpec = {
  schemaVersion: [checks.count, true],
  adjustments: [(v) => (isPlainObject(v) ? null : `must be an object, got ${shown(v)}`), true],
  priceCeiling: [nullOr(checks.amount), true],
  excludedEventIds: [
    (v) => {
      if (!Array.isArray(v)) return `must be a list, got ${shown(v)}`;
      const bad = v.findIndex((id) => checks.positiveId(id) !== null);
      return bad < 0 ? null : `[${bad}] ${checks.positiveId(v[bad])}`;
    },
    true,
  ],
  resetAt: [nullOr(checks.time), true],
};

function checkProfileEdits(profile: readonly Record<string, unknown>[]): string | null {
  const index = profile.findIndex((row) => row.key === profileKeys.edits);
  if (index < 0) return null;
  const { value } = profile[index];
  if (!isPlainObject(value)) return `profile[${index}].value: must be an object, got ${shown(value)}`;
  const problem = checkRecord(value, profileEditsSpec);
  return problem && `profile[${index}].value.${problem}`;
}

const settingChecks: Record<SettingKey, Check> = {
  trackingPaused: checks.boolean,
  diversity: checks.between(0, 1),
  preferredBackend: checks.oneOf(backendPreferences),
  eventRetentionDays: (v) =>
    (eventRetentionChoices as readonly unknown[]).includes(v)
      ? null
      : `must be one of ${eventRetentionChoices.map((c) => String(c)).join(', ')}, got ${shown(v)}`,
  popularity: checks.between(0, 1),
  profileStartDone: checks.boolean,
  offersEnabled: checks.boolean,
};

function checkList(list: unknown, name: string, spec: RecordSpec, uniqueField?: string): string | null {
  if (!Array.isArray(list)) return `${name}: must be a list, got ${shown(list)}`;
  const seen = new Set<unknown>();
  for (let i = 0; i < list.length; i++) {
    // checkRecord names no field for a record that is not an object: the place is the item itself
    if (!isPlainObject(list[i])) return `${name}[${i}]: must be an object, got ${shown(list[i])}`;
    const problem = checkRecord(list[i], spec);
    if (problem) return `${name}[${i}].${problem}`;
    if (uniqueField !== undefined) {
      const key = (list[i] as Record<string, unknown>)[uniqueField];
      if (key !== undefined && seen.has(key)) return `${name}[${i}].${uniqueField}: repeats ${shown(key)}`;
      seen.add(key);
    }
  }
  return null;
}

function checkSettings(settings: unknown): string | null {
  if (!isPlainObject(settings)) return `settings: must be an object, got ${shown(settings)}`;
  for (const [key, value] of Object.entries(settings)) {
    if (!Object.hasOwn(settingChecks, key)) return `settings.${fieldName(key)}: is not a known setting`;
    const problem = settingChecks[key as SettingKey](value);
    if (problem) return `settings.${key}: ${problem}`;
  }
  return null;
}

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * How many records are dated before `earliestPlausibleTime` or after `latest`. They are counted,
 * not dropped: a replacing import empties the tables first, so a record left out would be gone for
 * good, and "after now" depends on the importing device's clock (a backup moved to a device whose
 * clock is behind would lose its newest purchases). The stored events table accepts any time a
 * Date can hold (storedEvents.ts), and the reader checked that already; the page says how many.
 */
function countMisdated(data: AisleExport, latest: number): number {
  const misdated = (at: number) => at < earliestPlausibleTime || at > latest;
  return (
    data.events.filter((event) => misdated(event.at)).length +
    data.cart.filter((line) => misdated(line.addedAt)).length
  );
}

/** Records that name a game (itemId) outside the catalog are left out; the rest are kept in order. */
function withoutUnknownGames(data: AisleExport, known: ReadonlySet<number>): [AisleExport, number] {
  const isKnown = (itemId: number | undefined) => itemId === undefined || known.has(itemId);
  const events = data.events.filter((event) => isKnown(event.itemId));
  const cart = data.cart.filter((line) => isKnown(line.itemId));
  const dropped = data.events.length - events.length + (data.cart.length - cart.length);
  return [{ ...data, events, cart }, dropped];
}

/**
 * Reads an export file strictly: anything unexpected refuses the whole file, with a reason
 * that names the first bad record and field (e.g. 'events[3].kind: must be one of ...').
 * Records about games the catalog does not have are dropped and counted, not refused: an export
 * from a store with a larger catalog is still the shopper's own history. Records dated before 2000
 * or more than a day ahead (a wrong clock's) are kept as they are and counted; a time no Date can
 * hold is refused, naming the record and field.
 */
export function parseImport(fileText: string, context: ImportContext): ParseResult {
  // Blob.text() drops a byte order mark, but text handed in some other way may carry one
  const text = fileText.charCodeAt(0) === 0xfeff ? fileText.slice(1) : fileText;
  if (text.includes('\u0000')) {
    return {
      ok: false,
      error: `This file is ${describeNulText(text)}, not UTF-8 JSON: save it as UTF-8 and import it again.`,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const place = jsonErrorPlace(text)?.place ?? 'some point';
    return {
      ok: false,
      error: `This file is not valid JSON: it breaks at ${place} (${(error as Error).message}).`,
    };
  }
  if (!isPlainObject(parsed) || parsed.app !== 'aisle') {
    return { ok: false, error: 'This file is not an Aisle export (it lacks "app": "aisle").' };
  }
  if (parsed.version !== exportFormatVersion) {
    const newer = isFiniteNumber(parsed.version) && parsed.version > exportFormatVersion;
    return {
      ok: false,
      error: `This export has format version ${shown(parsed.version)}; this app reads version ${exportFormatVersion}${newer ? ' (the file was made by a newer Aisle)' : ''}.`,
    };
  }
  const problem =
    (typeof parsed.exportedAt === 'string'
      ? null
      : `exportedAt: must be text, got ${shown(parsed.exportedAt)}`) ??
    checkList(parsed.events, 'events', eventSpec, 'id') ??
    checkList(parsed.cart, 'cart', cartSpec, 'itemId') ??
    checkSettings(parsed.settings) ??
    checkList(parsed.profile, 'profile', profileSpec, 'key') ??
    checkProfileEdits(parsed.profile as Record<string, unknown>[]);
  if (problem) return { ok: false, error: `This export cannot be imported: ${problem}.` };
  const known = new Set(['app', 'version', 'exportedAt', 'events', 'cart', 'settings', 'profile']);
  const unknown = Object.keys(parsed).find((key) => !known.has(key));
  if (unknown !== undefined)
    return {
      ok: false,
      error: `This export cannot be imported: ${fieldName(unknown)}: is not a known section.`,
    };
  const [data, unknownGamesDropped] = withoutUnknownGames(
    parsed as unknown as AisleExport,
    context.knownItemIds,
  );
  const latest = (context.now ?? Date.now()) + futureToleranceMs;
  const misdatedKept = countMisdated(data, latest);
  const plausibleDates = { from: isoDay(earliestPlausibleTime), to: isoDay(latest) };
  return { ok: true, data, unknownGamesDropped, misdatedKept, plausibleDates };
}

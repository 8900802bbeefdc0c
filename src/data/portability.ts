// "Your data": take everything out (export), bring it back (import), or remove every trace
// of Aisle from this browser (erase).
//
// The export holds what only the shopper can recreate: events, cart, settings and profile.
// Trained models, checkpoints, lab runs and imported datasets are left out on purpose:
// they are large, and each can be rebuilt from the events or the original files.
import type { ModelName } from '../ml/recommender';
import { getDb, type AisleDb } from './db';
import type { BackendPreference, ProfileRecord, SettingKey, Settings } from './records';
import type { CartLine, EventKind, SatisfactionAnswer, ShopperEvent } from './types';

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

export type ImportMode = 'replace' | 'merge';

export type ParseResult = { ok: true; data: AisleExport } | { ok: false; error: string };

export interface ImportSummary {
  events: number;
  cart: number;
  settings: number;
  profile: number;
}

// ---------------------------------------------------------------- export

export async function exportAll(db: AisleDb, now = new Date()): Promise<AisleExport> {
  // one read transaction, so the file is a consistent picture even while the app writes
  return db.transaction('r', [db.events, db.cart, db.settings, db.profile], async () => {
    const [events, cart, settingRows, profileRows] = await Promise.all([
      db.events.orderBy('id').toArray(),
      db.cart.toArray(),
      db.settings.toArray(),
      db.profile.toArray(),
    ]);
    const settings: Partial<Settings> = {};
    for (const row of settingRows) (settings as Record<string, unknown>)[row.key] = row.value;
    return {
      app: 'aisle',
      version: exportFormatVersion,
      exportedAt: now.toISOString(),
      events,
      cart,
      settings,
      profile: profileRows.map((row) => ({
        key: row.key,
        value: encodeJson(row.value),
        updatedAt: row.updatedAt,
      })),
    };
  });
}

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
  if (typeof name !== 'string' || !(name in typedArrayConstructors) || !Array.isArray(value.values))
    return undefined;
  const numbers = value.values.map((v) => (typeof v === 'number' ? v : NaN));
  return typedArrayConstructors[name as TypedArrayName].from(numbers);
}

// ---------------------------------------------------------------- parse / validate

// Records over the union types make the compiler flag these lists when a kind or model is added.
const eventKinds: Record<EventKind, true> = {
  view: true,
  dwell: true,
  recClick: true,
  search: true,
  cartAdd: true,
  cartRemove: true,
  purchase: true,
  rating: true,
  notInterested: true,
  recFeedback: true,
  impression: true,
  pageView: true,
  satisfaction: true,
};
const satisfactionAnswers: Record<SatisfactionAnswer, true> = {
  useful: true,
  notUseful: true,
  dismissed: true,
};
const modelNames: Record<ModelName, true> = {
  popularity: true,
  itemknn: true,
  ease: true,
  mf: true,
  sasrec: true,
  gru: true,
  hybrid: true,
};
const backendPreferences: Record<BackendPreference, true> = {
  auto: true,
  webgpu: true,
  webgl: true,
  wasm: true,
  cpu: true,
};

/** Returns what is wrong with a value, or null when it is fine. */
type Check = (value: unknown) => string | null;

const shown = (value: unknown): string =>
  value === undefined
    ? 'nothing'
    : typeof value === 'string'
      ? JSON.stringify(value)
      : String(JSON.stringify(value));

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const checks = {
  string: (v: unknown) => (typeof v === 'string' ? null : `must be text, got ${shown(v)}`),
  boolean: (v: unknown) => (typeof v === 'boolean' ? null : `must be true or false, got ${shown(v)}`),
  time: (v: unknown) =>
    isFiniteNumber(v) && v >= 0 ? null : `must be a time in milliseconds, got ${shown(v)}`,
  count: (v: unknown) =>
    Number.isInteger(v) && (v as number) >= 0 ? null : `must be a whole number >= 0, got ${shown(v)}`,
  positiveId: (v: unknown) =>
    Number.isInteger(v) && (v as number) > 0 ? null : `must be a whole number > 0, got ${shown(v)}`,
  amount: (v: unknown) => (isFiniteNumber(v) && v >= 0 ? null : `must be a number >= 0, got ${shown(v)}`),
  oneOf:
    (allowed: Record<string, true>): Check =>
    (v) =>
      typeof v === 'string' && Object.hasOwn(allowed, v)
        ? null
        : `must be one of ${Object.keys(allowed).join(', ')}, got ${shown(v)}`,
  between:
    (low: number, high: number, integer = false): Check =>
    (v) =>
      isFiniteNumber(v) && v >= low && v <= high && (!integer || Number.isInteger(v))
        ? null
        : `must be ${integer ? 'a whole number' : 'a number'} from ${low} to ${high}, got ${shown(v)}`,
};

/** field -> [check, required] */
type RecordSpec = Record<string, [Check, boolean]>;

const eventSpec: RecordSpec = {
  id: [checks.positiveId, false],
  kind: [checks.oneOf(eventKinds), true],
  at: [checks.time, true],
  sessionId: [checks.string, true],
  itemId: [checks.count, false],
  query: [checks.string, false],
  placement: [checks.string, false],
  position: [checks.count, false],
  dwellMs: [checks.amount, false],
  rating: [checks.between(1, 5, true), false],
  thumbs: [checks.oneOf({ up: true, down: true }), false],
  price: [checks.amount, false],
  model: [checks.string, false],
  reason: [checks.string, false],
  page: [checks.string, false],
  answer: [checks.oneOf(satisfactionAnswers), false],
} satisfies Record<keyof ShopperEvent, [Check, boolean]>;

const cartSpec: RecordSpec = {
  itemId: [checks.count, true],
  addedAt: [checks.time, true],
} satisfies Record<keyof CartLine, [Check, boolean]>;

const profileSpec: RecordSpec = {
  key: [
    (v) => (typeof v === 'string' && v.length > 0 ? null : `must be non-empty text, got ${shown(v)}`),
    true,
  ],
  value: [() => null, true],
  updatedAt: [checks.time, true],
};

const settingChecks: Record<SettingKey, Check> = {
  trackingPaused: checks.boolean,
  diversity: checks.between(0, 1),
  preferredBackend: checks.oneOf(backendPreferences),
  activeModel: (v) => (v === null ? null : checks.oneOf(modelNames)(v)),
  showExplanations: checks.boolean,
  privacyNoticeSeen: checks.boolean,
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first problem in one record, as "field: problem", or null. */
function checkRecord(record: unknown, spec: RecordSpec): string | null {
  if (!isPlainObject(record)) return `must be an object, got ${shown(record)}`;
  for (const field of Object.keys(record)) {
    if (!Object.hasOwn(spec, field)) return `${field}: is not a known field`;
  }
  for (const [field, [check, required]] of Object.entries(spec)) {
    const value = record[field];
    if (value === undefined) {
      if (required) return `${field}: is missing`;
      continue;
    }
    const problem = check(value);
    if (problem) return `${field}: ${problem}`;
  }
  return null;
}

function checkList(list: unknown, name: string, spec: RecordSpec, uniqueField?: string): string | null {
  if (!Array.isArray(list)) return `${name}: must be a list, got ${shown(list)}`;
  const seen = new Set<unknown>();
  for (let i = 0; i < list.length; i++) {
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
    if (!Object.hasOwn(settingChecks, key)) return `settings.${key}: is not a known setting`;
    const problem = settingChecks[key as SettingKey](value);
    if (problem) return `settings.${key}: ${problem}`;
  }
  return null;
}

/**
 * Reads an export file strictly: anything unexpected refuses the whole file, with a reason
 * that names the first bad record and field (e.g. 'events[3].kind: must be one of ...').
 */
export function parseImport(text: string): ParseResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `This file is not valid JSON (${(error as Error).message}).` };
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
    checkList(parsed.profile, 'profile', profileSpec, 'key');
  if (problem) return { ok: false, error: `This export cannot be imported: ${problem}.` };
  const known = new Set(['app', 'version', 'exportedAt', 'events', 'cart', 'settings', 'profile']);
  const unknown = Object.keys(parsed).find((key) => !known.has(key));
  if (unknown !== undefined)
    return { ok: false, error: `This export cannot be imported: ${unknown}: is not a known section.` };
  return { ok: true, data: parsed as unknown as AisleExport };
}

// ---------------------------------------------------------------- import

/**
 * Writes a parsed export (always pass parseImport's data) in one transaction over every
 * table it touches, so a failure half-way changes nothing.
 * - replace: the four tables are emptied first; event ids are kept.
 * - merge: events already present (same content) are skipped and new ones get new ids;
 *   cart lines are added if missing; imported settings win; for profile keys the newer
 *   updatedAt wins.
 */
export async function importAll(db: AisleDb, data: AisleExport, mode: ImportMode): Promise<ImportSummary> {
  return db.transaction('rw', [db.events, db.cart, db.settings, db.profile], async () => {
    const settingRows = Object.entries(data.settings).map(([key, value]) => ({
      key: key as SettingKey,
      value,
    }));
    const profileRows: ProfileRecord[] = data.profile.map((row) => ({
      key: row.key,
      value: decodeJson(row.value),
      updatedAt: row.updatedAt,
    }));

    if (mode === 'replace') {
      await Promise.all([db.events.clear(), db.cart.clear(), db.settings.clear(), db.profile.clear()]);
      await db.events.bulkAdd(data.events.map((event) => ({ ...event })));
      await db.cart.bulkAdd(data.cart.map((line) => ({ ...line })));
      await db.settings.bulkPut(settingRows);
      await db.profile.bulkPut(profileRows);
      return {
        events: data.events.length,
        cart: data.cart.length,
        settings: settingRows.length,
        profile: profileRows.length,
      };
    }

    const existing = new Set((await db.events.toArray()).map(eventSignature));
    const newEvents: ShopperEvent[] = [];
    for (const { id: _id, ...event } of data.events) {
      const signature = eventSignature(event);
      if (existing.has(signature)) continue;
      existing.add(signature);
      newEvents.push(event);
    }
    await db.events.bulkAdd(newEvents);

    const inCart = new Set(await db.cart.toCollection().primaryKeys());
    const newLines = data.cart.filter((line) => !inCart.has(line.itemId)).map((line) => ({ ...line }));
    await db.cart.bulkAdd(newLines);

    await db.settings.bulkPut(settingRows);

    const currentProfile = new Map((await db.profile.toArray()).map((row) => [row.key, row.updatedAt]));
    const newerProfile = profileRows.filter(
      (row) => (currentProfile.get(row.key) ?? -Infinity) < row.updatedAt,
    );
    await db.profile.bulkPut(newerProfile);

    return {
      events: newEvents.length,
      cart: newLines.length,
      settings: settingRows.length,
      profile: newerProfile.length,
    };
  });
}

/** Content identity of an event, ignoring its id, for merge de-duplication. */
function eventSignature(event: ShopperEvent): string {
  const { id: _id, ...content } = event;
  return JSON.stringify(Object.entries(content).sort(([a], [b]) => (a < b ? -1 : 1)));
}

// ---------------------------------------------------------------- erase

/** Where eraseEverything looks; the browser's own objects by default, fakes in tests. */
export interface ErasureEnvironment {
  db: AisleDb;
  indexedDB?: IDBFactory;
  caches?: CacheStorage;
  localStorage?: Storage;
  sessionStorage?: Storage;
}

export interface ErasureReport {
  /** IndexedDB databases deleted, Aisle's own first. */
  databases: string[];
  /** CacheStorage caches deleted. */
  caches: string[];
  localStorageKeys: string[];
  sessionStorageKeys: string[];
  /** Things that could not be removed, in words. */
  failures: string[];
}

/** Databases other code may leave behind, deleted when the browser cannot list databases. */
export const knownForeignDatabases = ['tensorflowjs'];

const blockedTimeoutMs = 5_000;

/**
 * Removes everything this site stored in the browser: Aisle's database, every other
 * IndexedDB database of this origin (e.g. tfjs's 'tensorflowjs'), CacheStorage caches,
 * and localStorage/sessionStorage. Reports what it removed. The Aisle database object
 * stays usable afterwards: it reopens empty on next use. Callers holding unsaved events
 * (EventLog) should discard them.
 */
export async function eraseEverything(env: Partial<ErasureEnvironment> = {}): Promise<ErasureReport> {
  const db = env.db ?? getDb();
  const idb = env.indexedDB ?? globalThis.indexedDB;
  const report: ErasureReport = {
    databases: [],
    caches: [],
    localStorageKeys: [],
    sessionStorageKeys: [],
    failures: [],
  };

  try {
    await db.delete({ disableAutoOpen: false });
    report.databases.push(db.name);
  } catch (error) {
    report.failures.push(`database ${db.name}: ${errorText(error)}`);
  }

  if (idb) {
    for (const name of await otherDatabaseNames(idb, db.name)) {
      try {
        await deleteRawDatabase(idb, name);
        report.databases.push(name);
      } catch (error) {
        report.failures.push(`database ${name}: ${errorText(error)}`);
      }
    }
  }

  const cacheStorage = env.caches ?? safeGlobal(() => globalThis.caches);
  if (cacheStorage) {
    try {
      for (const name of await cacheStorage.keys()) {
        if (await cacheStorage.delete(name)) report.caches.push(name);
      }
    } catch (error) {
      report.failures.push(`caches: ${errorText(error)}`);
    }
  }

  report.localStorageKeys = clearStorage(
    env.localStorage ?? safeGlobal(() => globalThis.localStorage),
    report,
  );
  report.sessionStorageKeys = clearStorage(
    env.sessionStorage ?? safeGlobal(() => globalThis.sessionStorage),
    report,
  );
  return report;
}

async function otherDatabaseNames(idb: IDBFactory, ownName: string): Promise<string[]> {
  if (typeof idb.databases === 'function') {
    try {
      const infos = await idb.databases();
      return infos.map((info) => info.name).filter((name): name is string => !!name && name !== ownName);
    } catch {
      // fall back to the names we know about
    }
  }
  return knownForeignDatabases.filter((name) => name !== ownName);
}

function deleteRawDatabase(idb: IDBFactory, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = idb.deleteDatabase(name);
    // "blocked" means another tab still has it open; the delete completes once it closes,
    // but the shopper should not wait forever for that
    const timer = setTimeout(() => reject(new Error('still open in another tab')), blockedTimeoutMs);
    request.onsuccess = () => {
      clearTimeout(timer);
      resolve();
    };
    request.onerror = () => {
      clearTimeout(timer);
      reject(request.error ?? new Error('delete failed'));
    };
  });
}

function clearStorage(storage: Storage | undefined, report: ErasureReport): string[] {
  if (!storage) return [];
  try {
    const keys = Array.from({ length: storage.length }, (_, i) => storage.key(i)).filter(
      (key): key is string => key !== null,
    );
    storage.clear();
    return keys;
  } catch (error) {
    report.failures.push(`web storage: ${errorText(error)}`);
    return [];
  }
}

/** Reading some globals throws (e.g. localStorage with storage blocked). */
function safeGlobal<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

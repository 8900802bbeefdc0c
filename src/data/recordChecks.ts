// Checks on the shape of a stored or imported record, each saying what is wrong in words a
// refusal can quote ("kind: must be one of view, dwell, ..."). The export reader refuses a file
// with them (exportFormat.ts), and the event log skips a stored event that fails them
// (storedEvents.ts): a stored event is readable exactly when an import would accept it. Small
// and free of the export's parsing, because the event log is in the first bundle.
import type { EventKind, SatisfactionAnswer, ShopperEvent } from './types';

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

/** Returns what is wrong with a value, or null when it is fine. */
export type Check = (value: unknown) => string | null;

/**
 * A value as a refusal quotes it: JSON, cut to 80 characters. JSON.stringify recurses, and a value
 * nested a hundred thousand deep (which JSON.parse reads) would overflow the stack.
 */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = String(JSON.stringify(value));
  } catch {
    return 'a value nested too deep to show';
  }
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/**
 * A field name of the file as a refusal shows it: as it is when it reads as a name, else quoted
 * (and cut to 60 characters), so a key with spaces or colons cannot blur where the problem is.
 */
export const fieldName = (key: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key);

export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The largest time a Date can hold: a time beyond it cannot be shown or compared. */
export const latestDateMs = 8.64e15;

export const checks = {
  string: (v: unknown) => (typeof v === 'string' ? null : `must be text, got ${shown(v)}`),
  boolean: (v: unknown) => (typeof v === 'boolean' ? null : `must be true or false, got ${shown(v)}`),
  time: (v: unknown) =>
    isFiniteNumber(v) && v >= 0 ? null : `must be a time in milliseconds, got ${shown(v)}`,
  // a time a Date can hold: one beyond it made the list throw (RangeError); whether it is a plausible
  // date (not before 2000, not days ahead) is the export reader's question (exportFormat.ts)
  date: (v: unknown) =>
    isFiniteNumber(v) && v >= 0 && v <= latestDateMs
      ? null
      : `must be a number from 0 to ${latestDateMs}, got ${shown(v)}`,
  count: (v: unknown) =>
    Number.isInteger(v) && (v as number) >= 0 ? null : `must be a whole number >= 0, got ${shown(v)}`,
  // any key IndexedDB's generator can hand out and JavaScript can hold exactly (it stops at 2^53).
  // A file's event ids may use the whole range: an import renumbers them when storing them as they
  // are would leave too little room to record in (eventIds.ts), so no id the app stored is refused.
  positiveId: (v: unknown) =>
    Number.isSafeInteger(v) && (v as number) > 0
      ? null
      : `must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, got ${shown(v)}`,
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
export type RecordSpec = Record<string, [Check, boolean]>;

export const eventSpec: RecordSpec = {
  id: [checks.positiveId, false],
  kind: [checks.oneOf(eventKinds), true],
  at: [checks.date, true],
  sessionId: [checks.string, true],
  itemId: [checks.count, false],
  query: [checks.string, false],
  placement: [checks.string, false],
  position: [checks.count, false],
  dwellMs: [checks.amount, false],
  rating: [checks.between(1, 5, true), false],
  thumbs: [checks.oneOf({ up: true, down: true }), false],
  price: [checks.amount, false],
  offerId: [checks.string, false],
  model: [checks.string, false],
  reason: [checks.string, false],
  page: [checks.string, false],
  answer: [checks.oneOf(satisfactionAnswers), false],
} satisfies Record<keyof ShopperEvent, [Check, boolean]>;

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The first problem in one record, as "field: problem", or null. Fields the spec does not know are
 * refused in a file; a stored record may ignore them (a newer build may have added one).
 */
export function checkRecord(
  record: unknown,
  spec: RecordSpec,
  { unknownFields = 'refuse' }: { unknownFields?: 'refuse' | 'ignore' } = {},
): string | null {
  if (!isPlainObject(record)) return `must be an object, got ${shown(record)}`;
  if (unknownFields === 'refuse') {
    for (const field of Object.keys(record)) {
      if (!Object.hasOwn(spec, field)) return `${fieldName(field)}: is not a known field`;
    }
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

// Hostile input for the importers' property-based tests (fast-check). A valid sample file is
// damaged by one to three of the things real files suffer: truncation, bit flips, huge lines,
// a byte order mark, UTF-16, CRLF, NaN/Infinity, negative and enormous ids, stray delimiters,
// deep nesting. Tests only.
import fc from 'fast-check';

/**
 * Generated inputs per importer: 10,000 per CI run; `AISLE_FUZZ_RUNS=1000000 npx vitest run
 * fuzz` for a nightly-sized run. `AISLE_FUZZ_SEED` replays a run fast-check reported.
 */
export function fuzzRuns(env: Record<string, string | undefined> = process.env): number {
  const asked = Number(env.AISLE_FUZZ_RUNS);
  return Number.isInteger(asked) && asked > 0 ? asked : 10_000;
}

/**
 * The time a fuzz test may take: 10,000 inputs take seconds on an idle machine but minutes on a
 * loaded two-core one, far past Vitest's usual limit, and a nightly run is a hundred times longer.
 */
export const fuzzTimeoutMs = (runs = fuzzRuns()): number => Math.max(15 * 60_000, runs * 100);

export function fuzzParameters<T>(runs = fuzzRuns()): fc.Parameters<T> {
  const seed = Number(process.env.AISLE_FUZZ_SEED);
  return { numRuns: runs, endOnFailure: true, ...(Number.isInteger(seed) ? { seed } : {}) };
}

/** Tokens that have broken parsers elsewhere: non-finite numbers, odd ids, delimiters, control characters. */
export const hostileTokens: readonly string[] = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1',
  '-0',
  '0',
  '9007199254740993',
  '1'.repeat(400),
  '__proto__',
  'constructor',
  '"',
  '""',
  '\t',
  ',',
  ';',
  ':',
  '\u0000',
  '\ufeff',
  '\ud800',
  'null',
  '[]',
  '{}',
  '\r',
];

type TextMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'crlf' }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'hugeLine'; at: number; unit: string; repeat: number }
  | { kind: 'duplicateLines'; at: number; count: number }
  | { kind: 'nest'; depth: number; open: string; close: string };

type ByteMutation =
  | { kind: 'bitFlip'; at: number; bit: number }
  | { kind: 'utf8Bom' }
  | { kind: 'utf16'; littleEndian: boolean; bom: boolean };

/** One damaged file: its bytes and the chunk size it is streamed in (chunk edges cut lines and characters). */
export interface HostileFile {
  bytes: Uint8Array;
  chunkSize: number;
}

const token = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...hostileTokens) },
  // any UTF-16 code units, lone surrogates included (fast-check's own 'binary' strings are slow)
  {
    weight: 1,
    arbitrary: fc
      .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 12 })
      .map((units) => String.fromCharCode(...units)),
  },
  { weight: 1, arbitrary: fc.integer({ min: -(2 ** 53), max: 2 ** 53 }).map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
);

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('truncate'), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('crlf') }) },
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('insert'),
      at: fc.nat(),
      text: fc.oneof(
        token,
        token.map((t) => `\n${t}`),
        token.map((t) => ` ${t} `),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('hugeLine'),
      at: fc.nat(),
      unit: fc.constantFrom('x', '1 ', '7\t', 'a,', '"'),
      repeat: fc.integer({ min: 1_000, max: 30_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('duplicateLines'),
      at: fc.nat(),
      count: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('nest'),
      depth: fc.integer({ min: 1, max: 20_000 }),
      open: fc.constantFrom('[', '{"a":'),
      close: fc.constantFrom(']', '}'),
    }),
  },
);

const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('bitFlip'), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('utf8Bom') }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('utf16'), littleEndian: fc.boolean(), bom: fc.boolean() }),
  },
);

function applyText(text: string, mutation: TextMutation): string {
  const at =
    text.length === 0
      ? 0
      : mutation.kind === 'crlf' || mutation.kind === 'nest'
        ? 0
        : mutation.at % (text.length + 1);
  switch (mutation.kind) {
    case 'truncate':
      return text.slice(0, at);
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
    case 'insert':
      return text.slice(0, at) + mutation.text + text.slice(at);
    case 'hugeLine':
      return `${text.slice(0, at)}\n${mutation.unit.repeat(mutation.repeat)}\n${text.slice(at)}`;
    case 'duplicateLines': {
      const lines = text.split('\n');
      const line = mutation.at % lines.length;
      lines.splice(line, 0, ...Array<string>(mutation.count).fill(lines[line]));
      return lines.join('\n');
    }
    case 'nest':
      return mutation.open.repeat(mutation.depth) + text + mutation.close.repeat(mutation.depth);
  }
}

function utf16(text: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const units = (bom ? '\ufeff' : '') + text;
  const bytes = new Uint8Array(units.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < units.length; i++) view.setUint16(i * 2, units.charCodeAt(i), littleEndian);
  return bytes;
}

function applyBytes(bytes: Uint8Array, text: string, mutation: ByteMutation): Uint8Array {
  switch (mutation.kind) {
    case 'bitFlip': {
      if (bytes.length === 0) return bytes;
      const flipped = bytes.slice();
      flipped[mutation.at % bytes.length] ^= 1 << mutation.bit;
      return flipped;
    }
    case 'utf8Bom':
      return new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
    case 'utf16':
      return utf16(text, mutation.littleEndian, mutation.bom);
  }
}

/** A sample file damaged by one to three text changes and up to two byte changes. */
export function hostileFile(samples: readonly string[]): fc.Arbitrary<HostileFile> {
  return fc
    .record({
      sample: fc.constantFrom(...samples),
      textChanges: fc.array(textMutation, { minLength: 0, maxLength: 3 }),
      byteChanges: fc.array(byteMutation, { minLength: 0, maxLength: 2 }),
      chunkSize: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constant(1 << 16)),
    })
    .filter(({ textChanges, byteChanges }) => textChanges.length + byteChanges.length > 0)
    .map(({ sample, textChanges, byteChanges, chunkSize }) => {
      const text = textChanges.reduce(applyText, sample);
      const bytes = byteChanges.reduce<Uint8Array>(
        (current, change) => applyBytes(current, text, change),
        new TextEncoder().encode(text),
      );
      return { bytes, chunkSize, [fc.toStringMethod]: () => describeFile(bytes, chunkSize) };
    });
}

/** A counterexample short enough to read: its start, its end and its size (files reach 100 kB). */
function describeFile(bytes: Uint8Array, chunkSize: number): string {
  const text = new TextDecoder().decode(bytes);
  const shown = text.length <= 300 ? text : `${text.slice(0, 200)}…${text.slice(-100)}`;
  return `${bytes.length} bytes in chunks of ${chunkSize}: ${JSON.stringify(shown)}`;
}

/** The file as a browser hands it over: a byte stream in chunks of `chunkSize`. */
export function streamOf({ bytes, chunkSize: asked }: HostileFile): ReadableStream<Uint8Array> {
  // at most 256 chunks: tiny chunks still cut lines and characters, without a million awaits
  const chunkSize = Math.max(asked, Math.ceil(bytes.length / 256));
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/** The file read whole as Blob.text() reads it (UTF-8, a byte order mark dropped, bad bytes as U+FFFD). */
export const textOf = ({ bytes }: HostileFile): string => new TextDecoder('utf-8').decode(bytes);

type BinaryMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'bitFlip'; at: number; bit: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'overwrite'; at: number; bytes: number[] };

/** Little-endian words that break binary readers: lengths of 0, of −1, past any file, and NaN. */
const hostileWords: readonly number[][] = [
  [0, 0, 0, 0],
  [0xff, 0xff, 0xff, 0xff],
  [0xff, 0xff, 0xff, 0x7f],
  [0, 0, 0, 0x80],
  [0, 0, 0xc0, 0x7f], // float32 NaN
  [0, 0, 0x80, 0x7f], // float32 +Infinity
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
  [0, 0, 0, 0, 0, 0, 0xf8, 0x7f], // float64 NaN
];

const binaryMutation: fc.Arbitrary<BinaryMutation> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate'), at: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('bitFlip'), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('insert'),
      at: fc.nat(),
      bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('overwrite'),
      at: fc.nat(),
      bytes: fc.constantFrom(...hostileWords),
    }),
  },
);

function applyBinary(bytes: Uint8Array, mutation: BinaryMutation): Uint8Array {
  const at = bytes.length === 0 ? 0 : mutation.at % bytes.length;
  switch (mutation.kind) {
    case 'truncate':
      return bytes.slice(0, at);
    case 'bitFlip': {
      const flipped = bytes.slice();
      if (flipped.length) flipped[at] ^= 1 << mutation.bit;
      return flipped;
    }
    case 'insert':
      return new Uint8Array([...bytes.subarray(0, at), ...mutation.bytes, ...bytes.subarray(at)]);
    case 'overwrite': {
      const written = bytes.slice();
      mutation.bytes.forEach((byte, i) => {
        if (at + i < written.length) written[at + i] = byte;
      });
      return written;
    }
  }
}

/** A binary sample (a model file) damaged by one to three byte-level changes. */
export function hostileBinary(samples: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc
    .record({
      sample: fc.constantFrom(...samples),
      changes: fc.array(binaryMutation, { minLength: 1, maxLength: 3 }),
    })
    .map(({ sample, changes }) => changes.reduce(applyBinary, sample));
}

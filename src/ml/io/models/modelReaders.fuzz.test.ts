// Every model reader against damaged files (testSupport/fuzz.ts's hostileBinary): each file is read
// whole into item vectors whose every invariant holds, or refused with a ModelImportError saying
// where and what was expected. Nothing else may escape: no RangeError from a DataView, no
// half-read model.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzParameters, fuzzTimeoutMs, hostileBinary } from '../../testSupport/fuzz';
import { readImplicitNpz } from './implicitNpz';
import { ModelImportError, type ImportedItemFactors } from './itemFactors';
import type { ModelManifest } from './manifest';
import { parseNpy } from './npy';
import { readSafetensorsModel } from './safetensors';
import { readSparkAls } from './sparkAls';
import { sparkFixture } from './sparkFixture';
import { npyBytes, npzBytes, safetensorsBytes } from './testSupport';

function expectWellFormed(model: ImportedItemFactors): void {
  expect(model.rank).toBeGreaterThan(0);
  expect(model.vectors.length).toBe(model.ids.length * model.rank);
  expect(new Set(model.ids).size).toBe(model.ids.length);
  expect(model.vectors.every(Number.isFinite)).toBe(true);
}

async function readOrRefuse<T>(read: () => T | Promise<T>, check: (value: T) => void): Promise<void> {
  let value: T;
  try {
    value = await read();
  } catch (error) {
    if (!(error instanceof ModelImportError)) throw error;
    expect(error.where.length).toBeGreaterThan(0);
    expect(error.problem.length).toBeGreaterThan(0);
    return;
  }
  check(value);
}

/** The fixture's Parquet part cut where its footer starts: the metadata, its 4-byte length and PAR1. */
const parquetFooter = (() => {
  const part = new Uint8Array(readFileSync(`${sparkFixture.directory}/itemFactors/${sparkFixture.partName}`));
  const metadataLength = new DataView(part.buffer, part.byteOffset).getUint32(part.length - 8, true);
  const start = part.length - 8 - metadataLength;
  return { head: part.slice(0, start), footer: part.slice(start) };
})();

const factors = Array.from({ length: 12 }, (_, i) => (i - 5) / 4);
const manifest: ModelManifest = {
  format: 'aisle-model',
  version: 1,
  architecture: 'sasrec',
  source: 'fuzz',
  itemTensor: 'item_emb.weight',
  itemIds: [null, '1', '2', '3'],
  config: {},
};

const readers: {
  name: string;
  samples: Uint8Array[];
  read: (bytes: Uint8Array) => Promise<unknown> | unknown;
  check: (value: never) => void;
}[] = [
  {
    name: '.npy',
    samples: [npyBytes([4, 3], factors), npyBytes([3, 4], factors, { descr: '<f8', version: 2 })],
    read: (bytes) => parseNpy(bytes, 'a.npy'),
    check: ({ shape, values }: { shape: number[]; values: Float32Array }) =>
      expect(values.length).toBe(shape.reduce((a, b) => a * b, 1)),
  },
  {
    name: 'implicit .npz',
    samples: [
      npzBytes({ item_factors: npyBytes([4, 3], factors), user_factors: npyBytes([1, 3], [1, 2, 3]) }),
      npzBytes({ item_factors: npyBytes([6, 2], factors) }, true),
    ],
    read: (bytes) => readImplicitNpz(bytes, 'als.npz'),
    check: expectWellFormed,
  },
  {
    name: 'safetensors',
    samples: [
      safetensorsBytes({
        'pos.weight': { shape: [2, 3], values: factors.slice(0, 6) },
        'item_emb.weight': { shape: [4, 3], values: factors },
      }),
    ],
    read: (bytes) => readSafetensorsModel(bytes, 'm.safetensors', manifest),
    check: expectWellFormed,
  },
  {
    // Only the footer (the Thrift metadata: schema, row groups, offsets) is damaged here: hyparquet
    // 1.33 loops forever on some damaged data pages (an RLE run that reads no byte), which no
    // check of ours can stop in the same thread. docs/lab.md says so; see the report of issue 14.
    name: 'Spark ALS itemFactors Parquet (damaged footer)',
    samples: [parquetFooter.footer],
    read: (footer) =>
      readSparkAls(
        { name: 'metadata', bytes: readFileSync(`${sparkFixture.directory}/metadata/part-00000`) },
        [{ name: 'part', bytes: new Uint8Array([...parquetFooter.head, ...footer]) }],
      ),
    check: expectWellFormed,
  },
];

describe('model readers under damaged files', () => {
  for (const reader of readers) {
    it(
      `${reader.name}: reads whole or refuses saying where`,
      async () => {
        await fc.assert(
          fc.asyncProperty(hostileBinary(reader.samples), (bytes) =>
            readOrRefuse(() => reader.read(bytes), reader.check as (value: unknown) => void),
          ),
          fuzzParameters(),
        );
      },
      fuzzTimeoutMs(),
    );
  }
});

// Every model reader against damaged files (testSupport/fuzz.ts's hostileBinary): each file is read
// whole into item vectors whose every invariant holds, or refused with a ModelImportError saying
// where and what was expected. Nothing else may escape: no RangeError from a DataView, no
// half-read model.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fuzzParameters, fuzzRuns, fuzzTimeoutMs, hostileBinary } from '../../testSupport/fuzz';
import { readImplicitNpz } from './implicitNpz';
import { ModelImportError, type ImportedItemFactors } from './itemFactors';
import type { ModelManifest } from './manifest';
import { parseNpy } from './npy';
import { ParquetWorkerClient } from './parquetWorkerClient';
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

const sparkFile = (relative: string) => new Uint8Array(readFileSync(`${sparkFixture.directory}/${relative}`));

/**
 * One Parquet worker for the whole run, replaced after each part it had to stop. A part that
 * makes hyparquet loop (10 in 2,000 with seed 1) costs the limit and a new worker (1.5–2.5 s under
 * Node on a loaded machine, tsx compiling the entry), so the Parquet reader gets 1 input in 40 of
 * the others' count (250 a CI run) and a short limit: a sound part this small decodes in about a
 * millisecond.
 */
const parquetWorker = new ParquetWorkerClient({ timeLimitMs: () => 300 });
const parquetRuns = Math.ceil(fuzzRuns() / 40);
afterAll(() => parquetWorker.close());

const readers: {
  name: string;
  samples: Uint8Array[];
  runs?: number;
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
    // a part that makes hyparquet loop is refused with the time-out message, like any other refusal
    name: 'Spark ALS itemFactors Parquet (in its worker, with a time limit)',
    samples: [sparkFile(`itemFactors/${sparkFixture.partName}`)],
    runs: parquetRuns,
    read: (bytes) =>
      readSparkAls(
        { name: 'metadata/part-00000', bytes: sparkFile('metadata/part-00000') },
        [{ name: 'part-00000.parquet', bytes }],
        parquetWorker,
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
          fuzzParameters(reader.runs),
        );
      },
      fuzzTimeoutMs(reader.runs),
    );
  }
});

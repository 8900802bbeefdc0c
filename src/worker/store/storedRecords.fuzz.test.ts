// Stored models and checkpoints read back from IndexedDB, fuzzed: a valid row with one field
// replaced by anything (NaN weights, wrong types, missing parts, enormous or negative epochs) or
// no row shape at all. The checks never throw, and a row they pass is one the store can use.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzParameters, fuzzTimeoutMs } from '../../ml/testSupport/fuzz';
import { checkpointProblem, storedModelProblem } from './storedRecords';

const model = () => ({
  name: 'mf',
  snapshot: {
    name: 'mf',
    config: { dim: 2 },
    arrays: { itemEmbedding: Float32Array.of(0.1, -0.2, 0.3, 0.4), itemFeatureIds: Int32Array.of(0, 1) },
  },
  backend: 'webgpu',
  trainedAt: 1000,
  dataHash: 'h',
  eventsUsed: 0,
  metrics: { 'HR@10': 0.3 },
  config: { fingerprint: 'f' },
});

const checkpoint = () => ({
  name: 'mf',
  snapshot: { name: 'mf', config: { fingerprint: 'f' }, arrays: { itemEmbedding: Float32Array.of(0.5, 1) } },
  epoch: 1,
  epochs: 3,
  dataHash: 'h',
  savedAt: 1000,
});

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -1, 2 ** 53 + 2, 1e300, '', null, undefined, [], {}, 'mf', 'gru'),
  fc.constantFrom(Float32Array.of(NaN), Float32Array.of(1, Infinity), Int32Array.of(-1), new Float64Array(2)),
  fc.anything({ maxDepth: 2 }),
);

/** A valid row with one field, at the top, in the snapshot or among its arrays, replaced. */
function damaged(row: () => Record<string, unknown>) {
  return fc
    .record({
      where: fc.constantFrom('top', 'snapshot', 'arrays'),
      field: fc.constantFrom(
        'name',
        'snapshot',
        'config',
        'arrays',
        'epoch',
        'epochs',
        'dataHash',
        'trainedAt',
        'metrics',
        'itemEmbedding',
        'itemFeatureIds',
      ),
      value: hostile,
    })
    .map(({ where, field, value }) => {
      const record = row();
      const snapshot = record.snapshot as Record<string, unknown>;
      const target =
        where === 'top'
          ? record
          : where === 'snapshot'
            ? snapshot
            : (snapshot.arrays as Record<string, unknown>);
      target[field] = value;
      return record;
    });
}

/** "the row is not an object", or a path such as snapshot.arrays."odd key"[3] and a colon */
const namesField = /^(the row is not an object|(?:[\w$.[\]]|"(?:[^"\\]|\\.)*")+: )/;

/** What the store relies on in a row that passed. */
function expectUsable(record: Record<string, unknown>, floatsOnly: boolean) {
  const snapshot = record.snapshot as { name: string; arrays: Record<string, unknown> };
  expect(snapshot.name).toBe('mf');
  for (const values of Object.values(snapshot.arrays)) {
    if (floatsOnly) expect(values).toBeInstanceOf(Float32Array);
    if (values instanceof Float32Array) expect(values.every(Number.isFinite)).toBe(true);
  }
}

/**
 * Feeds a row checker damaged copies of `row` and arbitrary values: each must get either a problem
 * that names the field, or no problem and a record that passes `expectUsableRow`.
 */
function expectProblemOrUsable(
  row: () => Record<string, unknown>,
  problemOf: (record: unknown) => string | null,
  expectUsableRow: (record: Record<string, unknown>) => void,
): void {
  fc.assert(
    fc.property(fc.oneof(damaged(row), fc.anything({ maxDepth: 2 })), (record) => {
      const problem = problemOf(record);
      if (problem === null) expectUsableRow(record as Record<string, unknown>);
      else expect(problem).toMatch(namesField);
    }),
    fuzzParameters(),
  );
}

describe('stored rows under hostile values', () => {
  it(
    'stored models: a problem naming the field, or a row the store can use',
    () => {
      expectProblemOrUsable(
        model,
        (record) => storedModelProblem(record, 'mf'),
        (record) => expectUsable(record, false),
      );
    },
    fuzzTimeoutMs(),
  );

  it(
    'checkpoints: a problem naming the field, or a row training can resume from',
    () => {
      expectProblemOrUsable(
        checkpoint,
        (record) => checkpointProblem(record, 'mf'),
        (record) => {
          expectUsable(record, true);
          const { epoch, epochs } = record as { epoch: number; epochs: number };
          expect(Number.isSafeInteger(epoch) && epoch >= 0 && epoch <= epochs).toBe(true);
        },
      );
    },
    fuzzTimeoutMs(),
  );

  it('accepts the valid rows themselves', () => {
    expect(storedModelProblem(model(), 'mf')).toBeNull();
    expect(checkpointProblem(checkpoint(), 'mf')).toBeNull();
    expect(storedModelProblem(model(), 'gru')).toBe('name: is "mf", not "gru"');
  });
});

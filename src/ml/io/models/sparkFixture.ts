// The tiny Spark ALSModel scripts/fixtures/sparkAlsFixture.ts writes, described once so the writer,
// the reader's test and the e2e test agree on every number. Items 1…40 are the ids of the lab's
// generated e2e dataset; item i's factors put it in group i mod 4, so the model ranks an item's
// group first.
export const sparkFixture = {
  directory: 'src/ml/io/models/fixtures/spark-als',
  partName: 'part-00000-aisle-fixture-c000.snappy.parquet',
  firstId: 1,
  itemCount: 40,
  rank: 4,
} as const;

/** Spark's itemFactors schema (`id: int`, `features: array<float>` as a 3-level LIST), for hyparquet-writer. */
export const sparkItemFactorsSchema = [
  { name: 'spark_schema', num_children: 2 },
  { name: 'id', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'features', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
] as const;

/** Item `id`'s factors: 1 on its group's axis, plus a small id-dependent part (multiples of 1/8). */
export function sparkFixtureFeatures(id: number): number[] {
  return Array.from(
    { length: sparkFixture.rank },
    (_, k) => (k === id % 4 ? 1 : 0) + ((id * (k + 1)) % 3) / 8,
  );
}

import { readFileSync } from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { ParquetWorkerClient } from './parquetWorkerClient';
import { readSparkAls } from './sparkAls';
import { sparkFixture, sparkFixtureFeatures, sparkItemFactorsSchema } from './sparkFixture';

const fixtureFile = (relative: string) => ({
  name: relative,
  bytes: new Uint8Array(readFileSync(`${sparkFixture.directory}/${relative}`)),
});
const metadata = fixtureFile('metadata/part-00000');
const part = fixtureFile(`itemFactors/${sparkFixture.partName}`);
// one Parquet worker for every read here (readSparkAls starts one per call otherwise)
const worker = new ParquetWorkerClient();
afterAll(() => worker.close());

describe('readSparkAls', () => {
  it('reads the Snappy Parquet itemFactors as scripts/fixtures/sparkAlsFixture.ts wrote them', async () => {
    const model = await readSparkAls(metadata, [part], worker);
    expect(model.rank).toBe(4);
    expect(model.ids).toEqual(Array.from({ length: 40 }, (_, row) => String(row + 1)));
    // item 6: group 6 mod 4 = 2, so [0, 0, 1, 0] + [(6·1 mod 3)/8, (6·2 mod 3)/8, (6·3 mod 3)/8, (6·4 mod 3)/8] = 0
    expect(Array.from(model.vectors.subarray(5 * 4, 6 * 4))).toEqual([0, 0, 1, 0]);
    // item 7: group 3; 7 mod 3 = 1, 14 mod 3 = 2, 21 mod 3 = 0, 28 mod 3 = 1
    expect(Array.from(model.vectors.subarray(6 * 4, 7 * 4))).toEqual([0.125, 0.25, 0, 1.125]);
    for (let row = 0; row < 40; row++) {
      expect(Array.from(model.vectors.subarray(row * 4, row * 4 + 4))).toEqual(sparkFixtureFeatures(row + 1));
    }
    expect(model.settings).toMatchObject({ rank: 4, sparkVersion: '3.5.1', itemCol: 'item' });
  });

  it('reads a part of many pages with its page indexes before the footer, as Spark’s parquet-java writes', async () => {
    // 300 items in pages of at most 512 bytes: every chunk has several pages, so hyparquet-writer
    // (like parquet-java) writes a column index and an offset index for each
    const ids = Array.from({ length: 300 }, (_, row) => row + 1);
    const bytes = new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'id', data: ids, columnIndex: true, offsetIndex: true },
          { name: 'features', data: ids.map(sparkFixtureFeatures), columnIndex: true, offsetIndex: true },
        ],
        schema: [...sparkItemFactorsSchema],
        codec: 'SNAPPY',
        pageSize: 512,
      }),
    );
    const model = await readSparkAls(metadata, [{ name: 'paged.parquet', bytes }], worker);
    expect(model.ids).toHaveLength(300);
    expect(Array.from(model.vectors.subarray(299 * 4))).toEqual(sparkFixtureFeatures(300));
  });

  it('refuses another rank, another class, two copies of a part, and a file that is not Parquet', async () => {
    const withRank = (text: string) => ({
      name: 'metadata/part-00000',
      bytes: new TextEncoder().encode(text),
    });
    await expect(
      readSparkAls(
        withRank('{"class":"org.apache.spark.ml.recommendation.ALSModel","rank":8}'),
        [part],
        worker,
      ),
    ).rejects.toThrow(`${part.name}: row 0: features has 4 values; expected the rank, 8`);
    await expect(
      readSparkAls(withRank('{"class":"org.apache.spark.ml.classification.LogisticRegressionModel"}'), [
        part,
      ]),
    ).rejects.toThrow(/expected org\.apache\.spark\.ml\.recommendation\.ALSModel/);
    await expect(readSparkAls(metadata, [part, part], worker)).rejects.toThrow('item id 1 has two rows');
    await expect(readSparkAls(metadata, [metadata], worker)).rejects.toThrow(
      /is not a Parquet file with columns id and features/,
    );
  });
});

// Every dataset importer of the lab against generated hostile files (see testSupport/fuzz.ts):
// each file is either imported whole, with a dataset whose every invariant holds, or refused
// with a DatasetParseError that names the line (or says the file as a whole is the problem).
// Nothing else may escape: no TypeError, no RangeError, no half-built result.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fuzzParameters,
  fuzzTimeoutMs,
  hostileFile,
  streamOf,
  textOf,
  type HostileFile,
} from '../testSupport/fuzz';
import type { ImportedDataset } from './dataset';
import { DatasetParseError } from './errors';
import { parseItemAttributesFile } from './itemAttributes';
import { chunksOf, textChunks } from './lines';
import { parseNegativesFile } from './negatives';
import { parseAtomicFile, parseCsvFile, parsePairFile, parseSequenceFile, parseSessionFile } from './parsers';

/** Lines a reader could name: every \n starts one, and a last line may lack it. */
const lineCount = (file: HostileFile) => textOf(file).split('\n').length + 1;

/** A refusal must be a DatasetParseError that says where: "line N: …" within the file, or about the whole file. */
function expectPlacedRefusal(error: unknown, file: HostileFile): void {
  if (!(error instanceof DatasetParseError)) throw error;
  expect(error.problem.length).toBeGreaterThan(0);
  if (error.lineNumber > 0) {
    expect(error.message.startsWith(`line ${error.lineNumber}: `)).toBe(true);
    expect(error.lineNumber).toBeLessThanOrEqual(lineCount(file));
  } else {
    expect(error.lineNumber).toBe(0);
    expect(error.message).toMatch(/file/);
  }
}

/** What every imported dataset must satisfy, whatever the file looked like. */
function expectWellFormed(dataset: ImportedDataset): void {
  const { matrix, userIds, itemIds, stats, timestamps } = dataset;
  expect(new Set(userIds).size).toBe(userIds.length);
  expect(new Set(itemIds).size).toBe(itemIds.length);
  expect(matrix.userCount).toBe(userIds.length);
  expect(matrix.itemCount).toBe(itemIds.length);
  expect(matrix.userOffsets[0]).toBe(0);
  expect(matrix.userOffsets[matrix.userCount]).toBe(matrix.items.length);
  // one expect per property, naming the first offender, rather than one per user or item: a huge
  // generated line holds tens of thousands of items, and each expect costs more than its check
  const emptyUser = Array.from({ length: matrix.userCount }, (_, u) => u).find(
    (u) => matrix.userOffsets[u + 1] <= matrix.userOffsets[u],
  );
  expect(emptyUser, 'a user without interactions').toBeUndefined();
  const outside = matrix.items.find((item) => !(item >= 0 && item < matrix.itemCount));
  expect(outside, 'an item outside the catalogue').toBeUndefined();
  expect(stats.interactions).toBe(matrix.items.length);
  if (timestamps) {
    expect(timestamps.length).toBe(matrix.items.length);
    expect(
      timestamps.find((time) => !Number.isFinite(time)),
      'a timestamp that is not finite',
    ).toBeUndefined();
  }
}

async function importOrRefuse<T>(file: HostileFile, read: () => Promise<T>, check: (value: T) => void) {
  let value: T;
  try {
    value = await read();
  } catch (error) {
    expectPlacedRefusal(error, file);
    return;
  }
  check(value);
}

const datasetImporters: {
  name: string;
  samples: string[];
  parse: (chunks: AsyncIterable<string>) => Promise<ImportedDataset>;
}[] = [
  {
    name: 'sequences (userId item1 item2 …)',
    samples: ['1 1 2 3 4\n2 5 6 2\n3 7 1\n', 'u1 a b\nu2 b c d\n'],
    parse: (chunks) => parseSequenceFile(chunks),
  },
  {
    name: 'pairs (userId itemId)',
    samples: ['1 10\n1 11\n2 10\n3 12\n', 'a x\nb y\n'],
    parse: (chunks) => parsePairFile(chunks),
  },
  {
    name: 'RecBole atomic .inter',
    samples: [
      'user_id:token\titem_id:token\trating:float\ttimestamp:float\n1\t10\t4\t978300760\n1\t11\t5\t978300761\n2\t10\t3\t978300762\n',
    ],
    parse: (chunks) => parseAtomicFile(chunks, { minRating: 4 }),
  },
  {
    name: 'CSV with a column mapping',
    samples: [
      'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.0,964981247\n2,6,4.5,964982224\n',
      'userId,movieId,rating,timestamp\r\n1,"1",5,2024-01-02T03:04:05Z\r\n2,"2,3",4,2024-01-03\r\n',
    ],
    parse: (chunks) =>
      parseCsvFile(chunks, {
        user: 'userId',
        item: 'movieId',
        time: 'timestamp',
        rating: 'rating',
        minRating: 4,
      }),
  },
  {
    name: 'session logs (DIGINETICA)',
    samples: [
      'session_id;user_id;item_id;timeframe;eventdate\n1;NA;81766;526309;2016-05-09\n1;NA;31331;1031018;2016-05-09\n2;NA;32118;243569;2016-05-09\n',
    ],
    parse: (chunks) => parseSessionFile(chunks),
  },
];

describe('dataset importers under hostile files', () => {
  for (const importer of datasetImporters) {
    it(
      `${importer.name}: imports whole or refuses naming the line`,
      async () => {
        await fc.assert(
          fc.asyncProperty(hostileFile(importer.samples), (file) =>
            importOrRefuse(file, () => importer.parse(textChunks(streamOf(file))), expectWellFormed),
          ),
          fuzzParameters(),
        );
      },
      fuzzTimeoutMs(),
    );
  }
});

describe('side files under hostile files', () => {
  it(
    'negatives files: every user has negatives, once, or the file is refused naming the line',
    async () => {
      await fc.assert(
        fc.asyncProperty(hostileFile(['1 5 6 7\n2 8 9\n', '10 1646 2005 12\n']), (file) =>
          importOrRefuse(
            file,
            () => parseNegativesFile(chunksOf(textOf(file), 1 << 16)),
            (negatives) => {
              expect(negatives.userIds.length).toBeGreaterThan(0);
              expect(new Set(negatives.userIds).size).toBe(negatives.userIds.length);
              expect(negatives.negatives.every((list) => list.length > 0)).toBe(true);
            },
          ),
        ),
        fuzzParameters(),
      );
    },
    fuzzTimeoutMs(),
  );

  it(
    'item attributes, JSON and lines: a map of id lists, or refused naming the line',
    async () => {
      const samples = [
        '{"1": [1, 2, 1, 4], "2": [3]}',
        '{\n  "a": ["rock", "pop"],\n  "b": []\n}',
        '1 10 11\n2 12\n',
      ];
      await fc.assert(
        fc.asyncProperty(hostileFile(samples), (file) =>
          importOrRefuse(
            file,
            () => parseItemAttributesFile(chunksOf(textOf(file), 1 << 16)),
            (attributes) => {
              expect(attributes.attributesByItem.size).toBeGreaterThan(0);
              for (const list of attributes.attributesByItem.values()) {
                expect(list.every((id) => typeof id === 'string')).toBe(true);
              }
            },
          ),
        ),
        fuzzParameters(),
      );
    },
    fuzzTimeoutMs(),
  );
});

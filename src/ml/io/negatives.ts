import type { ImportedDataset } from './dataset';
import { DatasetParseError } from './errors';
import { splitOnWhitespace } from './fields';
import { ContentHasher } from './hash';
import { readLines } from './lines';
import type { ImportOptions } from './parsers';

/**
 * A fixed negatives file (`userId neg1 … neg99`, e.g. LastFM_sample.txt): the exact candidates a
 * published sampled evaluation ranked each target against, so the sampled protocol can be
 * reproduced instead of re-drawn. Ids stay external until aligned with a dataset.
 */
export interface NegativesFile {
  userIds: string[];
  /** negatives[i] belongs to userIds[i] */
  negatives: string[][];
  /** the line each user came from, for error messages after parsing */
  lineNumbers: number[];
  contentHash: string;
}

export async function parseNegativesFile(
  chunks: AsyncIterable<string>,
  options: ImportOptions = {},
): Promise<NegativesFile> {
  const hasher = new ContentHasher();
  const file: NegativesFile = { userIds: [], negatives: [], lineNumbers: [], contentHash: '' };
  const seen = new Set<string>();
  let linesRead = 0;
  for await (const { text, lineNumber } of readLines(chunks, { signal: options.signal, hasher })) {
    linesRead = lineNumber;
    const fields = splitOnWhitespace(text);
    if (fields.length === 0) continue;
    const [userId, ...negatives] = fields;
    if (negatives.length === 0) throw new DatasetParseError(lineNumber, `user "${userId}" has no negatives`);
    if (seen.has(userId))
      throw new DatasetParseError(lineNumber, `user "${userId}" appears on more than one line`);
    seen.add(userId);
    file.userIds.push(userId);
    file.negatives.push(negatives);
    file.lineNumbers.push(lineNumber);
  }
  if (file.userIds.length === 0) throw new DatasetParseError(linesRead, 'empty file: no negatives found');
  file.contentHash = hasher.digest();
  return file;
}

/**
 * Translates a negatives file to the dataset's dense indices: entry u holds user u's negatives,
 * or is undefined when the file has no line for that user. A user or item the dataset does not
 * know means the file belongs to another dataset, which is reported with its line.
 */
export function alignNegatives(
  file: NegativesFile,
  dataset: Pick<ImportedDataset, 'userIds' | 'itemIds'>,
): (Int32Array | undefined)[] {
  const userIndex = new Map(dataset.userIds.map((id, index) => [id, index]));
  const itemIndex = new Map(dataset.itemIds.map((id, index) => [id, index]));
  const aligned: (Int32Array | undefined)[] = new Array(dataset.userIds.length).fill(undefined);
  file.userIds.forEach((userId, row) => {
    const lineNumber = file.lineNumbers[row];
    const user = userIndex.get(userId);
    if (user === undefined) throw new DatasetParseError(lineNumber, `user "${userId}" is not in the dataset`);
    aligned[user] = Int32Array.from(file.negatives[row], (itemId) => {
      const item = itemIndex.get(itemId);
      if (item === undefined)
        throw new DatasetParseError(lineNumber, `item "${itemId}" is not in the dataset`);
      return item;
    });
  });
  return aligned;
}

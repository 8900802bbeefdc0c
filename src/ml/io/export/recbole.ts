// A lab dataset and its split as RecBole atomic files (https://recbole.io/docs/user_guide/data/atomic_files.html):
// tab-separated, a typed header, one interaction a line. The whole dataset is NAME.inter; the split
// is NAME.train.inter, NAME.valid.inter and NAME.test.inter, which RecBole loads as train, valid
// and test with `benchmark_filename: [train, valid, test]`, so a RecBole run trains and scores on
// exactly the interactions Aisle did.
import type { InteractionMatrix } from '../../interactions';
import type { DataSplit } from '../../eval/splits';
import type { ImportedDataset } from '../dataset';

export const recboleHeader = 'user_id:token\titem_id:token\ttimestamp:float';

/** The benchmark file suffixes, in the order RecBole reads them (train, valid, test). */
export const recboleSplitParts = ['train', 'valid', 'test'] as const;

export type RecboleSource = Pick<ImportedDataset, 'userIds' | 'itemIds' | 'matrix' | 'timestamps'>;

export interface RecboleFile {
  name: string;
  text: string;
}

/** A file-system- and RecBole-safe dataset name from a file name: "LastFM.txt" → "LastFM". */
export function recboleDatasetName(fileName: string): string {
  const stem = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  const safe = stem.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
  return safe || 'aisle';
}

/** Token fields are tab-separated lines: an id with a tab or line break would break the file. */
function checkToken(id: string, what: string): string {
  if (/[\t\r\n]/.test(id)) throw new RangeError(`${what} id ${JSON.stringify(id)} holds a tab or line break`);
  return id;
}

/**
 * The positions in the dataset's row of `user` that a split part's row came from. A part's row is
 * the user's items in time order with some left out, so each item is matched to the next unused
 * position holding it; `used` keeps one interaction from landing in two parts.
 */
function sourcePositions(
  source: InteractionMatrix,
  part: InteractionMatrix,
  user: number,
  used: Uint8Array,
): number[] {
  const start = source.userOffsets[user];
  const end = source.userOffsets[user + 1];
  const positions: number[] = [];
  let cursor = start;
  for (let i = part.userOffsets[user]; i < part.userOffsets[user + 1]; i++) {
    const item = part.items[i];
    let found = -1;
    for (let p = cursor; p < end && found < 0; p++) if (!used[p] && source.items[p] === item) found = p;
    for (let p = start; p < cursor && found < 0; p++) if (!used[p] && source.items[p] === item) found = p;
    if (found < 0) throw new RangeError(`the split holds an interaction of user ${user} the dataset lacks`);
    used[found] = 1;
    positions.push(found);
    cursor = found + 1;
  }
  return positions;
}

/** One line per position; without timestamps the position in the user's row keeps the order. */
function interLines(source: RecboleSource, user: number, positions: readonly number[]): string {
  const userId = checkToken(source.userIds[user], 'user');
  const start = source.matrix.userOffsets[user];
  let text = '';
  for (const p of positions) {
    const itemId = checkToken(source.itemIds[source.matrix.items[p]], 'item');
    const time = source.timestamps ? source.timestamps[p] : p - start;
    text += `${userId}\t${itemId}\t${time}\n`;
  }
  return text;
}

const emptyPart = (userCount: number, itemCount: number): InteractionMatrix => ({
  userCount,
  itemCount,
  userOffsets: new Uint32Array(userCount + 1),
  items: new Int32Array(0),
});

/**
 * NAME.inter (every interaction) and NAME.train/valid/test.inter (the split: the training
 * interactions, then the validation and test targets). A split without a validation fold writes a
 * valid file with the header only.
 */
export function recboleAtomicFiles(source: RecboleSource, split: DataSplit, name: string): RecboleFile[] {
  const { matrix } = source;
  const parts: Record<(typeof recboleSplitParts)[number], InteractionMatrix> = {
    train: split.train,
    valid: split.validation?.targets ?? emptyPart(matrix.userCount, matrix.itemCount),
    test: split.test.targets,
  };
  const texts = { train: '', valid: '', test: '' };
  let whole = '';
  const used = new Uint8Array(matrix.items.length);
  for (let user = 0; user < matrix.userCount; user++) {
    const all = Array.from({ length: matrix.userOffsets[user + 1] - matrix.userOffsets[user] }, (_, i) => i);
    whole += interLines(
      source,
      user,
      all.map((i) => matrix.userOffsets[user] + i),
    );
    for (const part of recboleSplitParts) {
      texts[part] += interLines(source, user, sourcePositions(matrix, parts[part], user, used));
    }
  }
  return [
    { name: `${name}.inter`, text: `${recboleHeader}\n${whole}` },
    ...recboleSplitParts.map((part) => ({
      name: `${name}.${part}.inter`,
      text: `${recboleHeader}\n${texts[part]}`,
    })),
  ];
}

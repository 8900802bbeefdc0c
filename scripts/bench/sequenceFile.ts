// The shared datasets' `userId item item …` files (ids from 1), read for the Node profilers.
import { readFileSync } from 'node:fs';

export interface SequenceFile {
  /** each user's items, 0-based, in file order */
  sequences: number[][];
  /** the largest item id + 1, over every item in the file (held-out ones included) */
  itemCount: number;
}

/** Reads every line with a user and at least one item; others (blank, malformed) are skipped. */
export function readSequenceFile(path: string): SequenceFile {
  const sequences: number[][] = [];
  let itemCount = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 2) continue;
    const items = fields.slice(1).map((id) => Number(id) - 1);
    for (const item of items) itemCount = Math.max(itemCount, item + 1);
    sequences.push(items);
  }
  return { sequences, itemCount };
}

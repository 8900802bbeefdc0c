// What every model reader returns, and how its rows meet a catalogue's or a dataset's items. Only
// item vectors are kept: a file's user factors describe other people and are never read.

import type { ManifestArchitecture } from './manifest';

/** The formats a community model can come in. */
export type ModelFileFormat = 'spark-als' | 'implicit-npz' | 'safetensors';

/** Item vectors as a reader found them: one row per id, row-major. */
export interface ImportedItemFactors {
  format: ModelFileFormat;
  /** the id of each row, as text ("42"): the same spelling a dataset's or the catalogue's ids use */
  ids: string[];
  /** ids.length × rank, row-major */
  vectors: Float32Array;
  rank: number;
  /** how the vectors were trained: "mf" for ALS and MF, "sasrec" for a SASRec's item embedding */
  architecture: ManifestArchitecture;
  /** the file's own settings worth showing (Spark's rank and regParam, implicit's factors, …) */
  settings: Record<string, number | string | boolean>;
}

/** The vectors laid out on a list of items (a dataset's or the catalogue's), with what did not match. */
export interface AlignedItemFactors {
  /** itemIds.length × rank; an item the file lacks has a zero row */
  vectors: Float32Array;
  rank: number;
  /** 1 where the file had the item */
  present: Uint8Array;
  matched: number;
  /** items of the list the file has no vector for */
  missing: number;
  /** rows of the file whose id is not in the list */
  unknown: number;
}

/**
 * Thrown when a model file is not what its format promises. The message says what was expected
 * and where (the file, the tensor, the row), so a researcher can fix the export; readers throw it
 * before returning anything.
 */
export class ModelImportError extends Error {
  override readonly name = 'ModelImportError';

  constructor(
    /** the file (and tensor or column) the problem is in */
    readonly where: string,
    /** what is wrong, and what was expected */
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
  }
}

/** Refuses NaN and ±Infinity: one would make every score it touches NaN. */
export function checkFinite(vectors: Float32Array, rank: number, where: string): void {
  for (let i = 0; i < vectors.length; i++) {
    if (!Number.isFinite(vectors[i])) {
      throw new ModelImportError(
        where,
        `row ${Math.floor(i / rank)} holds ${vectors[i]}; every factor must be a finite number`,
      );
    }
  }
}

/** Refuses a file that gives one id two rows: which row is the item's would be a guess. */
export function checkUniqueIds(ids: readonly string[], where: string): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new ModelImportError(where, `item id ${id} has two rows; each id must have one`);
    seen.add(id);
  }
}

/** The file's rows placed on `itemIds` (the lab dataset's or the catalogue's order). */
export function alignItemFactors(
  factors: ImportedItemFactors,
  itemIds: readonly string[],
): AlignedItemFactors {
  const { rank } = factors;
  const rowOf = new Map<string, number>();
  factors.ids.forEach((id, row) => rowOf.set(id, row));
  const vectors = new Float32Array(itemIds.length * rank);
  const present = new Uint8Array(itemIds.length);
  let matched = 0;
  itemIds.forEach((id, item) => {
    const row = rowOf.get(id);
    if (row === undefined) return;
    vectors.set(factors.vectors.subarray(row * rank, (row + 1) * rank), item * rank);
    present[item] = 1;
    matched++;
  });
  return {
    vectors,
    rank,
    present,
    matched,
    missing: itemIds.length - matched,
    unknown: factors.ids.length - matched,
  };
}

/** "1,234 of 1,300 items matched; 66 have no vector (scored 0); 12 of the file's rows are not items here." */
export function describeAlignment(aligned: AlignedItemFactors, itemCount: number): string {
  const parts = [`${aligned.matched} of ${itemCount} items matched`];
  if (aligned.missing) parts.push(`${aligned.missing} have no vector in the file (they score 0)`);
  if (aligned.unknown) parts.push(`${aligned.unknown} of the file's rows are not items here (left out)`);
  return `${parts.join('; ')}.`;
}

// The item-kNN's neighbour table as one compact binary file, so the build can fit the store's
// table once and a shopper's browser read it instead of fitting it on every cold visit (the fit
// is the largest step of a cold start). The file carries the fingerprint of what it was fitted on
// (data, split, configuration) and the reader compares it: a stale table is refused, never served.
// Every length and index is checked before use, so a damaged file is refused too. No Node or DOM
// APIs: the build (Node) encodes with this module and the store worker decodes with it.
import type { NeighbourTable } from './itemKnn';

/** ASCII "AIKN": Aisle Item-kNN neighbours. */
const magic = [0x41, 0x49, 0x4b, 0x4e] as const;
export const neighbourFileVersion = 1;

/*
 * Layout (integers little-endian; every array starts 4-byte aligned so it is read in place):
 *   magic[4] | version u32 | fingerprintBytes u32 | fingerprint UTF-8, zero-padded to 4
 *   itemCount u32 | entryCount u32 | neighbourWidth u32 (2: uint16 indexes, 4: int32)
 *   offsets       u32 x (itemCount + 1)
 *   similarities  f32 x entryCount
 *   neighbours    u16 or i32 x entryCount, zero-padded to 4
 * A store catalog has far fewer than 65,536 games, so its indexes take two bytes instead of four.
 */
const padTo4 = (bytes: number): number => (bytes + 3) & ~3;

export type NeighbourFileReading = { ok: true; table: NeighbourTable } | { ok: false; problem: string };

export function encodeNeighbourFile(table: NeighbourTable, fingerprint: string): Uint8Array {
  const fingerprintBytes = new TextEncoder().encode(fingerprint);
  const itemCount = table.offsets.length - 1;
  const entryCount = table.neighbours.length;
  const neighbourWidth = itemCount <= 0xffff ? 2 : 4;
  const tableStart = 12 + padTo4(fingerprintBytes.length);
  const offsetsStart = tableStart + 12;
  const similaritiesStart = offsetsStart + 4 * (itemCount + 1);
  const neighboursStart = similaritiesStart + 4 * entryCount;
  const buffer = new ArrayBuffer(padTo4(neighboursStart + neighbourWidth * entryCount));
  const view = new DataView(buffer);
  magic.forEach((byte, i) => view.setUint8(i, byte));
  view.setUint32(4, neighbourFileVersion, true);
  view.setUint32(8, fingerprintBytes.length, true);
  new Uint8Array(buffer, 12, fingerprintBytes.length).set(fingerprintBytes);
  view.setUint32(tableStart, itemCount, true);
  view.setUint32(tableStart + 4, entryCount, true);
  view.setUint32(tableStart + 8, neighbourWidth, true);
  for (let i = 0; i <= itemCount; i++) view.setUint32(offsetsStart + 4 * i, table.offsets[i], true);
  for (let p = 0; p < entryCount; p++) {
    view.setFloat32(similaritiesStart + 4 * p, table.similarities[p], true);
    if (neighbourWidth === 2) view.setUint16(neighboursStart + 2 * p, table.neighbours[p], true);
    else view.setInt32(neighboursStart + 4 * p, table.neighbours[p], true);
  }
  return new Uint8Array(buffer);
}

const refuse = (problem: string): NeighbourFileReading => ({ ok: false, problem });

/**
 * The table in `bytes`, or why it cannot be used: not this format, another version, fitted on
 * something other than `expectedFingerprint`, or inconsistent. The arrays are copies, so the
 * table owns its memory whatever becomes of `bytes`.
 */
export function decodeNeighbourFile(bytes: ArrayBuffer, expectedFingerprint: string): NeighbourFileReading {
  const view = new DataView(bytes);
  if (bytes.byteLength < 24 || magic.some((byte, i) => view.getUint8(i) !== byte))
    return refuse('not a neighbour table file');
  const version = view.getUint32(4, true);
  if (version !== neighbourFileVersion)
    return refuse(`format version ${version}, expected ${neighbourFileVersion}`);
  const fingerprintLength = view.getUint32(8, true);
  const tableStart = 12 + padTo4(fingerprintLength);
  if (tableStart + 12 > bytes.byteLength) return refuse('the file is cut short');
  const fingerprint = new TextDecoder().decode(new Uint8Array(bytes, 12, fingerprintLength));
  if (fingerprint !== expectedFingerprint)
    return refuse('it was fitted on other data or another configuration than this store uses');
  const itemCount = view.getUint32(tableStart, true);
  const entryCount = view.getUint32(tableStart + 4, true);
  const neighbourWidth = view.getUint32(tableStart + 8, true);
  if (neighbourWidth !== 2 && neighbourWidth !== 4) return refuse(`neighbour width ${neighbourWidth}`);
  const offsetsStart = tableStart + 12;
  const similaritiesStart = offsetsStart + 4 * (itemCount + 1);
  const neighboursStart = similaritiesStart + 4 * entryCount;
  if (padTo4(neighboursStart + neighbourWidth * entryCount) !== bytes.byteLength)
    return refuse(`${bytes.byteLength} bytes do not hold ${itemCount} items and ${entryCount} neighbours`);
  // views on little-endian bytes: every platform a browser runs on is little-endian
  const offsets = new Uint32Array(bytes, offsetsStart, itemCount + 1).slice();
  const similarities = new Float32Array(bytes, similaritiesStart, entryCount).slice();
  const neighbours = Int32Array.from(
    neighbourWidth === 2
      ? new Uint16Array(bytes, neighboursStart, entryCount)
      : new Int32Array(bytes, neighboursStart, entryCount),
  );
  const problem = tableProblem(offsets, neighbours, similarities);
  return problem ? refuse(problem) : { ok: true, table: { offsets, neighbours, similarities } };
}

/** What makes a table unusable (an index out of range would read past the ranking's arrays). */
function tableProblem(
  offsets: Uint32Array,
  neighbours: Int32Array,
  similarities: Float32Array,
): string | null {
  const itemCount = offsets.length - 1;
  if (offsets[0] !== 0 || offsets[itemCount] !== neighbours.length)
    return 'the offsets do not span the table';
  for (let i = 0; i < itemCount; i++) {
    if (offsets[i + 1] < offsets[i]) return `the offsets decrease at item ${i}`;
  }
  for (let p = 0; p < neighbours.length; p++) {
    if (neighbours[p] < 0 || neighbours[p] >= itemCount) return `neighbour ${neighbours[p]} is not an item`;
    if (!Number.isFinite(similarities[p])) return `similarity ${similarities[p]} is not a number`;
  }
  return null;
}

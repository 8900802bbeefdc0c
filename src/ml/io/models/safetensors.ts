// safetensors (huggingface/safetensors): 8 bytes of little-endian header length N, N bytes of JSON
// {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}}, then the raw
// little-endian tensors, offsets counted from the end of the header. PyTorch MF or SASRec weights
// come this way, with a manifest (manifest.ts) naming the item tensor and its rows' ids.
import { checkFinite, checkUniqueIds, ModelImportError, type ImportedItemFactors } from './itemFactors';
import { rowsNamedByManifest, type ModelManifest } from './manifest';

export interface SafetensorsEntry {
  dtype: string;
  shape: number[];
  dataOffsets: [number, number];
}

const bytesPerValue: Record<string, number> = { F32: 4, F64: 8 };
/** A header is a few kilobytes per tensor; one of megabytes is damage, not a model. */
const maxHeaderBytes = 16 * 1024 * 1024;

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

function parseEntry(name: string, value: unknown, fileName: string): SafetensorsEntry {
  const where = `${fileName}, tensor ${name}`;
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { dtype, shape, data_offsets: offsets } = record;
  if (typeof dtype !== 'string') throw new ModelImportError(where, 'has no "dtype"');
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw new ModelImportError(where, 'has no "shape" of whole numbers');
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
    throw new ModelImportError(where, 'has no "data_offsets" [begin, end]');
  }
  return { dtype, shape: shape as number[], dataOffsets: [offsets[0] as number, offsets[1] as number] };
}

/** The header: every tensor's entry by name, and where the data begins. */
export function readSafetensorsHeader(
  bytes: Uint8Array,
  fileName: string,
): { tensors: Map<string, SafetensorsEntry>; dataStart: number } {
  if (bytes.length < 8)
    throw new ModelImportError(fileName, 'is shorter than a safetensors header (8 bytes)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > maxHeaderBytes || 8 + headerLength > bytes.length) {
    throw new ModelImportError(
      fileName,
      `declares a ${headerLength}-byte header in a ${bytes.length}-byte file; expected a safetensors file`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)),
    );
  } catch {
    throw new ModelImportError(fileName, 'has a header that is not UTF-8 JSON; expected a safetensors file');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new ModelImportError(
      fileName,
      'has a header that is not a JSON object; expected a safetensors file',
    );
  }
  const tensors = new Map<string, SafetensorsEntry>();
  for (const [name, value] of Object.entries(header)) {
    if (name !== '__metadata__') tensors.set(name, parseEntry(name, value, fileName));
  }
  return { tensors, dataStart: 8 + headerLength };
}

/** One 2-D float tensor as float32: F32 or F64, with exactly the bytes its shape needs. */
export function readMatrix(
  bytes: Uint8Array,
  fileName: string,
  name: string,
): { rows: number; columns: number; values: Float32Array } {
  const { tensors, dataStart } = readSafetensorsHeader(bytes, fileName);
  const entry = tensors.get(name);
  const where = `${fileName}, tensor ${name}`;
  if (!entry) {
    const known = [...tensors.keys()].slice(0, 20).join(', ') || 'none';
    throw new ModelImportError(fileName, `has no tensor "${name}" (tensors: ${known})`);
  }
  const size = bytesPerValue[entry.dtype];
  if (!size) throw new ModelImportError(where, `has dtype ${entry.dtype}; expected F32 or F64`);
  if (entry.shape.length !== 2 || entry.shape[0] === 0 || entry.shape[1] === 0) {
    throw new ModelImportError(where, `has shape [${entry.shape.join(', ')}]; expected [items, dim]`);
  }
  const [rows, columns] = entry.shape;
  const [begin, end] = entry.dataOffsets;
  if (end - begin !== rows * columns * size || dataStart + end > bytes.length) {
    throw new ModelImportError(
      where,
      `spans bytes ${begin}–${end} of a ${bytes.length - dataStart}-byte data section; shape [${rows}, ${columns}] of ${entry.dtype} needs ${rows * columns * size} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart + begin, end - begin);
  const values = new Float32Array(rows * columns);
  for (let i = 0; i < values.length; i++) {
    values[i] = size === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
  }
  return { rows, columns, values };
}

/** The item vectors a manifest points at, named by its ids (padding rows dropped). */
export function readSafetensorsModel(
  bytes: Uint8Array,
  fileName: string,
  manifest: ModelManifest,
): ImportedItemFactors {
  const { rows, columns, values } = readMatrix(bytes, fileName, manifest.itemTensor);
  const where = `${fileName}, tensor ${manifest.itemTensor}`;
  checkFinite(values, columns, where);
  const named = rowsNamedByManifest(values, rows, columns, manifest);
  checkUniqueIds(named.ids, where);
  return {
    format: 'safetensors',
    architecture: manifest.architecture,
    rank: columns,
    ...named,
    settings: manifest.config,
  };
}

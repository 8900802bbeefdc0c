// NumPy's .npy format (numpy.lib.format): a magic string, a version, a header length (2 bytes in
// version 1, 4 in versions 2 and 3), a Python dict literal naming dtype, order and shape, then the
// raw array. Only what item factors need is read: little-endian float32 or float64, C order.
import { ModelImportError } from './itemFactors';

export interface NpyArray {
  shape: number[];
  /** the values as float32, in C (row-major) order */
  values: Float32Array;
}

const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const bytesPerValue: Record<string, number> = { '<f4': 4, '<f8': 8 };

/** The header's fields, read from its dict literal: {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), } */
function parseHeader(
  header: string,
  where: string,
): { descr: string; fortranOrder: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const order = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || order === undefined || shapeText === undefined) {
    throw new ModelImportError(
      where,
      "has no readable .npy header (expected 'descr', 'fortran_order' and 'shape')",
    );
  }
  const parts = shapeText
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const shape = parts.map((part) => (/^\d{1,9}$/.test(part) ? Number(part) : Number.NaN));
  if (shape.some(Number.isNaN))
    throw new ModelImportError(where, `has shape (${shapeText}); expected whole numbers`);
  return { descr, fortranOrder: order === 'True', shape };
}

/** One .npy file's array; a dtype other than '<f4'/'<f8' or Fortran order is refused, saying so. */
export function parseNpy(bytes: Uint8Array, where: string): NpyArray {
  if (bytes.length < 10 || magic.some((byte, i) => bytes[i] !== byte)) {
    throw new ModelImportError(where, 'is not a .npy array (it does not start with \\x93NUMPY)');
  }
  const major = bytes[6];
  if (major < 1 || major > 3)
    throw new ModelImportError(where, `is .npy version ${major}; expected 1, 2 or 3`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw new ModelImportError(where, 'ends inside its header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (dataStart > bytes.length) throw new ModelImportError(where, 'ends inside its header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(8 + lengthBytes, dataStart),
  );
  const { descr, fortranOrder, shape } = parseHeader(header, where);
  const size = bytesPerValue[descr];
  if (!size) {
    throw new ModelImportError(where, `has dtype '${descr}'; expected '<f4' (float32) or '<f8' (float64)`);
  }
  if (fortranOrder && shape.length > 1) {
    throw new ModelImportError(
      where,
      'is in Fortran order; expected C order (numpy.ascontiguousarray before saving)',
    );
  }
  const count = shape.reduce((product, dim) => product * dim, 1);
  if (bytes.length - dataStart !== count * size) {
    throw new ModelImportError(
      where,
      `holds ${bytes.length - dataStart} bytes of data; shape (${shape.join(', ')}) of '${descr}' needs ${count * size}`,
    );
  }
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const at = dataStart + i * size;
    values[i] = size === 4 ? view.getFloat32(at, true) : view.getFloat64(at, true);
  }
  return { shape, values };
}

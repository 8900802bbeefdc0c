// Writers of the formats the readers read, for tests only: each test builds its file from numbers
// it chose, so "the numbers read equal the numbers written" is checked without shipped binaries.
import { zipSync } from 'fflate';

const encoder = new TextEncoder();

/** A .npy file (version 1, or `version` 2/3 with a 4-byte header length) of float32/float64 values. */
export function npyBytes(
  shape: number[],
  values: ArrayLike<number>,
  {
    descr = '<f4',
    fortranOrder = false,
    version = 1,
  }: { descr?: string; fortranOrder?: boolean; version?: number } = {},
): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const lengthBytes = version === 1 ? 2 : 4;
  // numpy pads the header with spaces and a newline to a multiple of 64 bytes
  const unpadded = 8 + lengthBytes + dict.length + 1;
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const size = descr.endsWith('8') ? 8 : descr.endsWith('2') ? 2 : 4;
  const bytes = new Uint8Array(8 + lengthBytes + header.length + values.length * size);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(bytes.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  bytes.set(encoder.encode(header), 8 + lengthBytes);
  const start = 8 + lengthBytes + header.length;
  for (let i = 0; i < values.length; i++) {
    if (size === 8) view.setFloat64(start + i * 8, values[i], true);
    else if (size === 4) view.setFloat32(start + i * 4, values[i], true);
    else view.setUint16(start + i * 2, values[i], true);
  }
  return bytes;
}

/** An .npz as numpy.savez writes it: one .npy entry per array. */
export function npzBytes(arrays: Record<string, Uint8Array>, compressed = false): Uint8Array {
  const entries = Object.fromEntries(Object.entries(arrays).map(([name, bytes]) => [`${name}.npy`, bytes]));
  return zipSync(entries, { level: compressed ? 6 : 0 });
}

/** A safetensors file of float32 tensors (or `dtype` F64), in the order given. */
export function safetensorsBytes(
  tensors: Record<string, { shape: number[]; values: ArrayLike<number>; dtype?: 'F32' | 'F64' | 'F16' }>,
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  const sizeOf = (dtype = 'F32') => (dtype === 'F64' ? 8 : dtype === 'F16' ? 2 : 4);
  for (const [name, { shape, values, dtype = 'F32' }] of Object.entries(tensors)) {
    const length = values.length * sizeOf(dtype);
    header[name] = { dtype, shape, data_offsets: [offset, offset + length] };
    offset += length;
  }
  const headerBytes = encoder.encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  bytes.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const { values, dtype = 'F32' } of Object.values(tensors)) {
    for (let i = 0; i < values.length; i++) {
      if (dtype === 'F64') view.setFloat64(at, values[i], true);
      else if (dtype === 'F32') view.setFloat32(at, values[i], true);
      else view.setUint16(at, values[i], true);
      at += sizeOf(dtype);
    }
  }
  return bytes;
}

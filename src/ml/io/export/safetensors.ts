// A safetensors writer (https://huggingface.co/docs/safetensors): an 8-byte little-endian header
// length N, N bytes of JSON header, then the raw little-endian tensor bytes. The header is padded
// with spaces to a multiple of 8 bytes, as the reference Rust implementation does, so every tensor
// starts 8-byte aligned and readers that map the file can view it without copying.

export interface Float32Tensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

interface HeaderEntry {
  dtype: 'F32';
  shape: number[];
  data_offsets: [number, number];
}

const metadataKey = '__metadata__';

/** Refuses a tensor whose shape does not hold its values, or a name the format reserves. */
function checkTensor(tensor: Float32Tensor, seen: Set<string>): void {
  if (tensor.name === metadataKey) throw new RangeError(`"${metadataKey}" is reserved, not a tensor name`);
  if (seen.has(tensor.name)) throw new RangeError(`tensor "${tensor.name}" appears twice`);
  if (tensor.shape.some((size) => !Number.isInteger(size) || size < 0)) {
    throw new RangeError(`tensor "${tensor.name}" has an invalid shape [${tensor.shape.join(', ')}]`);
  }
  const elements = tensor.shape.reduce((product, size) => product * size, 1);
  if (elements !== tensor.data.length) {
    throw new RangeError(
      `tensor "${tensor.name}" has shape [${tensor.shape.join(', ')}] (${elements} values) but ${tensor.data.length} values`,
    );
  }
  seen.add(tensor.name);
}

/** The file's bytes: tensors in the order given, metadata values strings (the format requires it). */
export function writeSafetensors(
  tensors: readonly Float32Tensor[],
  metadata: Record<string, string> = {},
): Uint8Array {
  const seen = new Set<string>();
  const header: Record<string, HeaderEntry | Record<string, string>> = {};
  if (Object.keys(metadata).length > 0) header[metadataKey] = metadata;
  let offset = 0;
  for (const tensor of tensors) {
    checkTensor(tensor, seen);
    const bytes = tensor.data.length * 4;
    header[tensor.name] = { dtype: 'F32', shape: tensor.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const file = new Uint8Array(8 + padded + offset);
  const view = new DataView(file.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  file.set(json, 8);
  file.fill(0x20, 8 + json.length, 8 + padded);
  // DataView writes little-endian whatever the machine's byte order
  let position = 8 + padded;
  for (const tensor of tensors) {
    for (let i = 0; i < tensor.data.length; i++, position += 4)
      view.setFloat32(position, tensor.data[i], true);
  }
  return file;
}

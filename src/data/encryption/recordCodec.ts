// A stored record as bytes, and back. Sealed rows hold the whole record encrypted, so it must
// first become bytes. JSON alone would turn a checkpoint's Float32Arrays into megabytes of digits
// and NaN into null, so typed arrays travel as raw bytes after the JSON and non-finite numbers
// are tagged: decodeRecord(encodeRecord(x)) equals x for every shape the tables hold.

const typedArrayConstructors = {
  Float32Array,
  Float64Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
} as const;

type TypedArrayName = keyof typeof typedArrayConstructors;
type AnyTypedArray = InstanceType<(typeof typedArrayConstructors)[TypedArrayName]>;

/** In the JSON: a typed array stored at `offset` of the binary tail. */
interface TypedArrayTag {
  $typed: TypedArrayName;
  offset: number;
  length: number;
}

/** In the JSON: NaN, Infinity or -Infinity, which JSON cannot spell. */
interface NumberTag {
  $number: 'NaN' | 'Infinity' | '-Infinity';
}

const typedArrayName = (value: unknown): TypedArrayName | undefined =>
  (Object.keys(typedArrayConstructors) as TypedArrayName[]).find(
    (name) => value instanceof typedArrayConstructors[name],
  );

/** Layout: 4 bytes (little-endian JSON length), the JSON in UTF-8, padding to 8, the typed arrays. */
export function encodeRecord(value: unknown): Uint8Array {
  const arrays: AnyTypedArray[] = [];
  let tailLength = 0;
  const json = JSON.stringify(value, function (this: unknown, _key, inner: unknown) {
    if (typeof inner === 'number' && !Number.isFinite(inner)) {
      return { $number: String(inner) } as NumberTag;
    }
    const name = typedArrayName(inner);
    if (name === undefined) return inner;
    const array = inner as AnyTypedArray;
    // every element starts at a multiple of 8, so any typed array can view it in place
    const offset = tailLength;
    arrays.push(array);
    tailLength += Math.ceil(array.byteLength / 8) * 8;
    return { $typed: name, offset, length: array.length } satisfies TypedArrayTag;
  });
  const text = new TextEncoder().encode(json ?? 'null');
  const head = Math.ceil((4 + text.length) / 8) * 8;
  const bytes = new Uint8Array(head + tailLength);
  new DataView(bytes.buffer).setUint32(0, text.length, true);
  bytes.set(text, 4);
  let offset = head;
  for (const array of arrays) {
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
    offset += Math.ceil(array.byteLength / 8) * 8;
  }
  return bytes;
}

export function decodeRecord(bytes: Uint8Array): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const textLength = view.getUint32(0, true);
  const text = new TextDecoder().decode(bytes.subarray(4, 4 + textLength));
  const head = Math.ceil((4 + textLength) / 8) * 8;
  return JSON.parse(text, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object') return inner;
    if ('$number' in inner) return Number((inner as NumberTag).$number);
    if (!('$typed' in inner)) return inner;
    const tag = inner as TypedArrayTag;
    const Constructor = typedArrayConstructors[tag.$typed];
    const start = bytes.byteOffset + head + tag.offset;
    // a copy, so the record owns its own buffer (not a view of the whole decrypted record)
    return new Constructor(
      bytes.buffer.slice(start, start + tag.length * Constructor.BYTES_PER_ELEMENT) as ArrayBuffer,
    );
  });
}

import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord } from './recordCodec';

describe('record codec', () => {
  it('round-trips typed arrays, non-finite numbers and nesting exactly', () => {
    const record = {
      name: 'mf',
      snapshot: {
        arrays: { user: new Float32Array([0.1, -2.5, 1e-7]), items: new Int32Array([3, -1]) },
        config: { dim: 3 },
      },
      odd: [NaN, Infinity, -Infinity, 0, -0.5],
      bytes: new Uint8Array([255, 0, 7]),
      missing: null,
    };
    const decoded = decodeRecord(encodeRecord(record)) as typeof record;
    expect(decoded).toEqual(record);
    expect(decoded.snapshot.arrays.user).toBeInstanceOf(Float32Array);
    expect(decoded.snapshot.arrays.items).toBeInstanceOf(Int32Array);
    expect(decoded.odd.map(String)).toEqual(['NaN', 'Infinity', '-Infinity', '0', '-0.5']);
  });

  it('lays out: 4-byte JSON length, JSON, padding to 8, then 8-aligned array bytes', () => {
    const bytes = encodeRecord({ a: new Uint8Array([1, 2, 3]) });
    const json = '{"a":{"$typed":"Uint8Array","offset":0,"length":3}}';
    // 4 + 51 = 55 bytes, padded to a head of 56; then the 3 array bytes padded to 8
    expect(json.length).toBe(51);
    expect(bytes.length).toBe(56 + 8);
    expect(new DataView(bytes.buffer).getUint32(0, true)).toBe(51);
    expect(new TextDecoder().decode(bytes.subarray(4, 55))).toBe(json);
    expect(bytes[55]).toBe(0);
    expect([...bytes.subarray(56)]).toEqual([1, 2, 3, 0, 0, 0, 0, 0]);
  });

  it('gives each decoded array its own buffer, not a view of the whole record', () => {
    const decoded = decodeRecord(encodeRecord({ v: new Float64Array([1.5, 2]) })) as { v: Float64Array };
    expect(decoded.v.buffer.byteLength).toBe(16);
  });
});

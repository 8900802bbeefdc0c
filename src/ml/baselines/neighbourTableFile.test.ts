import { describe, expect, it } from 'vitest';
import type { NeighbourTable } from './itemKnn';
import { decodeNeighbourFile, encodeNeighbourFile } from './neighbourTableFile';

// item 0's neighbours are 1 (1.0) and 2 (0.5), item 1's is 0 (1.0), item 2 has none
const table: NeighbourTable = {
  offsets: Uint32Array.of(0, 2, 3, 3),
  neighbours: Int32Array.of(1, 2, 0),
  similarities: Float32Array.of(1, 0.5, 1),
};

const bufferOf = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

describe('the neighbour table file', () => {
  it('lays the table out compactly and reads it back equal', () => {
    const bytes = encodeNeighbourFile(table, 'fp');
    // 12 header + "fp" padded to 4 + 12 counts + 4 offsets x 4 + 3 similarities x 4 + 3 uint16 indexes,
    // padded to 4: 12 + 4 + 12 + 16 + 12 + 6 = 62 -> 64
    expect(bytes.length).toBe(64);
    const reading = decodeNeighbourFile(bufferOf(bytes), 'fp');
    expect(reading).toEqual({ ok: true, table });
  });

  it('stores four-byte indexes when a catalog has more than 65,535 items', () => {
    const offsets = new Uint32Array(70_001).fill(1);
    offsets[0] = 0;
    const wide: NeighbourTable = {
      offsets,
      neighbours: Int32Array.of(69_999),
      similarities: Float32Array.of(0.25),
    };
    const reading = decodeNeighbourFile(bufferOf(encodeNeighbourFile(wide, 'wide')), 'wide');
    expect(reading.ok && reading.table.neighbours[0]).toBe(69_999);
  });

  it('refuses a table fitted on something else', () => {
    const reading = decodeNeighbourFile(bufferOf(encodeNeighbourFile(table, 'fp')), 'other');
    expect(reading).toEqual({ ok: false, problem: expect.stringContaining('other data') });
  });

  it('refuses another format, a cut file and an index out of range, saying which', () => {
    const bytes = encodeNeighbourFile(table, 'fp');
    const notOurs = bytes.slice();
    notOurs[0] = 0;
    expect(decodeNeighbourFile(bufferOf(notOurs), 'fp')).toEqual({
      ok: false,
      problem: 'not a neighbour table file',
    });
    expect(decodeNeighbourFile(bufferOf(bytes.slice(0, 60)), 'fp')).toEqual({
      ok: false,
      problem: '60 bytes do not hold 3 items and 3 neighbours',
    });
    const outOfRange = bytes.slice();
    new DataView(outOfRange.buffer).setUint16(56, 3, true); // the first neighbour index becomes item 3
    expect(decodeNeighbourFile(bufferOf(outOfRange), 'fp')).toEqual({
      ok: false,
      problem: 'neighbour 3 is not an item',
    });
    const decreasing = bytes.slice();
    // offsets 0, 3, 2, 3: item 1 would end before it starts
    new DataView(decreasing.buffer).setUint32(32, 3, true);
    new DataView(decreasing.buffer).setUint32(36, 2, true);
    expect(decodeNeighbourFile(bufferOf(decreasing), 'fp')).toEqual({
      ok: false,
      problem: 'the offsets decrease at item 1',
    });
  });
});

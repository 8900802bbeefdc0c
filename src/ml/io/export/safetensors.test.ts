import { describe, expect, it } from 'vitest';
import type { ModelSnapshot } from '../../recommender';
import { hasItemEmbeddings, itemEmbeddingsOf, itemEmbeddingsTensor, modelExportFiles } from './modelExport';
import { writeSafetensors } from './safetensors';

/** Reads a file back by hand, as the format's description says: length, JSON, raw floats. */
function readBack(file: Uint8Array) {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const headerText = new TextDecoder().decode(file.subarray(8, 8 + headerLength));
  const dataStart = 8 + headerLength;
  const floatsAt = (begin: number, end: number) =>
    Array.from({ length: (end - begin) / 4 }, (_, i) => view.getFloat32(dataStart + begin + 4 * i, true));
  return { headerLength, headerText, header: JSON.parse(headerText), dataStart, floatsAt };
}

describe('writeSafetensors', () => {
  it('writes the header length, a space-padded JSON header and little-endian floats', () => {
    const file = writeSafetensors(
      [
        { name: 'a', shape: [2, 2], data: Float32Array.from([1, -2, 0.5, 3]) },
        { name: 'b', shape: [1], data: Float32Array.from([7]) },
      ],
      { format: 'pt' },
    );
    const { headerLength, headerText, header, dataStart, floatsAt } = readBack(file);
    const json =
      '{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[1],"data_offsets":[16,20]}}';
    // 143 bytes of JSON, padded with 1 space to 144 (a multiple of 8)
    expect(json.length).toBe(143);
    expect(headerLength).toBe(144);
    expect(headerText).toBe(json + ' ');
    expect(dataStart % 8).toBe(0);
    expect(file.length).toBe(8 + 144 + 20);
    expect(header.a).toEqual({ dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] });
    expect(floatsAt(0, 16)).toEqual([1, -2, 0.5, 3]);
    expect(floatsAt(16, 20)).toEqual([7]);
    // the first float's bytes, little-endian: 1.0f = 0x3f800000
    expect(Array.from(file.subarray(dataStart, dataStart + 4))).toEqual([0x00, 0x00, 0x80, 0x3f]);
  });

  it('leaves out an empty metadata block and refuses shapes that do not hold the values', () => {
    const { header } = readBack(writeSafetensors([{ name: 'x', shape: [0], data: new Float32Array(0) }]));
    expect(Object.keys(header)).toEqual(['x']);
    expect(() => writeSafetensors([{ name: 'x', shape: [2, 3], data: new Float32Array(5) }])).toThrow(
      'tensor "x" has shape [2, 3] (6 values) but 5 values',
    );
    expect(() =>
      writeSafetensors([
        { name: 'x', shape: [1], data: new Float32Array(1) },
        { name: 'x', shape: [1], data: new Float32Array(1) },
      ]),
    ).toThrow('appears twice');
    expect(() => writeSafetensors([{ name: '__metadata__', shape: [0], data: new Float32Array(0) }])).toThrow(
      'reserved',
    );
  });
});

describe('item embeddings export', () => {
  it('keeps every MF row and reads back with the manifest naming each row', () => {
    const snapshot: ModelSnapshot = {
      name: 'mf',
      config: { dim: 2, epochs: 3, seed: 1, featureIds: [1, 2] },
      arrays: { itemEmbedding: Float32Array.from([0.25, 1, -1, 2, 3, 0]), itemBias: new Float32Array(3) },
    };
    const embeddings = itemEmbeddingsOf(snapshot);
    expect(embeddings).toMatchObject({ architecture: 'mf', rows: 3, dim: 2 });
    // the array-valued setting is left out: the manifest's config is plain JSON values
    expect(embeddings.config).toEqual({ dim: 2, epochs: 3, seed: 1 });
    const { safetensors, manifest } = modelExportFiles(embeddings, ['a', 'b', 'c'], {
      trainedOn: 'toy.txt',
      createdAt: new Date('2026-12-02T00:00:00Z'),
    });
    const { header, floatsAt } = readBack(safetensors);
    expect(header.__metadata__).toEqual({ format: 'pt', producer: 'aisle', architecture: 'mf' });
    expect(header[itemEmbeddingsTensor]).toEqual({ dtype: 'F32', shape: [3, 2], data_offsets: [0, 24] });
    expect(floatsAt(0, 24)).toEqual([0.25, 1, -1, 2, 3, 0]);
    expect(manifest).toEqual({
      format: 'aisle-model',
      version: 1,
      architecture: 'mf',
      source: 'Aisle, trained in the browser on toy.txt',
      itemTensor: itemEmbeddingsTensor,
      itemIds: ['a', 'b', 'c'],
      config: { dim: 2, epochs: 3, seed: 1 },
      createdAt: '2026-12-02T00:00:00.000Z',
    });
  });

  it('drops the sequential models’ padding row so row i is item i', () => {
    const snapshot: ModelSnapshot = {
      name: 'sasrec',
      config: { hidden: 2, itemCount: 2 },
      arrays: { itemEmbedding: Float32Array.from([9, 9, 1, 2, 3, 4]) },
    };
    const embeddings = itemEmbeddingsOf(snapshot);
    expect(embeddings).toMatchObject({ architecture: 'sasrec', rows: 2, dim: 2 });
    expect(Array.from(embeddings.values)).toEqual([1, 2, 3, 4]);
    expect(() => modelExportFiles(embeddings, ['only one'], { createdAt: new Date(0) })).toThrow(
      '2 embedding rows but 1 item ids',
    );
  });

  it('refuses a model without item embeddings or a table of the wrong size', () => {
    expect(hasItemEmbeddings({ name: 'popularity', config: {}, arrays: {} })).toBe(false);
    expect(() => itemEmbeddingsOf({ name: 'popularity', config: {}, arrays: {} })).toThrow(
      'popularity has no item embedding table',
    );
    expect(() =>
      itemEmbeddingsOf({ name: 'mf', config: { dim: 4 }, arrays: { itemEmbedding: new Float32Array(6) } }),
    ).toThrow('do not make rows of dim 4');
    expect(() =>
      itemEmbeddingsOf({
        name: 'gru',
        config: { hidden: 2, itemCount: 3 },
        arrays: { itemEmbedding: new Float32Array(6) },
      }),
    ).toThrow('expected (itemCount + 1) × hidden embedding values, found 6');
  });
});

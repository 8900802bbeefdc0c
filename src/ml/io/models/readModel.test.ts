import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readModelFiles, sha256Hex } from './readModel';
import { sparkFixture } from './sparkFixture';
import { npyBytes, npzBytes, safetensorsBytes } from './testSupport';

const encode = (text: string) => new TextEncoder().encode(text);
const fixture = (relative: string) => ({
  name: relative.split('/').pop()!,
  bytes: new Uint8Array(readFileSync(`${sparkFixture.directory}/${relative}`)),
});

describe('readModelFiles', () => {
  it("tells Spark's metadata from its Parquet part by content, whatever their names", async () => {
    const model = await readModelFiles([
      fixture(`itemFactors/${sparkFixture.partName}`),
      fixture('metadata/part-00000'),
    ]);
    expect(model.factors.format).toBe('spark-als');
    expect(model.source).toBe('Spark MLlib ALS 3.5.1');
    expect(model.trainedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(model.files.map((file) => file.name)).toEqual([sparkFixture.partName, 'part-00000']);
  });

  it('reads an .npz alone and a .safetensors with its manifest', async () => {
    const npz = { name: 'als.npz', bytes: npzBytes({ item_factors: npyBytes([2, 1], [1, 2]) }) };
    expect((await readModelFiles([npz])).factors.ids).toEqual(['0', '1']);
    const manifest = {
      name: 'model.json',
      bytes: encode(
        JSON.stringify({
          format: 'aisle-model',
          version: 1,
          architecture: 'mf',
          source: 'PyTorch 2.3',
          itemTensor: 'item.weight',
          itemIds: ['a', 'b'],
          config: {},
          createdAt: '2026-11-30T12:00:00Z',
        }),
      ),
    };
    const tensors = {
      name: 'model.safetensors',
      bytes: safetensorsBytes({ 'item.weight': { shape: [2, 1], values: [3, 4] } }),
    };
    const model = await readModelFiles([manifest, tensors]);
    expect(model.factors.ids).toEqual(['a', 'b']);
    expect(model).toMatchObject({ source: 'PyTorch 2.3', trainedAt: '2026-11-30T12:00:00Z' });
    await expect(readModelFiles([tensors])).rejects.toThrow('model.safetensors: needs its manifest');
  });

  it('refuses files that hold no model, saying which formats it reads', async () => {
    await expect(readModelFiles([{ name: 'notes.txt', bytes: encode('hello') }])).rejects.toThrow(
      'the picked files: hold no model; expected Spark ALS (metadata/part-00000 and itemFactors/*.parquet), an implicit .npz, or a .safetensors with its manifest',
    );
    await expect(readModelFiles([])).rejects.toThrow('pick the model file(s)');
  });
});

describe('sha256Hex', () => {
  it('gives the published digest of "abc" (FIPS 180-2, appendix B.1)', async () => {
    expect(await sha256Hex(encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

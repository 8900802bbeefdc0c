import { describe, expect, it } from 'vitest';
import type { ModelManifest } from './manifest';
import { readSafetensorsModel } from './safetensors';
import { safetensorsBytes } from './testSupport';

const manifest: ModelManifest = {
  format: 'aisle-model',
  version: 1,
  architecture: 'sasrec',
  source: 'PyTorch 2.3',
  itemTensor: 'item_emb.weight',
  // SASRec's row 0 is padding, no item
  itemIds: [null, '10', '20', '30'],
  config: { hidden: 2, maxLen: 50 },
};
const embedding = [0, 0, 1, 0.5, -2, 0.25, 3, -1];

describe('readSafetensorsModel', () => {
  it('reads the manifest tensor as written, dropping the padding row, beside other tensors', () => {
    for (const dtype of ['F32', 'F64'] as const) {
      const file = safetensorsBytes({
        'pos_emb.weight': { shape: [50, 2], values: new Float32Array(100).fill(7) },
        'item_emb.weight': { shape: [4, 2], values: embedding, dtype },
      });
      const model = readSafetensorsModel(file, 'sasrec.safetensors', manifest);
      expect(model.ids).toEqual(['10', '20', '30']);
      expect(model.rank).toBe(2);
      expect(Array.from(model.vectors)).toEqual([1, 0.5, -2, 0.25, 3, -1]);
      expect(model.architecture).toBe('sasrec');
      expect(model.settings).toEqual({ hidden: 2, maxLen: 50 });
    }
  });

  it('refuses a half-precision tensor, a wrong shape, a missing tensor, an id count that does not match and a non-safetensors file', () => {
    const half = safetensorsBytes({
      'item_emb.weight': { shape: [4, 2], values: new Array(8).fill(0), dtype: 'F16' },
    });
    expect(() => readSafetensorsModel(half, 'm.safetensors', manifest)).toThrow(
      'm.safetensors, tensor item_emb.weight: has dtype F16; expected F32 or F64',
    );
    const flat = safetensorsBytes({ 'item_emb.weight': { shape: [8], values: embedding } });
    expect(() => readSafetensorsModel(flat, 'm.safetensors', manifest)).toThrow(
      'has shape [8]; expected [items, dim]',
    );
    const other = safetensorsBytes({ 'user_emb.weight': { shape: [4, 2], values: embedding } });
    expect(() => readSafetensorsModel(other, 'm.safetensors', manifest)).toThrow(
      'm.safetensors: has no tensor "item_emb.weight" (tensors: user_emb.weight)',
    );
    const fewer = safetensorsBytes({ 'item_emb.weight': { shape: [2, 4], values: embedding } });
    expect(() => readSafetensorsModel(fewer, 'm.safetensors', manifest)).toThrow(
      'has 2 rows but the manifest names 4; expected one id per row',
    );
    expect(() =>
      readSafetensorsModel(new TextEncoder().encode('{"a": 1}'), 'm.safetensors', manifest),
    ).toThrow(/expected a safetensors file/);
  });
});

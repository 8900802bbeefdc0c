import { describe, expect, it } from 'vitest';
import { modelCacheData } from './runLab';

describe('modelCacheData', () => {
  it('names the dataset key, the split (whatever the order of its fields) and the seed', () => {
    const info = { key: '0123456789abcdef' };
    const split = { kind: 'leave-one-out' as const, maxHistory: 50 };
    const text = modelCacheData(info, { split, seed: 42 });
    expect(text).toBe('0123456789abcdef | {"kind":"leave-one-out","maxHistory":50} | seed 42');
    expect(modelCacheData(info, { split: { maxHistory: 50, kind: 'leave-one-out' }, seed: 42 })).toBe(text);
    expect(modelCacheData(info, { split, seed: 43 })).not.toBe(text);
    expect(modelCacheData(info, { split: { ...split, maxHistory: 200 }, seed: 42 })).not.toBe(text);
  });
});

// Which bench rows train data-parallel: SASRec and GRU wasm rows asked for every core, with as
// many replicas as cores up to two; every other row keeps one.
import { describe, expect, it } from 'vitest';
import { replicasFor } from './runBenchRow';

describe('replicasFor', () => {
  it('gives every-core SASRec and GRU wasm rows a replica per core, up to two', () => {
    expect(replicasFor({ model: 'sasrec', backend: 'wasm', wasmThreads: 'all' }, 2)).toBe(2);
    expect(replicasFor({ model: 'gru', backend: 'wasm', wasmThreads: 'all' }, 16)).toBe(2);
    expect(replicasFor({ model: 'sasrec', backend: 'wasm', wasmThreads: 'all' }, 1)).toBe(1);
  });

  it('keeps one replica for one-thread rows, other backends and other models', () => {
    expect(replicasFor({ model: 'sasrec', backend: 'wasm', wasmThreads: 1 }, 2)).toBe(1);
    expect(replicasFor({ model: 'sasrec', backend: 'webgl', wasmThreads: 'all' }, 2)).toBe(1);
    expect(replicasFor({ model: 'mf', backend: 'wasm', wasmThreads: 'all' }, 2)).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { threadingLabel, threadingSentence } from './wasmThreading';

describe('the badge’s threading words', () => {
  it('count threads with the right plural', () => {
    expect(threadingLabel({ simd: true, threads: 4, crossOriginIsolated: true })).toBe('SIMD · 4 threads');
    expect(threadingLabel({ simd: true, threads: 1, crossOriginIsolated: false })).toBe('SIMD · 1 thread');
    expect(threadingLabel({ simd: false, threads: 1, crossOriginIsolated: false })).toBe(
      'no SIMD · 1 thread',
    );
  });

  it('say why wasm is single-threaded', () => {
    expect(threadingSentence({ simd: true, threads: 1, crossOriginIsolated: false })).toBe(
      'wasm runs with SIMD on 1 thread: the page is not cross-origin isolated, so threads are unavailable.',
    );
    expect(threadingSentence({ simd: true, threads: 1, crossOriginIsolated: true })).toBe(
      'wasm runs with SIMD on 1 thread (this machine offers one core).',
    );
    expect(threadingSentence({ simd: true, threads: 2, crossOriginIsolated: true })).toBe(
      'wasm runs with SIMD on 2 threads (the page is cross-origin isolated).',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { coresToReport, describeWasm, wasmThreadCount, wasmThreadPoolSize } from './wasmThreads';

describe('wasmThreadCount', () => {
  it('uses every logical core', () => {
    expect(wasmThreadCount(2)).toBe(2);
    expect(wasmThreadCount(6)).toBe(6);
  });

  it('stops at the binary’s pool of helper threads', () => {
    expect(wasmThreadPoolSize).toBe(8);
    expect(wasmThreadCount(8)).toBe(8);
    expect(wasmThreadCount(16)).toBe(8);
  });

  it('falls back to one thread when the browser does not say', () => {
    expect(wasmThreadCount(undefined)).toBe(1);
    expect(wasmThreadCount(0)).toBe(1);
    expect(wasmThreadCount(Number.NaN)).toBe(1);
    expect(wasmThreadCount(3.7)).toBe(3);
  });
});

describe('describeWasm', () => {
  it('says nothing about a wasm backend that never started', async () => {
    expect(await describeWasm()).toBeNull();
  });
});

describe('coresToReport', () => {
  it('lifts tfjs’s halving just enough for the asked threads', () => {
    // 2 logical cores: tfjs alone would allow 2 / 2 = 1 thread
    expect(coresToReport(2, 2)).toBe(4);
    expect(coresToReport(8, 16)).toBe(16);
    expect(coresToReport(1, 2)).toBe(2);
  });
});

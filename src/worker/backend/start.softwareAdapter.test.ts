// The race with a software WebGPU adapter (what headless Chromium without a GPU offers), in Node
// where no such adapter exists: the adapter probe and the measurements are stand-ins, the race's
// own logic (what it leaves out, what it tries when nothing else starts) is the code under test.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackendName } from '../../data/records';
import type { Measurement } from './measure';
import type { AdapterInfo } from './types';

const swiftshader: AdapterInfo = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: '',
  description: '',
  isSoftware: true,
};

/** Which backends start in this test: the rest fail their warm-up. */
const starting = new Set<BackendName>();
const measured: BackendName[] = [];

vi.mock('./adapter', () => ({ probeAdapter: async () => swiftshader }));
vi.mock('./wasmThreads', () => ({ describeWasm: async () => null }));
vi.mock('../../ml/tf', () => ({ setBackend: async () => true }));
vi.mock('./measure', () => ({
  checkBackend: async () => {
    throw new Error('an asked-for backend is not part of these tests');
  },
  measureBackend: async (backend: BackendName): Promise<Measurement> => {
    measured.push(backend);
    const attempt = starting.has(backend)
      ? { backend, ok: true, warmupMs: 50, firstRunMs: 400 }
      : { backend, ok: false, error: `${backend} does not start here` };
    return { attempt, started: false, settled: Promise.resolve() };
  },
}));

const { startBackend } = await import('./start');

describe('the race and a software WebGPU adapter', () => {
  afterEach(() => {
    starting.clear();
    measured.length = 0;
  });

  it('lists WebGPU as not raced and never measures it when wasm starts', async () => {
    starting.add('wasm').add('webgpu');
    const report = await startBackend('auto');
    expect(report.active).toBe('wasm');
    expect(measured).toEqual(['wasm', 'webgl']);
    expect(report.attempts.find((a) => a.backend === 'webgpu')).toEqual({
      backend: 'webgpu',
      ok: false,
      notRaced: true,
      notRacedWhy: 'a software adapter, emulated on the CPU: slower than wasm on the same CPU',
    });
    expect(report.reason).toContain('webgpu on a software adapter (swiftshader) not raced');
  });

  it('measures the software adapter after all when no raced backend starts, before the last resort', async () => {
    starting.add('webgpu').add('cpu');
    const report = await startBackend('auto');
    expect(measured).toEqual(['wasm', 'webgl', 'webgpu']);
    expect(report.active).toBe('webgpu');
    expect(report.attempts.map((a) => [a.backend, a.ok])).toEqual([
      ['wasm', false],
      ['webgl', false],
      ['webgpu', true],
      ['cpu', false],
    ]);
    expect(report.reason).toContain('WebGPU here is emulated on the CPU');
  });

  it('ends on the last resort when the software adapter does not start either', async () => {
    starting.add('cpu');
    const report = await startBackend('auto');
    expect(measured).toEqual(['wasm', 'webgl', 'webgpu', 'cpu']);
    expect(report.active).toBe('cpu');
  });
});

// The backend race's decision is pure (measured attempts in, winner and words out), so it is
// tested here without a browser; the warm-up itself runs for real on tfjs's cpu backend, which
// Node has (webgpu and webgl do not exist here, so 'auto' ends on the last resort).
import { fileURLToPath } from 'node:url';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../ml/tf';
import {
  candidates,
  describeBackend,
  measureBackend,
  pickFastest,
  preferenceReason,
  raceReason,
  releaseBackend,
  startBackend,
  warmUpShape,
} from './backend';
import type { AdapterInfo, BackendAttempt } from './protocol';

const swiftshader: AdapterInfo = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: '',
  description: '',
  isSoftware: true,
};
const nvidia: AdapterInfo = {
  vendor: 'nvidia',
  architecture: 'ampere',
  device: '',
  description: '',
  isSoftware: false,
};

const measured = (backend: BackendAttempt['backend'], warmupMs: number): BackendAttempt => ({
  backend,
  ok: true,
  warmupMs,
  firstRunMs: warmupMs * 3,
});
const failed = (backend: BackendAttempt['backend'], error: string): BackendAttempt => ({
  backend,
  ok: false,
  error,
});
const tooSlow = (backend: BackendAttempt['backend'], firstRunMs?: number): BackendAttempt => ({
  backend,
  ok: false,
  firstRunMs,
  tooSlowAfterMs: 2000,
  tooSlowIn: firstRunMs === undefined ? 'first run' : 'timed runs',
  error: 'too slow',
});
const notRaced: BackendAttempt = { backend: 'cpu', ok: false, notRaced: true };

describe('the race picks the fastest measured backend', () => {
  it('takes the lowest warm-up time, whatever the order', () => {
    const attempts = [measured('webgpu', 310), measured('webgl', 95), measured('wasm', 40), notRaced];
    expect(pickFastest(attempts)?.backend).toBe('wasm');
    expect(pickFastest([measured('webgpu', 4), measured('webgl', 9), measured('wasm', 40)])?.backend).toBe(
      'webgpu',
    );
  });

  it('breaks a tie by the usual order', () => {
    expect(pickFastest([measured('wasm', 20), measured('webgl', 20)])?.backend).toBe('webgl');
  });

  it('never picks a failed backend or one that ran past the cap while another was measured', () => {
    const attempts = [
      failed('webgpu', 'this browser exposes no WebGPU adapter'),
      tooSlow('webgl', 100),
      measured('wasm', 1500),
    ];
    expect(pickFastest(attempts)?.backend).toBe('wasm');
  });

  it('with nothing under the cap, takes the too-slow backend whose first run ended soonest', () => {
    expect(pickFastest([tooSlow('webgpu'), tooSlow('webgl', 1900), tooSlow('wasm', 800)])?.backend).toBe(
      'wasm',
    );
    expect(pickFastest([tooSlow('webgpu'), tooSlow('wasm')])?.backend).toBe('webgpu');
  });

  it('has no winner when nothing started (cpu, the last resort, comes next)', () => {
    expect(pickFastest([failed('webgpu', 'no adapter'), failed('wasm', 'no wasm')])).toBeNull();
    expect(pickFastest([])).toBeNull();
  });
});

describe('the reason says why the winner won', () => {
  it('names every measured time and the software adapter as software', () => {
    const attempts = [measured('webgpu', 310), measured('webgl', 95), measured('wasm', 40), notRaced];
    expect(raceReason(attempts[2], attempts, swiftshader)).toBe(
      'wasm: the fastest warm-up, 40 ms (webgpu on a software adapter (swiftshader) 310 ms, webgl 95 ms).',
    );
  });

  it('names a real GPU as a GPU', () => {
    const attempts = [measured('webgpu', 3.25), measured('webgl', 12), measured('wasm', 40)];
    expect(raceReason(attempts[0], attempts, nvidia)).toBe(
      'webgpu on the GPU nvidia ampere: the fastest warm-up, 3.3 ms (webgl 12 ms, wasm 40 ms).',
    );
  });

  it('says when the software adapter itself won, and that it is emulated', () => {
    const attempts = [measured('webgpu', 30), failed('webgl', 'no context'), measured('wasm', 45)];
    expect(raceReason(attempts[0], attempts, swiftshader)).toBe(
      'webgpu on a software adapter (swiftshader): the fastest warm-up, 30 ms (webgl failed: no context, wasm 45 ms). WebGPU here is emulated on the CPU.',
    );
  });

  it('names failures and the cap', () => {
    const attempts = [
      failed('webgpu', 'this browser exposes no WebGPU adapter'),
      tooSlow('webgl'),
      measured('wasm', 40),
    ];
    expect(raceReason(attempts[2], attempts, null)).toBe(
      'wasm: the only backend to finish the warm-up, 40 ms (webgpu failed: this browser exposes no WebGPU adapter, webgl too slow: > 2000 ms to compile and run once).',
    );
  });

  it('explains a too-slow winner and the last resort', () => {
    const slow = [tooSlow('webgl', 1900), tooSlow('wasm', 800)];
    expect(raceReason(slow[1], slow, null)).toBe(
      'wasm: no backend finished the warm-up within 2000 ms, its first run took 800 ms (webgl too slow: > 2000 ms for the timed runs).',
    );
    const cpu = measured('cpu', 900);
    const all = [
      failed('webgpu', 'no adapter'),
      failed('webgl', 'no context'),
      failed('wasm', 'no wasm'),
      cpu,
    ];
    expect(raceReason(cpu, all, null)).toBe(
      'cpu, the last resort: no faster backend started (webgpu failed: no adapter, webgl failed: no context, wasm failed: no wasm). Its warm-up took 900 ms.',
    );
  });
});

describe('an explicit preference skips the race', () => {
  it('tries the asked backend first, then the usual order, minus the excluded', () => {
    expect(candidates('wasm', [])).toEqual(['wasm', 'webgpu', 'webgl', 'cpu']);
    expect(candidates('webgpu', ['webgpu'])).toEqual(['webgl', 'wasm', 'cpu']);
  });

  it('says the asked backend runs, or why it did not', () => {
    const asked: BackendAttempt = { backend: 'webgpu', ok: true, checkMs: 12 };
    expect(preferenceReason('webgpu', asked, [asked], swiftshader)).toBe(
      'webgpu on a software adapter (swiftshader), as you asked (not raced). WebGPU here is emulated on the CPU.',
    );
    const fallback: BackendAttempt = { backend: 'webgl', ok: true, checkMs: 3 };
    const attempts = [failed('webgpu', 'this browser exposes no WebGPU adapter'), fallback];
    expect(preferenceReason('webgpu', fallback, attempts, null)).toBe(
      'webgl: you asked for webgpu, but webgpu failed: this browser exposes no WebGPU adapter.',
    );
    // after a lost GPU device the asked webgpu is excluded, so it has no attempt
    expect(preferenceReason('webgpu', fallback, [fallback], null)).toBe(
      'webgl: you asked for webgpu, but webgpu is unavailable.',
    );
  });

  it('describes backends without an adapter plainly', () => {
    expect(describeBackend('wasm', swiftshader)).toBe('wasm');
    expect(describeBackend('webgpu', { ...swiftshader, architecture: '', isSoftware: true })).toBe(
      'webgpu on a software adapter (fallback)',
    );
  });
});

describe('the warm-up, for real on the cpu and wasm backends', () => {
  let previous: string;
  beforeAll(async () => {
    // the page serves the wasm binaries from its own origin; in Node they are files
    const dist = (name: string) =>
      fileURLToPath(
        new URL(`../../node_modules/@tensorflow/tfjs-backend-wasm/dist/${name}`, import.meta.url),
      );
    setWasmPaths({
      'tfjs-backend-wasm.wasm': dist('tfjs-backend-wasm.wasm'),
      'tfjs-backend-wasm-simd.wasm': dist('tfjs-backend-wasm-simd.wasm'),
      'tfjs-backend-wasm-threaded-simd.wasm': dist('tfjs-backend-wasm-threaded-simd.wasm'),
    });
    expect(await tf.setBackend('cpu')).toBe(true);
    previous = tf.getBackend();
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  const small = { rows: 64, dim: 8, batch: 16 };

  it('computes the reference loss at full size, times it, and leaks no tensor', async () => {
    const before = tf.memory().numTensors;
    const { attempt, settled } = await measureBackend('cpu', { capMs: null, shape: warmUpShape });
    await settled;
    expect(attempt).toMatchObject({ backend: 'cpu', ok: true });
    expect(attempt.error).toBeUndefined();
    expect(attempt.warmupMs).toBeGreaterThan(0);
    expect(attempt.firstRunMs).toBeGreaterThanOrEqual(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a backend past the cap loses as too slow, and its abandoned run still disposes everything', async () => {
    const before = tf.memory().numTensors;
    const { attempt, settled } = await measureBackend('cpu', { capMs: 0, shape: warmUpShape });
    expect(attempt).toMatchObject({
      backend: 'cpu',
      ok: false,
      tooSlowAfterMs: 0,
      tooSlowIn: 'first run',
      error: 'too slow: > 0 ms to compile and run once',
    });
    expect(attempt.warmupMs).toBeUndefined();
    await settled;
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a backend within the cap is measured, with its first run and the best timed run', async () => {
    const { attempt } = await measureBackend('cpu', { capMs: 60_000, shape: small, timedRuns: 3 });
    expect(attempt).toMatchObject({ backend: 'cpu', ok: true });
    expect(attempt.tooSlowAfterMs).toBeUndefined();
    expect(attempt.warmupMs).toBeGreaterThan(0);
  });

  it('a backend tfjs does not have fails with the reason', async () => {
    const { attempt, started } = await measureBackend('webgl', { capMs: 2000, shape: small });
    expect(started).toBe(false);
    expect(attempt.ok).toBe(false);
    expect(attempt.error).toMatch(/webgl/);
    await tf.setBackend('cpu');
  });

  it("'auto' with no GPU backend and wasm excluded ends on cpu, the last resort, and says so", async () => {
    const report = await startBackend('auto', ['wasm']);
    expect(report.active).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(report.attempts.map((a) => a.backend)).toEqual(['webgl', 'webgpu', 'cpu']);
    expect(report.attempts[1].error).toBe('this browser exposes no WebGPU adapter');
    expect(report.attempts[2]).toMatchObject({ ok: true });
    expect(report.reason).toMatch(
      /^cpu, the last resort: no faster backend started \(webgl failed: .*, webgpu failed: this browser exposes no WebGPU adapter\)\. Its warm-up took .* ms\.$/,
    );
  });

  it("'auto' in Node races wasm (the GPU backends fail) and runs it; cpu is not raced", async () => {
    const report = await startBackend('auto');
    expect(report.active).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(report.attempts.map((a) => [a.backend, a.ok])).toEqual([
      ['wasm', true],
      ['webgl', false],
      ['webgpu', false],
      ['cpu', false],
    ]);
    expect(report.attempts[3].notRaced).toBe(true);
    expect(report.reason).toMatch(
      /^wasm: the only backend to finish the warm-up, [\d.]+ ms \(webgl failed: .*, webgpu failed: this browser exposes no WebGPU adapter\)\.$/,
    );
    await tf.setBackend('cpu');
  });

  it('a released backend is disposed, and can be started again', async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    const before = tf.engine().registry.wasm;
    await tf.setBackend('cpu');
    releaseBackend('wasm');
    expect(tf.engine().registry.wasm).toBeUndefined();
    expect(tf.findBackendFactory('wasm')).not.toBeNull();
    const { attempt } = await measureBackend('wasm', { capMs: null, shape: small });
    expect(attempt.ok).toBe(true);
    expect(tf.engine().registry.wasm).toBeDefined();
    expect(tf.engine().registry.wasm).not.toBe(before);
    await tf.setBackend('cpu');
  });

  it('a backend that still holds a tensor, or is active, is not released', async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    const kept = tf.ones([2]);
    releaseBackend('wasm');
    expect(tf.engine().registry.wasm).toBeDefined();
    await tf.setBackend('cpu');
    releaseBackend('wasm');
    expect(tf.engine().registry.wasm).toBeDefined();
    expect(Array.from(await kept.data())).toEqual([1, 1]);
    kept.dispose();
  });

  it('an explicit preference runs that backend without racing the others', async () => {
    const report = await startBackend('cpu');
    expect(report.active).toBe('cpu');
    expect(report.attempts.map((a) => a.backend)).toEqual(['cpu']);
    expect(report.attempts[0].checkMs).toBeGreaterThanOrEqual(0);
    expect(report.reason).toBe('cpu, as you asked (not raced).');
  });
});

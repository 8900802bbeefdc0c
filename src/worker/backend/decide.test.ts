// The backend race's decision is pure (measured attempts in, winner and words out), so it is
// tested here without a browser or tfjs.
import { describe, expect, it } from 'vitest';
import {
  candidates,
  describeBackend,
  notRacedBecause,
  pickFastest,
  preferenceReason,
  raceReason,
  rememberedReason,
} from './decide';
import type { AdapterInfo, BackendAttempt } from './types';

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

describe('what the race leaves out before it starts', () => {
  it('leaves out WebGPU on a software adapter, and nothing else', () => {
    expect(notRacedBecause('webgpu', swiftshader)).toBe(
      'a software adapter, emulated on the CPU: slower than wasm on the same CPU',
    );
    expect(notRacedBecause('webgpu', nvidia)).toBeNull();
    expect(notRacedBecause('webgpu', null)).toBeNull();
    expect(notRacedBecause('wasm', swiftshader)).toBeNull();
    expect(notRacedBecause('webgl', swiftshader)).toBeNull();
  });

  it('names the software adapter left out, and why, but not the last resort', () => {
    const softwareWebgpu: BackendAttempt = {
      backend: 'webgpu',
      ok: false,
      notRaced: true,
      notRacedWhy: notRacedBecause('webgpu', swiftshader)!,
    };
    const attempts = [measured('wasm', 40), measured('webgl', 95), softwareWebgpu, notRaced];
    expect(raceReason(attempts[0], attempts, swiftshader)).toBe(
      'wasm: the fastest warm-up, 40 ms (webgl 95 ms, webgpu on a software adapter (swiftshader) not raced (a software adapter, emulated on the CPU: slower than wasm on the same CPU)).',
    );
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

describe('a remembered race', () => {
  it("keeps the race's sentence and says the day it was measured", () => {
    expect(rememberedReason('wasm: the fastest warm-up, 12 ms.', Date.UTC(2026, 11, 1, 23, 59))).toBe(
      'wasm: the fastest warm-up, 12 ms. Measured on this device on 2026-12-01 and remembered: not raced again until you ask.',
    );
  });
});

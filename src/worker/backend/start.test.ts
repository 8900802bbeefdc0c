// Starting a backend for real in Node (see testBackends.ts): webgpu and webgl do not exist here,
// so 'auto' races wasm alone, and with wasm excluded ends on cpu, the last resort.
//
// The race's 2 s cap is real time, and a loaded CI machine (the whole suite, other jobs) has run
// wasm's warm-up past it, turning "wasm wins" into "nothing fast enough" by chance. These tests are
// about which backend starts and what the report says, so the cap here is one no machine misses;
// the cap itself is tested with 0 ms and 60 s caps in measure.test.ts, and its decisions in
// decide.test.ts.
import { describe, expect, it, vi } from 'vitest';
import * as tf from '../../ml/tf';
import { measureBackend } from './measure';
import { releaseBackend, startBackend, startRememberedOrRace } from './start';
import { useNodeBackends } from './testBackends';

vi.mock('./decide', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./decide')>()),
  raceCapMs: 60_000, // the test's own time limit: past it the test fails anyway
}));

describe('starting and releasing backends, for real on cpu and wasm', () => {
  useNodeBackends();
  const small = { rows: 64, dim: 8, batch: 16 };

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

  it('a remembered race starts its winner without racing, and says when it was measured', async () => {
    const measured = await startBackend('auto');
    await tf.setBackend('cpu');
    const { report, raced } = await startRememberedOrRace({
      report: measured,
      measuredAt: Date.UTC(2026, 0, 2),
    });
    expect(raced).toBe(false);
    expect(report.active).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    // the badge shows the remembered race's times, not a new race
    expect(report.attempts).toEqual(measured.attempts);
    expect(report.reason).toBe(
      `${measured.reason} Measured on this device on 2026-01-02 and remembered: not raced again until you ask.`,
    );
    await tf.setBackend('cpu');
  });

  it('races again when the remembered winner no longer starts, or there is none', async () => {
    const gone = { active: 'webgpu' as const, reason: 'webgpu: the fastest', adapter: null, attempts: [] };
    const again = await startRememberedOrRace({ report: gone, measuredAt: 0 });
    expect(again.raced).toBe(true);
    expect(again.report.active).toBe('wasm');
    expect(again.report.reason).toMatch(/^wasm: the only backend to finish the warm-up/);
    const fresh = await startRememberedOrRace(null, ['wasm']);
    expect(fresh).toMatchObject({ raced: true, report: { active: 'cpu' } });
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

  it('an explicit preference that cannot run falls back in order, probing the adapter the same way', async () => {
    const report = await startBackend('webgpu');
    expect(report.active).toBe('wasm');
    expect(report.adapter).toBeNull();
    expect(report.attempts.map((a) => [a.backend, a.ok])).toEqual([
      ['webgpu', false],
      ['webgl', false],
      ['wasm', true],
    ]);
    expect(report.attempts[0].error).toBe('this browser exposes no WebGPU adapter');
    expect(report.reason).toMatch(
      /^wasm: you asked for webgpu, but webgpu failed: this browser exposes no WebGPU adapter; then webgl failed: .*\.$/,
    );
    await tf.setBackend('cpu');
  });

  it('with nothing that can start, both paths say what each backend did', async () => {
    await expect(startBackend('auto', ['wasm', 'cpu'])).rejects.toThrow(
      /^no tfjs backend could start: webgl failed: .*; webgpu failed: this browser exposes no WebGPU adapter$/,
    );
    await expect(startBackend('webgl', ['wasm', 'cpu'])).rejects.toThrow(
      /^no tfjs backend could start: webgl failed: .*; webgpu failed: this browser exposes no WebGPU adapter$/,
    );
    await tf.setBackend('cpu');
  });
});

// The warm-up measured for real on tfjs's cpu backend in Node (see testBackends.ts).
import { describe, expect, it } from 'vitest';
import * as tf from '../../ml/tf';
import { measureBackend } from './measure';
import { useNodeBackends } from './testBackends';
import { warmUpShape } from './warmUp';

describe('measuring a backend, for real on the cpu backend', () => {
  useNodeBackends();
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
});

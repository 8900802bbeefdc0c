// Measuring one backend: the race's capped warm-up (measureBackend) and, for an asked-for
// backend, the check that it computes at all (checkBackend). Both leave it the active backend.
import './registerBackends';
import type { BackendName } from '../../data/records';
import { registerTrainingKernels } from '../../ml/kernels';
import * as tf from '../../ml/tf';
import { tooSlowText } from './decide';
import type { BackendAttempt } from './types';
import { reference, runStep, warmUpShape, type WarmUpShape } from './warmUp';

/** Timed runs after the untimed, compiling one in the race; the best counts (one run may be disturbed). */
const defaultTimedRuns = 2;

export interface Measurement {
  attempt: BackendAttempt;
  /** whether tfjs initialised the backend (so it holds resources until released) */
  started: boolean;
  /** settles when the warm-up has stopped and disposed its tensors (later than `attempt` when it ran past the cap) */
  settled: Promise<void>;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** tf.setBackend, timed: how long tfjs took to start it, or the failed attempt. */
async function startTimed(backend: BackendName): Promise<{ startMs: number } | { failed: BackendAttempt }> {
  const beganAt = performance.now();
  try {
    if (!(await tf.setBackend(backend))) throw new Error(`tfjs could not initialise ${backend}`);
    await tf.ready();
  } catch (error) {
    return { failed: { backend, ok: false, error: errorText(error) } };
  }
  return { startMs: performance.now() - beganAt };
}

export interface MeasureOptions {
  /** a backend whose first run, or whose timed runs together, take more than this loses; null: no cap */
  capMs: number | null;
  /** timed runs after the untimed first one; the best counts */
  timedRuns?: number;
  shape?: WarmUpShape;
}

/**
 * Starts `backend`, makes it the active one, and times the warm-up on it. With a cap, a backend
 * loses as "too slow" when its first run (which compiles the kernels) takes more than `capMs`, or
 * its timed runs together do: kernel compilation is paid once, so a GPU that compiles slowly but
 * trains fast is not turned away, while a software one (SwiftShader compiles for many seconds)
 * still costs the race no more than `capMs`. Checked after every run (wasm and cpu compute
 * synchronously, so no timer can fire during one of their runs) and by a timer during each run
 * (a GPU run waits on its device, which may take long). Only the backend's own runs count, not
 * the gaps between them, where other work in the worker may run. A too-slow warm-up is
 * abandoned: it issues no further step and disposes its tensors when the current one returns
 * (`settled`). tfjs's own start-up is not capped (a pending tf.setBackend cannot be abandoned
 * safely) but is reported.
 */
export async function measureBackend(backend: BackendName, options: MeasureOptions): Promise<Measurement> {
  const { capMs } = options;
  const shape = options.shape ?? warmUpShape;
  const timedRuns = options.timedRuns ?? defaultTimedRuns;
  // the warm-up differentiates gather: wasm and cpu need the fixed UnsortedSegmentSum kernel
  registerTrainingKernels();
  const started = await startTimed(backend);
  if ('failed' in started) return { attempt: started.failed, started: false, settled: Promise.resolve() };
  const { startMs } = started;
  const { data, loss } = reference(shape);
  let abandoned = false;
  /** milliseconds of the current phase's runs: the first run, then the timed runs */
  let spentMs = 0;
  let firstRunMs: number | undefined;
  let phase: 'first run' | 'timed runs' = 'first run';
  const tooSlow = (): BackendAttempt => ({
    backend,
    ok: false,
    startMs,
    firstRunMs,
    tooSlowAfterMs: capMs ?? undefined,
    tooSlowIn: phase,
    error: tooSlowText(capMs ?? 0, phase),
  });
  let giveUp: (attempt: BackendAttempt) => void = () => {};
  const timedOut = new Promise<BackendAttempt>((resolve) => (giveUp = resolve));
  const overCap = () => abandoned || (capMs !== null && spentMs > capMs);

  const work = (async (): Promise<BackendAttempt> => {
    const inputs = [
      tf.tensor2d(data.table, [shape.rows, shape.dim]),
      tf.tensor2d(data.dense, [shape.dim, shape.dim]),
      tf.tensor1d(data.users, 'int32'),
      tf.tensor1d(data.items, 'int32'),
    ];
    /** one step, timed; its time counts against the cap */
    const run = async (): Promise<number> => {
      const runAt = performance.now();
      const timer =
        capMs === null
          ? undefined
          : setTimeout(
              () => {
                abandoned = true;
                giveUp(tooSlow());
              },
              Math.max(0, capMs - spentMs),
            );
      try {
        await runStep(inputs, loss);
      } finally {
        clearTimeout(timer);
      }
      const took = performance.now() - runAt;
      spentMs += took;
      return took;
    };
    try {
      firstRunMs = await run();
      if (overCap()) return tooSlow();
      phase = 'timed runs';
      spentMs = 0;
      let best = Infinity;
      for (let i = 0; i < timedRuns; i++) {
        best = Math.min(best, await run());
        if (overCap()) return tooSlow();
      }
      return { backend, ok: true, warmupMs: best, firstRunMs, startMs };
    } finally {
      tf.dispose(inputs);
    }
  })();
  const settled = work.then(
    () => undefined,
    () => undefined,
  );
  const finished = work.catch((error: unknown): BackendAttempt => ({
    backend,
    ok: false,
    startMs,
    firstRunMs,
    error: errorText(error),
  }));
  const attempt = await Promise.race([finished, timedOut]);
  return { attempt, started: true, settled };
}

/**
 * For an asked-for backend: starts it and proves it computes with a small matmul, read back.
 * No race, so no training step to time: its first run alone compiles some thirty kernels, which
 * takes many seconds on a software adapter.
 */
export async function checkBackend(backend: BackendName): Promise<Measurement> {
  const started = await startTimed(backend);
  if ('failed' in started) return { attempt: started.failed, started: false, settled: Promise.resolve() };
  const checkAt = performance.now();
  const product = tf.tidy(() => tf.matMul(tf.ones([128, 128]), tf.ones([128, 128])));
  let attempt: BackendAttempt;
  try {
    const values = await product.data();
    if (values[0] !== 128) throw new Error(`the check matmul returned ${values[0]}, expected 128`);
    attempt = { backend, ok: true, checkMs: performance.now() - checkAt, startMs: started.startMs };
  } catch (error) {
    attempt = { backend, ok: false, startMs: started.startMs, error: errorText(error) };
  } finally {
    product.dispose();
  }
  return { attempt, started: true, settled: Promise.resolve() };
}

// Picks and starts the tfjs backend inside the worker, and says why.
//
// 'auto' is a measured race, not an order of preference: every backend that can start here
// (wasm, webgl, and webgpu when the browser offers an adapter) runs the same short warm-up — one
// training step of a small embedding model: gather rows from a table, two matmuls, a reduction,
// the gradients and an update, read back with the async data() — once untimed (it compiles the
// kernels), then timed. The fastest wins. A backend whose first run, or whose timed runs, take
// more than `raceCapMs` loses as "too slow". cpu is only the last resort (it is always the
// slowest), measured only when nothing else started. Feature detection alone is not enough: with
// no GPU, Chromium's WebGPU is SwiftShader — a software adapter — and trains several times slower
// than wasm on the same CPU.
//
// An explicit preference (settings, or ?backend= in the URL) skips the race: that backend runs if
// it starts and passes a check matmul, otherwise the next in `backendOrder`.
//
// The report carries each backend's measured time and the adapter's own description, so a
// software adapter is named as such rather than passed off as a GPU.
import * as tf from '../ml/tf';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerTrainingKernels } from '../ml/kernels';
import type { AdapterInfo, BackendAttempt, BackendName, BackendPreference, BackendReport } from './protocol';

/** The fallback order for an explicit preference (and the order the race lists its entrants). */
export const backendOrder: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
/**
 * Raced under 'auto', in this order. cpu is not: it is the last resort. The GPU backends go last:
 * on a software adapter their shader compilation runs on in the GPU process after they are given
 * up, and would slow down whichever backend came next (it made WebGL take 15 s just to start).
 */
export const racedBackends: readonly BackendName[] = ['wasm', 'webgl', 'webgpu'];
const lastResort: BackendName = 'cpu';
/** A raced backend whose first (compiling) run, or whose timed runs together, take longer loses. */
export const raceCapMs = 2000;
/** Timed runs after the untimed, compiling one in the race; the best counts (one run may be disturbed). */
const defaultTimedRuns = 2;

// The wasm binaries are served from our own origin (the CSP forbids anything else).
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

export async function describeAdapter(): Promise<AdapterInfo | null> {
  const gpu = (globalThis.navigator as (Navigator & { gpu?: GPU }) | undefined)?.gpu;
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter();
  if (!adapter) return null;
  const info = adapter.info;
  const architecture = info?.architecture ?? '';
  const isFallback =
    (info as GPUAdapterInfo & { isFallbackAdapter?: boolean })?.isFallbackAdapter ??
    (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter ??
    false;
  return {
    vendor: info?.vendor ?? '',
    architecture,
    device: info?.device ?? '',
    description: info?.description ?? '',
    isSoftware: isFallback || /swiftshader/i.test(`${architecture} ${info?.description ?? ''}`),
  };
}

// ---------------------------------------------------------------------------------------------
// The warm-up workload

/** Sizes of the warm-up's embedding model: big enough that a real GPU shows its speed. */
export interface WarmUpShape {
  /** rows of the embedding table */
  rows: number;
  /** embedding width */
  dim: number;
  /** users (and their in-batch positive items) per step */
  batch: number;
}

export const warmUpShape: WarmUpShape = { rows: 4096, dim: 64, batch: 512 };

interface WarmUpData {
  table: Float32Array;
  dense: Float32Array;
  users: Int32Array;
  items: Int32Array;
}

/** Deterministic inputs: the same on every backend, so the loss can be checked. */
function warmUpData({ rows, dim, batch }: WarmUpShape): WarmUpData {
  const table = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++)
    for (let d = 0; d < dim; d++) table[r * dim + d] = 0.3 * Math.sin(r * 0.37 + d * 1.31);
  const dense = new Float32Array(dim * dim);
  for (let d = 0; d < dim; d++)
    for (let e = 0; e < dim; e++)
      dense[d * dim + e] = 0.25 * Math.cos(d * 0.71 - e * 0.53) + (d === e ? 0.5 : 0);
  const users = Int32Array.from({ length: batch }, (_, k) => (k * 7919) % rows);
  const items = Int32Array.from({ length: batch }, (_, k) => (k * 104729 + (rows >> 1)) % rows);
  return { table, dense, users, items };
}

/**
 * The warm-up's loss, computed in plain JavaScript (float64): in-batch softmax over
 * relu(user · dense) · item, each user's own item the positive. A backend's loss must match it.
 */
export function referenceLoss(data: WarmUpData, { dim, batch }: WarmUpShape): number {
  const { table, dense, users, items } = data;
  const hidden = new Float64Array(batch * dim);
  for (let k = 0; k < batch; k++) {
    const u = users[k] * dim;
    for (let e = 0; e < dim; e++) {
      let sum = 0;
      for (let d = 0; d < dim; d++) sum += table[u + d] * dense[d * dim + e];
      hidden[k * dim + e] = Math.max(0, sum);
    }
  }
  const logits = new Float64Array(batch);
  let total = 0;
  for (let k = 0; k < batch; k++) {
    let max = -Infinity;
    for (let j = 0; j < batch; j++) {
      const i = items[j] * dim;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += hidden[k * dim + d] * table[i + d];
      logits[j] = dot;
      if (dot > max) max = dot;
    }
    let exps = 0;
    for (let j = 0; j < batch; j++) exps += Math.exp(logits[j] - max);
    total += max + Math.log(exps) - logits[k];
  }
  return total / batch;
}

let cachedReference: { shape: WarmUpShape; data: WarmUpData; loss: number } | null = null;

function reference(shape: WarmUpShape): { data: WarmUpData; loss: number } {
  if (cachedReference?.shape !== shape) {
    const data = warmUpData(shape);
    cachedReference = { shape, data, loss: referenceLoss(data, shape) };
  }
  return cachedReference;
}

/** One training step; the result is [loss, sum of the updated table, sum of the updated dense]. */
function trainingStep([table, dense, users, items]: tf.Tensor[]): tf.Tensor1D {
  return tf.tidy(() => {
    const lossAndGrads = tf.valueAndGrads((table: tf.Tensor, dense: tf.Tensor) => {
      const userRows = tf.gather(table, users);
      const itemRows = tf.gather(table, items);
      const hidden = tf.relu(tf.matMul(userRows, dense));
      const logits = tf.matMul(hidden, itemRows, false, true);
      const positives = tf.sum(tf.mul(hidden, itemRows), 1);
      return tf.mean(tf.sub(tf.logSumExp(logits, 1), positives));
    });
    const { value, grads } = lossAndGrads([table, dense]);
    const newTable = tf.sub(table, tf.mul(grads[0], 0.05));
    const newDense = tf.sub(dense, tf.mul(grads[1], 0.05));
    return tf.stack([value, tf.sum(newTable), tf.sum(newDense)]) as tf.Tensor1D;
  });
}

/** Runs one step and reads it back (async data(): dataSync breaks WebGPU in a worker). */
async function runStep(inputs: tf.Tensor[], expectedLoss: number): Promise<void> {
  const result = trainingStep(inputs);
  let values: Float32Array | Int32Array | Uint8Array;
  try {
    values = await result.data();
  } finally {
    result.dispose();
  }
  const [loss, tableSum, denseSum] = values;
  if (![loss, tableSum, denseSum].every(Number.isFinite))
    throw new Error(`the warm-up step returned ${[...values].join(', ')}`);
  if (Math.abs(loss - expectedLoss) > 1e-2 * Math.abs(expectedLoss))
    throw new Error(`the warm-up step's loss was ${loss}, expected ${expectedLoss.toFixed(4)}`);
}

interface Measurement {
  attempt: BackendAttempt;
  /** whether tfjs initialised the backend (so it holds resources until released) */
  started: boolean;
  /** settles when the warm-up has stopped and disposed its tensors (later than `attempt` when it ran past the cap) */
  settled: Promise<void>;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** tf.setBackend, timed; null when it started, else the failed attempt. */
async function start(backend: BackendName): Promise<{ startMs: number } | { failed: BackendAttempt }> {
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
  const started = await start(backend);
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
  const started = await start(backend);
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

/**
 * Disposes a backend tfjs has initialised but we no longer use (its GPU device's buffers or its
 * WebGL context, its wasm memory) and registers its factory again, so it can be started later
 * (after a lost GPU device, or when the lab asks for it): tf.removeBackend alone forgets the
 * factory. A backend still holding any tensor (someone else's) is left alone.
 */
export function releaseBackend(backend: BackendName): void {
  const engine = tf.engine();
  const instance = engine.registry[backend];
  const entry = engine.registryFactory[backend];
  if (!instance || !entry || tf.getBackend() === backend || instance.numDataIds() > 0) return;
  tf.removeBackend(backend);
  tf.registerBackend(backend, entry.factory, entry.priority);
}

// ---------------------------------------------------------------------------------------------
// The decision: pure functions over measured attempts (tested in backend.test.ts)

/** The backends to try for an explicit preference, in order: the asked one, then the rest. */
export function candidates(preference: BackendName, excluded: readonly BackendName[]): BackendName[] {
  return [preference, ...backendOrder.filter((b) => b !== preference)].filter((b) => !excluded.includes(b));
}

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

/** "webgpu on a software adapter (swiftshader)", "webgpu on the GPU nvidia ampere", "wasm". */
export function describeBackend(backend: BackendName, adapter: AdapterInfo | null): string {
  if (backend !== 'webgpu' || !adapter) return backend;
  if (adapter.isSoftware)
    return `webgpu on a software adapter (${adapter.architecture || adapter.description || 'fallback'})`;
  const gpu = [adapter.vendor, adapter.architecture, adapter.device].filter(Boolean).join(' ');
  return `webgpu on the GPU${gpu ? ` ${gpu}` : ''}`;
}

/** "too slow: > 2000 ms to compile and run once", "too slow: > 2000 ms for the timed runs" */
export function tooSlowText(capMs: number, phase?: BackendAttempt['tooSlowIn']): string {
  const part =
    phase === 'first run' ? ' to compile and run once' : phase === 'timed runs' ? ' for the timed runs' : '';
  return `too slow: > ${capMs} ms${part}`;
}

/** One attempt in words: "webgl 95 ms", "webgl too slow: > 2000 ms …", "webgpu failed: no adapter". */
export function describeAttempt(attempt: BackendAttempt, adapter: AdapterInfo | null): string {
  const name = describeBackend(attempt.backend, adapter);
  if (attempt.ok && attempt.warmupMs !== undefined) return `${name} ${ms(attempt.warmupMs)}`;
  if (attempt.notRaced) return `${name} not raced (the last resort)`;
  if (attempt.tooSlowAfterMs !== undefined)
    return `${name} ${tooSlowText(attempt.tooSlowAfterMs, attempt.tooSlowIn)}`;
  return `${name} failed: ${attempt.error ?? 'unknown error'}`;
}

/**
 * The race's winner: the measured attempt with the lowest warm-up time (ties go to the earlier
 * in `backendOrder`). With nothing measured, the raced backend that started but ran past the cap
 * and finished its first run soonest; null when nothing started at all (then cpu's turn comes).
 */
export function pickFastest(attempts: readonly BackendAttempt[]): BackendAttempt | null {
  const rank = (a: BackendAttempt) => backendOrder.indexOf(a.backend);
  const measured = attempts.filter((a) => a.ok && a.warmupMs !== undefined);
  if (measured.length > 0)
    return measured.reduce((best, a) =>
      a.warmupMs! < best.warmupMs! || (a.warmupMs === best.warmupMs && rank(a) < rank(best)) ? a : best,
    );
  const tooSlow = attempts.filter((a) => a.tooSlowAfterMs !== undefined);
  if (tooSlow.length === 0) return null;
  const first = (a: BackendAttempt) => a.firstRunMs ?? Infinity;
  return tooSlow.reduce((best, a) =>
    first(a) < first(best) || (first(a) === first(best) && rank(a) < rank(best)) ? a : best,
  );
}

/** Why the race's winner won, in words a shopper can read. */
export function raceReason(
  winner: BackendAttempt,
  attempts: readonly BackendAttempt[],
  adapter: AdapterInfo | null,
): string {
  const name = describeBackend(winner.backend, adapter);
  const others = attempts
    .filter((a) => a !== winner && !a.notRaced)
    .map((a) => describeAttempt(a, adapter))
    .join(', ');
  const rest = others ? ` (${others})` : '';
  const software =
    winner.backend === 'webgpu' && adapter?.isSoftware ? ' WebGPU here is emulated on the CPU.' : '';
  if (winner.backend === lastResort)
    return `${name}, the last resort: no faster backend started${rest}. Its warm-up took ${ms(winner.warmupMs ?? NaN)}.`;
  if (winner.tooSlowAfterMs !== undefined) {
    const first =
      winner.firstRunMs !== undefined ? `, its first run took ${ms(winner.firstRunMs)}` : ', first in order';
    return `${name}: no backend finished the warm-up within ${winner.tooSlowAfterMs} ms${first}${rest}.${software}`;
  }
  const measured = attempts.filter((a) => a.ok && a.warmupMs !== undefined).length;
  const won = measured > 1 ? 'the fastest warm-up' : 'the only backend to finish the warm-up';
  return `${name}: ${won}, ${ms(winner.warmupMs ?? NaN)}${rest}.${software}`;
}

/** Why an explicitly asked-for backend (or its fallback) runs. */
export function preferenceReason(
  preference: BackendName,
  winner: BackendAttempt,
  attempts: readonly BackendAttempt[],
  adapter: AdapterInfo | null,
): string {
  const name = describeBackend(winner.backend, adapter);
  const software =
    winner.backend === 'webgpu' && adapter?.isSoftware ? ' WebGPU here is emulated on the CPU.' : '';
  if (winner.backend === preference) return `${name}, as you asked (not raced).${software}`;
  const asked = attempts.find((a) => a.backend === preference);
  const why = asked ? describeAttempt(asked, adapter) : `${preference} is unavailable`;
  const failed = attempts
    .filter((a) => a !== winner && a !== asked && !a.ok)
    .map((a) => describeAttempt(a, adapter));
  const also = failed.length > 0 ? `; then ${failed.join(', ')}` : '';
  return `${name}: you asked for ${preference}, but ${why}${also}.${software}`;
}

// ---------------------------------------------------------------------------------------------
// Starting a backend

export async function startBackend(
  preference: BackendPreference,
  excluded: readonly BackendName[] = [],
): Promise<BackendReport> {
  const report = preference === 'auto' ? await race(excluded) : await preferred(preference, excluded);
  if (!(await tf.setBackend(report.active)))
    throw new Error(`tfjs could not switch back to ${report.active}`);
  return report;
}

async function race(excluded: readonly BackendName[]): Promise<BackendReport> {
  const attempts: BackendAttempt[] = [];
  const measurements: Measurement[] = [];
  let adapter: AdapterInfo | null = null;
  for (const backend of racedBackends.filter((b) => !excluded.includes(b))) {
    if (backend === 'webgpu') {
      adapter = await describeAdapter().catch(() => null);
      if (!adapter) {
        attempts.push({ backend, ok: false, error: 'this browser exposes no WebGPU adapter' });
        continue;
      }
    }
    const measurement = await measureBackend(backend, { capMs: raceCapMs });
    measurements.push(measurement);
    attempts.push(measurement.attempt);
  }
  let winner = pickFastest(attempts);
  if (!excluded.includes(lastResort)) {
    if (winner) attempts.push({ backend: lastResort, ok: false, notRaced: true });
    else {
      const measurement = await measureBackend(lastResort, { capMs: null, timedRuns: 1 });
      measurements.push(measurement);
      attempts.push(measurement.attempt);
      if (measurement.attempt.ok) winner = measurement.attempt;
    }
  }
  if (!winner) throw new Error(`no tfjs backend could start: ${describeAll(attempts, adapter)}`);
  releaseLosers(measurements, winner.backend);
  return { active: winner.backend, reason: raceReason(winner, attempts, adapter), adapter, attempts };
}

async function preferred(preference: BackendName, excluded: readonly BackendName[]): Promise<BackendReport> {
  const attempts: BackendAttempt[] = [];
  const measurements: Measurement[] = [];
  let adapter: AdapterInfo | null = null;
  for (const backend of candidates(preference, excluded)) {
    if (backend === 'webgpu') {
      adapter = await describeAdapter().catch(() => null);
      if (!adapter) {
        attempts.push({ backend, ok: false, error: 'this browser exposes no WebGPU adapter' });
        continue;
      }
    }
    const measurement = await checkBackend(backend);
    measurements.push(measurement);
    attempts.push(measurement.attempt);
    if (measurement.attempt.ok) {
      releaseLosers(measurements, backend);
      return {
        active: backend,
        reason: preferenceReason(preference, measurement.attempt, attempts, adapter),
        adapter,
        attempts,
      };
    }
  }
  throw new Error(`no tfjs backend could start: ${describeAll(attempts, adapter)}`);
}

const describeAll = (attempts: readonly BackendAttempt[], adapter: AdapterInfo | null) =>
  attempts.map((a) => describeAttempt(a, adapter)).join('; ');

/** Frees the backends that started but lost, once their warm-up has stopped; cpu stays (it is cheap). */
function releaseLosers(measurements: readonly Measurement[], winner: BackendName): void {
  for (const { attempt, started, settled } of measurements) {
    if (!started || attempt.backend === winner || attempt.backend === lastResort) continue;
    void settled.then(() => {
      try {
        releaseBackend(attempt.backend);
      } catch {
        // still registered and usable; it only keeps its memory
      }
    });
  }
}

/** Resolves when the WebGPU device behind tfjs is lost (driver reset, GPU removed). */
export function webgpuDeviceLost(): Promise<string> | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const backend = tf.backend() as unknown as { device?: GPUDevice };
  return backend.device
    ? backend.device.lost.then((info) => info.message || info.reason || 'device lost')
    : null;
}

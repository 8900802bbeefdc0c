// Picks and starts the tfjs backend inside a worker, and says why.
//
// 'auto' is a measured race, not an order of preference: every backend that can start here
// (wasm, webgl, and webgpu when the browser offers a hardware adapter) runs the same short warm-up
// (warmUp.ts) once untimed (it compiles the kernels), then timed. The fastest wins (decide.ts).
// A backend whose first run, or whose timed runs, take more than `raceCapMs` loses as "too slow".
// cpu is only the last resort (it is always the slowest), measured only when nothing else
// started. Feature detection alone is not enough: with no GPU, Chromium's WebGPU is SwiftShader
// — a software adapter — and trains several times slower than wasm on the same CPU.
//
// An explicit preference (settings, or ?backend= in the URL) skips the race: that backend runs if
// it starts and passes a check matmul, otherwise the next in `backendOrder`.
//
// The report carries each backend's measured time and the adapter's own description, so a
// software adapter is named as such rather than passed off as a GPU.
import type { BackendName, BackendPreference } from '../../data/records';
import * as tf from '../../ml/tf';
import { probeAdapter } from './adapter';
import {
  candidates,
  describeAll,
  lastResort,
  notRacedBecause,
  pickFastest,
  preferenceReason,
  raceCapMs,
  raceReason,
  racedBackends,
  rememberedReason,
} from './decide';
import { checkBackend, measureBackend, type Measurement } from './measure';
import type { AdapterInfo, BackendAttempt, BackendReport } from './types';
import { describeWasm } from './wasmThreads';

export async function startBackend(
  preference: BackendPreference,
  excluded: readonly BackendName[] = [],
): Promise<BackendReport> {
  const report = preference === 'auto' ? await race(excluded) : await preferred(preference, excluded);
  if (!(await tf.setBackend(report.active)))
    throw new Error(`tfjs could not switch back to ${report.active}`);
  const wasm = await describeWasm();
  return wasm ? { ...report, wasm } : report;
}

/** A race measured on this device before (data/settings.ts keeps it), and when. */
export interface RememberedRace {
  report: BackendReport;
  measuredAt: number;
}

/**
 * 'auto' on a device that has raced before: the remembered winner starts after a check (a small
 * matmul, no race), and the report is the remembered race's, with a reason that says when it ran.
 * Races (`raced: true`, for the caller to remember) when nothing is remembered, or when the
 * remembered winner is excluded or no longer starts here (a driver update, a GPU removed).
 */
export async function startRememberedOrRace(
  remembered: RememberedRace | null,
  excluded: readonly BackendName[] = [],
): Promise<{ report: BackendReport; raced: boolean }> {
  const backend = remembered?.report.active;
  if (remembered && backend && !excluded.includes(backend)) {
    const { attempt } = await checkBackend(backend);
    if (attempt.ok && (await tf.setBackend(backend))) {
      const reason = rememberedReason(remembered.report.reason, remembered.measuredAt);
      return { report: { ...remembered.report, reason }, raced: false };
    }
  }
  return { report: await startBackend('auto', excluded), raced: true };
}

interface Tried {
  attempts: BackendAttempt[];
  measurements: Measurement[];
  adapter: AdapterInfo | null;
}

/**
 * Measures `backends` in order until `enough` says so. webgpu is measured only when the browser
 * offers an adapter; without one it is a failed attempt that says so. In a race (`skip`), a
 * backend `notRacedBecause` names is listed as not raced instead of measured.
 */
async function tryInOrder(
  backends: readonly BackendName[],
  measure: (backend: BackendName) => Promise<Measurement>,
  options: { enough?: (attempt: BackendAttempt) => boolean; skip?: boolean } = {},
): Promise<Tried> {
  const { enough = () => false, skip = false } = options;
  const tried: Tried = { attempts: [], measurements: [], adapter: null };
  for (const backend of backends) {
    if (backend === 'webgpu') {
      tried.adapter = await probeAdapter();
      if (!tried.adapter) {
        tried.attempts.push({ backend, ok: false, error: 'this browser exposes no WebGPU adapter' });
        continue;
      }
    }
    const why = skip ? notRacedBecause(backend, tried.adapter) : null;
    if (why) {
      tried.attempts.push({ backend, ok: false, notRaced: true, notRacedWhy: why });
      continue;
    }
    const measurement = await measure(backend);
    tried.measurements.push(measurement);
    tried.attempts.push(measurement.attempt);
    if (enough(measurement.attempt)) break;
  }
  return tried;
}

async function race(excluded: readonly BackendName[]): Promise<BackendReport> {
  const measureRaced = (backend: BackendName) => measureBackend(backend, { capMs: raceCapMs });
  const { attempts, measurements, adapter } = await tryInOrder(
    racedBackends.filter((b) => !excluded.includes(b)),
    measureRaced,
    { skip: true },
  );
  let winner = pickFastest(attempts);
  // a backend left out of the race still beats the last resort when nothing else started
  for (const [index, skipped] of attempts.entries()) {
    if (winner || !skipped.notRaced) continue;
    const measurement = await measureRaced(skipped.backend);
    measurements.push(measurement);
    attempts[index] = measurement.attempt;
    winner = pickFastest(attempts);
  }
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
  const { attempts, measurements, adapter } = await tryInOrder(
    candidates(preference, excluded),
    checkBackend,
    { enough: (attempt) => attempt.ok },
  );
  const winner = attempts.find((a) => a.ok);
  if (!winner) throw new Error(`no tfjs backend could start: ${describeAll(attempts, adapter)}`);
  releaseLosers(measurements, winner.backend);
  return {
    active: winner.backend,
    reason: preferenceReason(preference, winner, attempts, adapter),
    adapter,
    attempts,
  };
}

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

/** The GPUDevice tfjs-webgpu trains on, when the active backend is webgpu. */
function activeWebgpuDevice(): GPUDevice | undefined {
  if (tf.getBackend() !== 'webgpu') return undefined;
  return (tf.backend() as unknown as { device?: GPUDevice }).device;
}

/** Resolves when the WebGPU device behind tfjs is lost (driver reset, GPU removed). */
export function webgpuDeviceLost(): Promise<string> | null {
  const device = activeWebgpuDevice();
  return device ? device.lost.then((info) => info.message || info.reason || 'device lost') : null;
}

/**
 * Destroys the WebGPU device behind tfjs, as a driver reset would (its `lost` promise resolves):
 * only the trainer's fault hook calls it. False when tfjs is not on webgpu.
 */
export function destroyWebgpuDevice(): boolean {
  const device = activeWebgpuDevice();
  device?.destroy();
  return device !== undefined;
}

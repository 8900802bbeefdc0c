// The backend decision: pure functions from measured attempts to a winner and the words that
// explain it (tested in decide.test.ts without a browser).
import type { BackendName } from '../../data/records';
import type { AdapterInfo, BackendAttempt } from './types';

/** The fallback order for an explicit preference (and the order the race lists its entrants). */
export const backendOrder: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
/**
 * Raced under 'auto', in this order. cpu is not: it is the last resort. The GPU backends go last:
 * on a software adapter their shader compilation runs on in the GPU process after they are given
 * up, and would slow down whichever backend came next (it made WebGL take 15 s just to start).
 */
export const racedBackends: readonly BackendName[] = ['wasm', 'webgl', 'webgpu'];
export const lastResort: BackendName = 'cpu';
/** A raced backend whose first (compiling) run, or whose timed runs together, take longer loses. */
export const raceCapMs = 2000;

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
  if (attempt.notRaced) return `${name} not raced (${attempt.notRacedWhy ?? 'the last resort'})`;
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

/**
 * Why a raced backend is left out of the race before it starts, or null to race it. WebGPU on a
 * software adapter (SwiftShader) is emulated on the same CPU that wasm uses, and has lost every
 * race measured on such machines; racing it anyway compiles its shaders in the browser's GPU
 * process, which also draws the page, and held up the page's frames for seconds after the
 * first rows (docs/benchmarks.md, "The first click's late frame"). It is still tried when no
 * other backend starts, and `?backend=webgpu` runs it.
 */
export function notRacedBecause(backend: BackendName, adapter: AdapterInfo | null): string | null {
  if (backend === 'webgpu' && adapter?.isSoftware)
    return 'a software adapter, emulated on the CPU: slower than wasm on the same CPU';
  return null;
}

/** Why the race's winner won, in words a shopper can read. */
export function raceReason(
  winner: BackendAttempt,
  attempts: readonly BackendAttempt[],
  adapter: AdapterInfo | null,
): string {
  const name = describeBackend(winner.backend, adapter);
  const others = attempts
    .filter((a) => a !== winner && !(a.notRaced && a.backend === lastResort))
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

/**
 * Why a remembered race's winner runs without a race: the race's own sentence, and when it ran
 * (the date in UTC, so the sentence is the same wherever the test runs).
 */
export function rememberedReason(raceSentence: string, measuredAt: number): string {
  const day = new Date(measuredAt).toISOString().slice(0, 10);
  return `${raceSentence} Measured on this device on ${day} and remembered: not raced again until you ask.`;
}

/** Every attempt in words, for the error when no backend could start. */
export const describeAll = (attempts: readonly BackendAttempt[], adapter: AdapterInfo | null) =>
  attempts.map((a) => describeAttempt(a, adapter)).join('; ');

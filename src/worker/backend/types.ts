// What every worker that starts a tfjs backend reports, and what the page shows in the badge.
// BackendName and BackendPreference live in data/records.ts: the settings table stores a preference.
import type { BackendName } from '../../data/records';

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** a software adapter (SwiftShader, or the browser's fallback adapter): WebGPU runs on the CPU */
  isSoftware: boolean;
}

export interface BackendAttempt {
  backend: BackendName;
  /** it started and computed its warm-up (or check) correctly, within the race's cap when raced */
  ok: boolean;
  /**
   * milliseconds of the timed warm-up step (a small embedding-model training step, read back;
   * the best of the timed runs): the number the race compares
   */
  warmupMs?: number;
  /** milliseconds of the first, untimed run (kernel compilation included) */
  firstRunMs?: number;
  /**
   * an asked-for backend is not raced: milliseconds of the check that it computes (a 128² matmul,
   * read back), not comparable with warmupMs
   */
  checkMs?: number;
  /** milliseconds tfjs took to start the backend (not part of the race's comparison or cap) */
  startMs?: number;
  /** raced, but its first run or its timed runs took more than the race's cap of this many ms: it lost */
  tooSlowAfterMs?: number;
  /** which part ran past the cap: the first run (kernel compilation included) or the timed runs */
  tooSlowIn?: 'first run' | 'timed runs';
  /**
   * not raced: cpu is only the last resort (it is always the slowest), and WebGPU on a software
   * adapter is only tried when nothing else starts (see `notRacedWhy`)
   */
  notRaced?: boolean;
  /** why a backend was not raced, in words; absent for the last resort */
  notRacedWhy?: string;
  /** why it is not ok, in words */
  error?: string;
}

/** How the wasm backend runs: read by the badge and the benchmark. */
export interface WasmThreading {
  /** the SIMD binary runs (WebAssembly SIMD is available) */
  simd: boolean;
  /** threads XNNPACK computes with: 1 without cross-origin isolation */
  threads: number;
  /** SharedArrayBuffer is available here, so the threaded binary could load */
  crossOriginIsolated: boolean;
}

export interface BackendReport {
  active: BackendName;
  /** one sentence a shopper can read: why this backend runs (the measured race, or the asked backend) */
  reason: string;
  adapter: AdapterInfo | null;
  /** every backend considered, in the order tried, with its measured warm-up */
  attempts: BackendAttempt[];
  /** how the wasm backend ran, when it started in this worker (raced or active) */
  wasm?: WasmThreading;
}

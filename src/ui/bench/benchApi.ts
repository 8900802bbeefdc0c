// `window.aisleBench`: what `npm run bench` drives. Each row gets a fresh worker (see
// worker/bench/benchWorker.ts) and a deadline; a row past its deadline is terminated and reported
// as such.
import type {
  BenchProgress,
  BenchRowResult,
  BenchRowSpec,
  BenchWorkerCommand,
  BenchWorkerStatus,
} from '../../worker/bench/protocol';

/** What the page exposes as window.aisleBench for the headless runner. */
export interface AisleBenchApi {
  runRow(
    spec: BenchRowSpec,
    options?: { onProgress?: (progress: BenchProgress) => void },
  ): Promise<BenchRowResult>;
}

declare global {
  interface Window {
    aisleBench?: AisleBenchApi;
  }
}

function failedRow(spec: BenchRowSpec, error: string, wallSeconds: number): BenchRowResult {
  return {
    model: spec.model,
    backend: spec.backend,
    datasetName: spec.dataset.name,
    ok: false,
    error,
    ...(spec.wasmThreads === undefined ? {} : { wasmThreads: spec.wasmThreads }),
    wallSeconds,
  };
}

export function createBenchApi(): AisleBenchApi {
  return {
    runRow(spec, options = {}) {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      const worker = new Worker(new URL('../../worker/bench/benchWorker.ts', import.meta.url), {
        type: 'module',
      });
      return new Promise<BenchRowResult>((resolve) => {
        const finish = (result: BenchRowResult) => {
          clearTimeout(deadline);
          worker.terminate();
          resolve(result);
        };
        const deadline = setTimeout(
          () =>
            finish(
              failedRow(
                spec,
                `did not finish within the row's ${spec.timeoutSec} s (stopped; raise --row-timeout to wait longer)`,
                seconds(),
              ),
            ),
          spec.timeoutSec * 1000,
        );
        worker.onmessage = (message: MessageEvent<BenchWorkerStatus>) => {
          const status = message.data;
          if (status.type === 'benchProgress') options.onProgress?.(status.progress);
          else finish(status.result);
        };
        worker.onerror = (event) =>
          finish(
            failedRow(spec, `the benchmark worker failed: ${event.message || 'unknown error'}`, seconds()),
          );
        const command: BenchWorkerCommand = { type: 'benchRun', spec };
        worker.postMessage(command);
      });
    },
  };
}

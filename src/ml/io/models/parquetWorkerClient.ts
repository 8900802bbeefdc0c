// Reads Spark's Parquet parts in a worker of their own, with a time limit. hyparquet can loop
// forever on some damaged pages and footers, and no check in the same thread can stop a loop; a
// worker can be terminated. Past the limit the worker is terminated and the part refused with a
// ModelImportError, so a corrupt part costs seconds, never a hung lab. The browser runs a module
// Worker (bundled only where a Parquet file is read); Node (Vitest, scripts) runs a worker_threads
// Worker through tsx: both entries (worker/parquet/) run answerPartRequest of sparkAlsPart.ts.
import type { Worker as NodeWorker } from 'node:worker_threads';
import { ModelImportError } from './itemFactors';
import type {
  NamedBytes,
  ParquetPartReply,
  ParquetPartRequest,
  ParquetWorkerMessage,
} from './parquetProtocol';
import type { DecodedPart } from './sparkAlsPart';

/**
 * How long one part may take to decode: 3 s, plus 2 s per MB. A 26.4 MB part of 100,000 items ×
 * rank 64 took 12.4–13.8 s (about 2 MB/s) on this project's shared two-core machine at a load
 * average of 17–20 (scripts/fixtures/parquetReadTime.ts), a quarter of its 55.8 s, so a slow device
 * still reads a sound part, while a small looping one is stopped within seconds.
 */
export function parquetTimeLimitMs(byteLength: number): number {
  return 3_000 + Math.ceil((byteLength / 1_000_000) * 2_000);
}

/** Starting the worker (loading hyparquet; under Node, compiling TypeScript) is not the file's fault. */
const defaultStartLimitMs = 60_000;

/** 3000 → "3", 250 → "0.25": a limit as a person reads it. */
const seconds = (ms: number) => String(Math.round(ms / 10) / 100);

export function timedOutProblem(limitMs: number): string {
  return `took longer than ${seconds(limitMs)} s to read and was stopped; the file is probably damaged: expected a Parquet part of itemFactors/ as Spark writes it`;
}

/** A started worker, whichever kind. */
export interface ParquetWorkerHandle {
  post(request: ParquetPartRequest): void;
  terminate(): void;
}

/** Starts a worker; it calls `onMessage` for each message and `onCrash` when it dies unasked. */
export type SpawnParquetWorker = (
  onMessage: (message: ParquetWorkerMessage) => void,
  onCrash: (reason: string) => void,
) => ParquetWorkerHandle;

function spawnBrowserWorker(
  onMessage: (message: ParquetWorkerMessage) => void,
  onCrash: (reason: string) => void,
): ParquetWorkerHandle {
  const worker = new Worker(new URL('../../../worker/parquet/parquetWorker.ts', import.meta.url), {
    type: 'module',
    name: 'aisle-parquet',
  });
  worker.onmessage = (event: MessageEvent<ParquetWorkerMessage>) => onMessage(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    onCrash(event.message || 'the Parquet worker failed');
  };
  return { post: (request) => worker.postMessage(request), terminate: () => worker.terminate() };
}

// A variable, not a literal in new URL(): the bundler would otherwise copy this Node-only file
// into the browser build as an asset.
const nodeEntry = '../../../worker/parquet/parquetWorker.node.mjs';

function spawnNodeWorker(
  onMessage: (message: ParquetWorkerMessage) => void,
  onCrash: (reason: string) => void,
): ParquetWorkerHandle {
  // getBuiltinModule rather than an import, so no bundler sees node:worker_threads
  if (typeof process?.getBuiltinModule !== 'function') {
    throw new Error('this runtime has neither Worker nor process.getBuiltinModule (Node 20.16 or later)');
  }
  const threads = process.getBuiltinModule('node:worker_threads');
  const worker: NodeWorker = new threads.Worker(new URL(nodeEntry, import.meta.url));
  let terminated = false;
  worker.on('message', onMessage);
  worker.on('error', (error: Error) => onCrash(error.message));
  worker.on('exit', (code: number) => {
    if (!terminated) onCrash(`the Parquet worker exited with code ${code}`);
  });
  // a test or script that ends without close() must still exit
  worker.unref();
  return {
    post: (request) => worker.postMessage(request),
    terminate: () => {
      terminated = true;
      void worker.terminate();
    },
  };
}

const defaultSpawn: SpawnParquetWorker = (onMessage, onCrash) =>
  typeof Worker === 'function' ? spawnBrowserWorker(onMessage, onCrash) : spawnNodeWorker(onMessage, onCrash);

interface StartedWorker {
  handle: ParquetWorkerHandle;
  /** resolves on the worker's 'ready', rejects if it dies first */
  ready: Promise<void>;
}

interface Pending {
  id: number;
  settle: (reply: ParquetPartReply | { type: 'crashed'; reason: string }) => void;
}

export interface ParquetWorkerOptions {
  /** the time a part of so many bytes may take; parquetTimeLimitMs unless a test asks for less */
  timeLimitMs?: (byteLength: number) => number;
  /** the time a new worker may take to load, 60 s unless a test asks for less */
  startLimitMs?: number;
  /** starts a worker: a module Worker in a browser, a worker_threads one under Node */
  spawn?: SpawnParquetWorker;
}

/**
 * One worker, started on the first read and reused for the next parts; a part that runs past its
 * limit (or kills the worker) is refused and the worker replaced. Reads go one at a time.
 */
export class ParquetWorkerClient {
  private worker: StartedWorker | undefined;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private readonly timeLimitMs: (byteLength: number) => number;
  private readonly startLimitMs: number;
  private readonly spawn: SpawnParquetWorker;

  constructor({
    timeLimitMs = parquetTimeLimitMs,
    startLimitMs = defaultStartLimitMs,
    spawn = defaultSpawn,
  }: ParquetWorkerOptions = {}) {
    this.timeLimitMs = timeLimitMs;
    this.startLimitMs = startLimitMs;
    this.spawn = spawn;
  }

  /** The part's rows, or a ModelImportError: the part's own problem, a time-out, or a crash. */
  read(part: NamedBytes, rank: number): Promise<DecodedPart> {
    // one part at a time: a second read waits for the first (the worker decodes one anyway)
    const result = this.queue.then(() => this.readNow(part, rank));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async readNow(part: NamedBytes, rank: number): Promise<DecodedPart> {
    const worker = await this.started(part.name);
    const id = this.nextId++;
    const limitMs = this.timeLimitMs(part.bytes.length);
    const reply = await new Promise<ParquetPartReply | { type: 'crashed' | 'timedOut'; reason: string }>(
      (resolve) => {
        const timer = setTimeout(() => {
          this.pending = undefined;
          resolve({ type: 'timedOut', reason: '' });
        }, limitMs);
        this.pending = {
          id,
          settle: (settled) => {
            clearTimeout(timer);
            this.pending = undefined;
            resolve(settled);
          },
        };
        worker.post({ id, part, rank });
      },
    );
    switch (reply.type) {
      case 'decoded':
        return { ids: reply.ids, vectors: reply.vectors };
      case 'refused':
        throw new ModelImportError(reply.where, reply.problem);
      case 'failed':
        throw new ModelImportError(
          part.name,
          `could not be read (${reply.message}); expected a part of itemFactors/`,
        );
      case 'timedOut':
        this.close();
        throw new ModelImportError(part.name, timedOutProblem(limitMs));
      case 'crashed':
        this.close();
        throw new ModelImportError(
          part.name,
          `stopped the Parquet reader (${reply.reason}); the file is probably damaged: expected a Parquet part of itemFactors/ as Spark writes it`,
        );
    }
  }

  /** Terminates the worker (a later read starts another). */
  close(): void {
    this.worker?.handle.terminate();
    this.worker = undefined;
  }

  private async started(where: string): Promise<ParquetWorkerHandle> {
    const refuse = (reason: string) =>
      new ModelImportError(where, `could not be read: the Parquet reader did not start (${reason})`);
    if (!this.worker) {
      try {
        this.worker = this.startWorker();
      } catch (error) {
        // a Content-Security-Policy refusing the worker, or a runtime without workers
        throw refuse(error instanceof Error ? error.message : String(error));
      }
    }
    const { handle, ready } = this.worker;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        ready,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`it did not start within ${seconds(this.startLimitMs)} s`)),
            this.startLimitMs,
          );
        }),
      ]);
    } catch (error) {
      this.close();
      throw refuse((error as Error).message);
    } finally {
      clearTimeout(timer);
    }
    return handle;
  }

  /** A new worker and the promise of its 'ready'; a crash drops it, so the next read starts another. */
  private startWorker(): StartedWorker {
    let markReady!: () => void;
    let markFailed!: (reason: string) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = (reason) => reject(new Error(reason));
    });
    // a rejection nobody awaits (the worker died while idle) is not an error of its own
    ready.catch(() => undefined);
    const worker: StartedWorker = {
      ready,
      handle: this.spawn(
        (message) => {
          if (message.type === 'ready') markReady();
          else if (message.id === this.pending?.id) this.pending.settle(message);
        },
        (reason) => {
          // a dead worker is dropped, so the next read starts a new one instead of waiting out its limit
          if (this.worker === worker) this.worker = undefined;
          markFailed(reason);
          this.pending?.settle({ type: 'crashed', reason });
        },
      ),
    };
    return worker;
  }
}

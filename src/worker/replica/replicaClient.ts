// The trainer's side of a training replica worker (protocol.ts): a GradientReplica for
// TrainOptions.gradientReplica. Any failure (the worker's start, a step, the worker itself)
// rejects the step with a message that says so; the trainer then computes that half itself and
// goes on with one replica (ml/train/dataParallelStep.ts). close() terminates the worker: the
// owner calls it when training ends, fails or is cancelled.
import type { BackendName } from '../../data/records';
import type { GradientReplica, PartGradients, ReplicaRequest } from '../../ml/train/dataParallel';
import type { ReplicaCommand, ReplicaStatus } from './protocol';

/** What crossed between trainer and replica, for the bench's row. */
export interface ReplicaExchange {
  steps: number;
  /** bytes of typed arrays sent to the replica, summed over steps (the first step's whole parameters included) */
  bytesOut: number;
  /** bytes of gradients and rows it sent back */
  bytesBack: number;
  /** from posting a step to its gradients arriving, summed */
  roundTripMs: number;
  /** the replica's own time in those steps, summed: roundTripMs − computeMs is the exchange's cost */
  computeMs: number;
}

export const emptyExchange = (): ReplicaExchange => ({
  steps: 0,
  bytesOut: 0,
  bytesBack: 0,
  roundTripMs: 0,
  computeMs: 0,
});

export interface ReplicaWorkerClient extends GradientReplica {
  readonly exchange: ReplicaExchange;
  close(): void;
}

type WorkerLike = Pick<Worker, 'postMessage' | 'terminate'> & {
  onmessage: ((event: MessageEvent<ReplicaStatus>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror?: ((event: MessageEvent) => void) | null;
};

/**
 * A step the replica has not answered by then fails (and with it the replica): a half step takes
 * tens of milliseconds, so a minute means a hung worker or a lost reply, and the trainer, which
 * waits for each step, would otherwise wait for ever.
 */
export const replicaStepTimeoutMs = 60_000;

const spawnReplicaWorker = (): WorkerLike =>
  new Worker(new URL('./replicaWorker.ts', import.meta.url), { type: 'module' }) as WorkerLike;

const byteLengthOf = (arrays: Record<string, ArrayBufferView>) =>
  Object.values(arrays).reduce((sum, array) => sum + array.byteLength, 0);

/** Typed-array bytes a request carries (what the structured clone copies or transfers). */
export function requestBytes(request: ReplicaRequest): number {
  const { part, sync, update } = request;
  const { inputs, targets, negatives, targetWeights } = part.batch;
  let bytes = byteLengthOf({ inputs, targets, negatives, targetWeights });
  if (update) bytes += byteLengthOf(update.gradients) + byteLengthOf(update.rows);
  if (sync) {
    bytes += byteLengthOf(sync.params);
    for (const { first, second } of Object.values(sync.optimizer.moments)) {
      bytes += first.byteLength + second.byteLength;
    }
  }
  return bytes;
}

/**
 * Starts a replica worker on `backend` and resolves once its backend is up; rejects (and
 * terminates it) when it cannot start.
 */
export function startReplicaWorker(
  backend: BackendName,
  spawn: () => WorkerLike = spawnReplicaWorker,
  stepTimeoutMs = replicaStepTimeoutMs,
): Promise<ReplicaWorkerClient> {
  const worker = spawn();
  const exchange = emptyExchange();
  const pending = new Map<
    number,
    {
      resolve: (gradients: PartGradients) => void;
      reject: (error: Error) => void;
      posted: number;
      timer: ReturnType<typeof setTimeout>;
    }
  >();
  let nextId = 1;
  let failure: string | null = null;
  const failAll = (message: string) => {
    failure ??= message;
    for (const { reject, timer } of pending.values()) {
      clearTimeout(timer);
      reject(new Error(failure));
    }
    pending.clear();
    worker.terminate();
  };
  return new Promise<ReplicaWorkerClient>((resolveStart, rejectStart) => {
    worker.onerror = (event) => {
      const message = `the replica worker failed: ${event.message || 'unknown error'}`;
      failAll(message);
      rejectStart(new Error(message));
    };
    worker.onmessageerror = () => failAll('a message from the replica worker could not be read');
    worker.onmessage = (event) => {
      const status = event.data;
      if (status.type === 'replicaReady') {
        resolveStart(client);
      } else if (status.type === 'replicaGradients') {
        const waiting = pending.get(status.id);
        if (!waiting) return;
        pending.delete(status.id);
        clearTimeout(waiting.timer);
        exchange.steps++;
        exchange.roundTripMs += performance.now() - waiting.posted;
        exchange.computeMs += status.computeMs;
        exchange.bytesBack += byteLengthOf(status.gradients.gradients) + byteLengthOf(status.gradients.rows);
        waiting.resolve(status.gradients);
      } else if (status.id === undefined) {
        failAll(`the replica could not start: ${status.message}`);
        rejectStart(new Error(failure!));
      } else {
        const waiting = pending.get(status.id);
        pending.delete(status.id);
        if (waiting) clearTimeout(waiting.timer);
        waiting?.reject(new Error(`the replica's step failed: ${status.message}`));
      }
    };
    const client: ReplicaWorkerClient = {
      exchange,
      compute(request) {
        if (failure !== null) return Promise.reject(new Error(failure));
        const id = nextId++;
        return new Promise<PartGradients>((resolve, reject) => {
          const timer = setTimeout(
            () => failAll(`the replica did not answer a step within ${stepTimeoutMs / 1000} s`),
            stepTimeoutMs,
          );
          pending.set(id, { resolve, reject, posted: performance.now(), timer });
          exchange.bytesOut += requestBytes(request);
          const command: ReplicaCommand = { type: 'replicaStep', id, request };
          // a sync's parameters are read-back copies nobody else keeps: transferred. The batch part
          // is copied, as the trainer computes it itself if the replica fails; the combined update
          // too (the trainer applied it from these arrays; ~10 % of the bytes)
          const transfer = request.sync
            ? Object.values(request.sync.params).map((array) => array.buffer as ArrayBuffer)
            : [];
          worker.postMessage(command, transfer);
        });
      },
      close: () => failAll('the replica was closed'),
    };
    const command: ReplicaCommand = { type: 'replicaStart', backend };
    worker.postMessage(command);
  });
}

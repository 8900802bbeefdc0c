// The store worker's side of the trainer worker: a StoreTrainer that sends one job to a fresh
// trainer worker and relays what comes back — progress and checkpoints to the orchestrator's
// callbacks, then the snapshot — so the store worker's own thread only ranks. Aborting
// terminates the trainer. Pure over a Worker-like port, so it is tested without a browser.
import type { InteractionMatrix } from '../../ml/interactions';
import type { ModelSnapshot, TrainingCheckpoint } from '../../ml/recommender';
import type { BackendName } from '../../data/records';
import type { TrainerJob, TrainerStatus } from './protocol';
import type { TrainingFault } from './faultHook';
import type { ResumableTrainOptions, StoreTrainer, StoreTrainingJob } from '../store/resumableTraining';

/** The part of a Worker the relay uses (a fake one in the tests). */
export interface TrainerPort {
  postMessage(message: TrainerJob, transfer: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<TrainerStatus>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
}

/** The trainer's WebGPU device was lost: training can go on, on another backend. */
export class TrainerDeviceLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainerDeviceLostError';
  }
}

/** Copies of the matrix's arrays (the store keeps its own), to be transferred. */
function copyMatrix(data: InteractionMatrix, transfer: ArrayBuffer[]): InteractionMatrix {
  const userOffsets = data.userOffsets.slice();
  const items = data.items.slice();
  const weights = data.weights?.slice();
  transfer.push(userOffsets.buffer, items.buffer);
  if (weights) transfer.push(weights.buffer);
  return {
    userCount: data.userCount,
    itemCount: data.itemCount,
    userOffsets,
    items,
    ...(weights ? { weights } : {}),
  };
}

/** The message that starts a job, and the buffers to transfer with it (all of them copies). */
export function encodeJob(
  job: StoreTrainingJob,
  resumeFrom: TrainingCheckpoint | undefined,
  backend: BackendName,
  fault?: TrainingFault,
): { message: TrainerJob; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const common = {
    type: 'train' as const,
    backend,
    resumeFrom: resumeFrom ?? null,
    ...(fault ? { fault } : {}),
  };
  const data = copyMatrix(job.data, transfer);
  if (job.model === 'gru') return { message: { ...common, model: 'gru', plan: job.plan, data }, transfer };
  if (job.model === 'profileEncoder') {
    const targets = {
      ...job.targets,
      itemGenreOffsets: job.targets.itemGenreOffsets.slice(),
      itemGenreIds: job.targets.itemGenreIds.slice(),
      itemPriceBands: job.targets.itemPriceBands.slice(),
    };
    transfer.push(
      targets.itemGenreOffsets.buffer,
      targets.itemGenreIds.buffer,
      targets.itemPriceBands.buffer,
    );
    return { message: { ...common, model: 'profileEncoder', plan: job.plan, targets, data }, transfer };
  }
  const offsets = job.features.offsets.slice();
  const ids = job.features.ids.slice();
  transfer.push(offsets.buffer, ids.buffer);
  return {
    message: {
      ...common,
      model: 'mf',
      plan: job.plan,
      features: { offsets, ids, featureCount: job.features.featureCount },
      data,
    },
    transfer,
  };
}

function expectArray<T>(value: unknown, type: { new (...args: never[]): T; name: string }, what: string): T {
  if (!(value instanceof type)) throw new Error(`a training job's ${what} is not of type ${type.name}`);
  return value;
}

/** The trainer's side: the job back, checked, as the StoreTrainingJob it was made from. */
export function decodeJob(message: TrainerJob): {
  job: StoreTrainingJob;
  resumeFrom: TrainingCheckpoint | undefined;
  backend: BackendName;
  fault?: TrainingFault;
} {
  const { data } = message;
  const matrix: InteractionMatrix = {
    userCount: data.userCount,
    itemCount: data.itemCount,
    userOffsets: expectArray(data.userOffsets, Uint32Array, 'userOffsets'),
    items: expectArray(data.items, Int32Array, 'items'),
    ...(data.weights !== undefined ? { weights: expectArray(data.weights, Float32Array, 'weights') } : {}),
  };
  if (matrix.userOffsets.length !== matrix.userCount + 1)
    throw new Error(
      `a training job's userOffsets has ${matrix.userOffsets.length} entries for ${matrix.userCount} users`,
    );
  const resumeFrom = message.resumeFrom ?? undefined;
  const { backend, fault } = message;
  if (message.model === 'gru')
    return { job: { model: 'gru', plan: message.plan, data: matrix }, resumeFrom, backend, fault };
  if (message.model === 'profileEncoder') {
    const { targets } = message;
    const checked = {
      genreCount: targets.genreCount,
      priceBandCount: targets.priceBandCount,
      itemGenreOffsets: expectArray(targets.itemGenreOffsets, Uint32Array, 'genre offsets'),
      itemGenreIds: expectArray(targets.itemGenreIds, Int32Array, 'genre ids'),
      itemPriceBands: expectArray(targets.itemPriceBands, Int32Array, 'price bands'),
    };
    return {
      job: { model: 'profileEncoder', plan: message.plan, targets: checked, data: matrix },
      resumeFrom,
      backend,
      fault,
    };
  }
  if (message.model !== 'mf')
    throw new Error(`the trainer cannot train ${String((message as { model: unknown }).model)}`);
  const features = {
    offsets: expectArray(message.features.offsets, Uint32Array, 'feature offsets'),
    ids: expectArray(message.features.ids, Int32Array, 'feature ids'),
    featureCount: message.features.featureCount,
  };
  return {
    job: { model: 'mf', plan: message.plan, features, data: matrix },
    resumeFrom,
    backend,
    fault,
  };
}

/**
 * A StoreTrainer that runs each job in a fresh trainer (spawn()) on backend() — the store
 * worker's backend at the time, so a run restarted after a lost GPU trains on the new one.
 * Checkpoints are handed to options.onCheckpoint one after the other, and the snapshot only
 * once the last of them is written; so is a lost device, so the run that carries on after it
 * finds every checkpoint that arrived before the loss. `fault` is a test hook (faultHook.ts).
 */
export function workerTrainer(
  spawn: () => TrainerPort,
  backend: () => BackendName,
  fault: () => TrainingFault | undefined = () => undefined,
): StoreTrainer {
  return (job, options: ResumableTrainOptions) =>
    new Promise<ModelSnapshot>((resolve, reject) => {
      const { signal } = options;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const trainer = spawn();
      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        trainer.onmessage = trainer.onerror = trainer.onmessageerror = null;
        trainer.terminate();
        outcome();
      };
      const fail = (error: unknown) => finish(() => reject(error));
      const onAbort = () => fail(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });

      let written: Promise<void> = Promise.resolve();
      trainer.onmessage = ({ data: status }) => {
        if (settled) return;
        switch (status.type) {
          case 'trainerStarted':
            return;
          case 'trainerProgress':
            options.onProgress?.(status.progress);
            return;
          case 'trainerCheckpoint': {
            const { checkpoint } = status;
            written = written.then(() => options.onCheckpoint?.(checkpoint));
            written.catch(fail);
            return;
          }
          case 'trainerDone': {
            const { snapshot } = status;
            written.then(() => finish(() => resolve(snapshot)), fail);
            return;
          }
          case 'trainerError': {
            if (!status.deviceLost) return fail(new Error(status.message));
            // nothing after the loss counts; the checkpoints before it are still being written
            trainer.onmessage = null;
            const lost = new TrainerDeviceLostError(status.message);
            written.then(() => fail(lost), fail);
            return;
          }
        }
      };
      trainer.onerror = (event) => {
        event.preventDefault?.();
        fail(new Error(`the training worker failed: ${event.message || 'it could not be started'}`));
      };
      trainer.onmessageerror = () => fail(new Error('a message from the training worker could not be read'));

      const { message, transfer } = encodeJob(job, options.resumeFrom, backend(), fault());
      trainer.postMessage(message, transfer);
    });
}

import * as tf from '../../ml/tf';
import { describe, expect, it } from 'vitest';
import { fromSequences } from '../../ml/interactions';
import type { ModelSnapshot, TrainingCheckpoint, TrainProgress } from '../../ml/recommender';
import type { BackendName } from '../../data/records';
import type { TrainerJob, TrainerStatus } from './protocol';
import {
  trainInProcess,
  type ResumableTrainOptions,
  type StoreTrainingJob,
} from '../store/resumableTraining';
import {
  decodeJob,
  encodeJob,
  TrainerDeviceLostError,
  workerTrainer,
  type TrainerPort,
} from './trainerClient';

const data = {
  ...fromSequences(
    [
      [0, 1, 2],
      [3, 4],
      [5, 0, 1, 2],
    ],
    6,
  ),
  weights: Float32Array.from([1, 2, 3, 0.5, 1, 1, 4, 1, 1]),
};
const features = {
  offsets: Uint32Array.from([0, 1, 2, 4, 5, 6, 7]),
  ids: Int32Array.from([0, 1, 0, 2, 1, 2, 0]),
  featureCount: 3,
};
const mfJob: StoreTrainingJob = { model: 'mf', plan: { dim: 4, epochs: 3 }, features, data };
const checkpoint: TrainingCheckpoint = {
  epochsDone: 1,
  params: { user: Float32Array.from([1, 2]), item: Float32Array.from([3]) },
  optimizer: { step: 7, moments: { user: { first: new Float32Array(2), second: new Float32Array(2) } } },
};
const snapshot: ModelSnapshot = { name: 'mf', config: { dim: 4 }, arrays: { user: Float32Array.from([9]) } };
const progress = (epoch: number): TrainProgress => ({
  epoch,
  epochs: 3,
  loss: 0.5,
  interactionsPerSec: 100,
  etaSec: 1,
});

/** What postMessage does to a message: a structured clone, with the listed buffers moved. */
const deliver = <T>(message: T, transfer: ArrayBuffer[]): T => structuredClone(message, { transfer });

class FakeTrainer implements TrainerPort {
  onmessage: ((event: MessageEvent<TrainerStatus>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  received: TrainerJob[] = [];
  terminated = false;
  postMessage(message: TrainerJob, transfer: Transferable[]): void {
    this.received.push(deliver(message, transfer as ArrayBuffer[]));
  }
  terminate(): void {
    this.terminated = true;
  }
  send(status: TrainerStatus): void {
    this.onmessage?.({ data: structuredClone(status) } as MessageEvent<TrainerStatus>);
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('trainer job encoding', () => {
  it('round-trips the matrix, its weights and the item features exactly, transferring only copies', () => {
    const { message, transfer } = encodeJob(mfJob, checkpoint, 'webgpu');
    const received = deliver(message, transfer);
    // the store's own arrays are intact after the copies were transferred
    expect(data.items.length).toBe(9);
    expect(features.ids.length).toBe(7);
    const decoded = decodeJob(received);
    expect(decoded.backend).toBe('webgpu');
    expect(decoded.resumeFrom).toEqual(checkpoint);
    expect(decoded.job).toEqual(mfJob);
    if (decoded.job.model !== 'mf') throw new Error('not mf');
    expect(decoded.job.data.items).toBeInstanceOf(Int32Array);
    expect(decoded.job.data.userOffsets).toBeInstanceOf(Uint32Array);
    expect(decoded.job.data.weights).toBeInstanceOf(Float32Array);
    expect(decoded.job.features.offsets).toBeInstanceOf(Uint32Array);
    expect(decoded.job.features.ids).toBeInstanceOf(Int32Array);
  });

  it('round-trips a GRU job without weights or checkpoint', () => {
    const plain = fromSequences([[1, 2, 3], [0]], 4);
    const job: StoreTrainingJob = { model: 'gru', plan: { hidden: 8, maxLen: 4 }, data: plain };
    const { message, transfer } = encodeJob(job, undefined, 'wasm');
    const decoded = decodeJob(deliver(message, transfer));
    expect(decoded.job).toEqual(job);
    expect(decoded.resumeFrom).toBeUndefined();
    expect('weights' in decoded.job.data).toBe(false);
  });

  it('round-trips a profile-encoder job with its head targets, keeping the store’s own arrays', () => {
    const targets = {
      genreCount: 2,
      priceBandCount: 3,
      itemGenreOffsets: Uint32Array.from([0, 1, 2, 2, 3, 4, 4]),
      itemGenreIds: Int32Array.from([0, 1, 1, 0]),
      itemPriceBands: Int32Array.from([0, 2, -1, 1, 1, 0]),
    };
    const job: StoreTrainingJob = { model: 'profileEncoder', plan: { hidden: 4, epochs: 2 }, targets, data };
    const { message, transfer } = encodeJob(job, checkpoint, 'cpu');
    const decoded = decodeJob(deliver(message, transfer));
    expect(targets.itemPriceBands.length).toBe(6);
    expect(decoded.job).toEqual(job);
    expect(decoded.resumeFrom).toEqual(checkpoint);
    const wrongBands = { ...targets, itemPriceBands: Float32Array.from([0]) as unknown as Int32Array };
    const untransferred = encodeJob(job, undefined, 'cpu').message;
    expect(() => decodeJob({ ...untransferred, targets: wrongBands } as TrainerJob)).toThrow(
      "a training job's price bands is not of type Int32Array",
    );
  });

  it('refuses a matrix whose arrays are of the wrong type or size', () => {
    const { message } = encodeJob(mfJob, undefined, 'wasm');
    const floatItems = { ...message.data, items: Float32Array.from([1]) as unknown as Int32Array };
    expect(() => decodeJob({ ...message, data: floatItems })).toThrow(
      "a training job's items is not of type Int32Array",
    );
    expect(() => decodeJob({ ...message, data: { ...message.data, userCount: 5 } })).toThrow(
      'userOffsets has 4 entries for 5 users',
    );
  });
});

/** The MF job sent through `trainer`, on `backend`. */
const mfJobOn = (trainer: FakeTrainer, backend: BackendName, options: ResumableTrainOptions) =>
  workerTrainer(
    () => trainer,
    () => backend,
  )(mfJob, options);

describe('the trainer relay', () => {
  it('sends the job on the current backend and maps progress, checkpoints and the snapshot to the callbacks', async () => {
    const fake = new FakeTrainer();
    let backend: 'webgpu' | 'wasm' = 'webgpu';
    const train = workerTrainer(
      () => fake,
      () => backend,
    );
    backend = 'wasm';
    const seen: string[] = [];
    let releaseWrite = () => {};
    const result = train(mfJob, {
      resumeFrom: checkpoint,
      onProgress: (p) => void seen.push(`progress ${p.epoch}`),
      onCheckpoint: async (c) => {
        seen.push(`checkpoint ${c.epochsDone}`);
        // the first write is slow: the snapshot must wait for it
        if (c.epochsDone === 2) await new Promise<void>((resolve) => (releaseWrite = resolve));
        seen.push(`written ${c.epochsDone}`);
      },
    });
    expect(fake.received).toHaveLength(1);
    expect(fake.received[0].backend).toBe('wasm');
    expect(decodeJob(fake.received[0]).resumeFrom).toEqual(checkpoint);
    fake.send({ type: 'trainerStarted', backend: 'wasm', ms: 3 });
    fake.send({ type: 'trainerProgress', progress: progress(2) });
    fake.send({ type: 'trainerCheckpoint', checkpoint: { ...checkpoint, epochsDone: 2 } });
    fake.send({ type: 'trainerProgress', progress: progress(3) });
    fake.send({ type: 'trainerCheckpoint', checkpoint: { ...checkpoint, epochsDone: 3 } });
    fake.send({ type: 'trainerDone', snapshot });
    let resolved = false;
    void result.then(() => (resolved = true));
    await tick();
    expect(resolved).toBe(false);
    expect(fake.terminated).toBe(false);
    releaseWrite();
    expect(await result).toEqual(snapshot);
    // progress is passed on at once; checkpoints one after the other, the snapshot after the last
    expect(seen).toEqual([
      'progress 2',
      'progress 3',
      'checkpoint 2',
      'written 2',
      'checkpoint 3',
      'written 3',
    ]);
    expect(fake.terminated).toBe(true);
  });

  it('rejects with the trainer’s error, a lost device as TrainerDeviceLostError', async () => {
    const failing = new FakeTrainer();
    const failed = mfJobOn(failing, 'wasm', {});
    failing.send({ type: 'trainerError', message: 'out of memory', deviceLost: false });
    await expect(failed).rejects.toThrow('out of memory');
    expect(failing.terminated).toBe(true);

    const lost = new FakeTrainer();
    const onLost = mfJobOn(lost, 'webgpu', {});
    lost.send({
      type: 'trainerError',
      message: "The training worker's GPU device was lost (x)",
      deviceLost: true,
    });
    const error = await onLost.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainerDeviceLostError);
    expect((error as Error).message).toContain('GPU device was lost');
    // a late message after the end changes nothing
    lost.send({ type: 'trainerDone', snapshot });
  });

  it('on a lost device, writes the checkpoints that came before it first, and relays nothing after it', async () => {
    const lost = new FakeTrainer();
    const fault = { kind: 'loseGpu' as const, afterEpoch: 1 };
    const seen: string[] = [];
    let releaseWrite = () => {};
    const result = workerTrainer(
      () => lost,
      () => 'webgpu',
      () => fault,
    )(mfJob, {
      onProgress: (p) => void seen.push(`progress ${p.epoch}`),
      onCheckpoint: async (c) => {
        await new Promise<void>((resolve) => (releaseWrite = resolve));
        seen.push(`written ${c.epochsDone}`);
      },
    });
    // the test hook travels with the job
    expect(decodeJob(lost.received[0]).fault).toEqual(fault);
    lost.send({ type: 'trainerCheckpoint', checkpoint });
    lost.send({ type: 'trainerError', message: 'GPU device was lost (destroyed)', deviceLost: true });
    lost.send({ type: 'trainerProgress', progress: progress(2) });
    let rejected = false;
    result.catch(() => (rejected = true));
    await tick();
    expect(rejected).toBe(false);
    releaseWrite();
    await expect(result).rejects.toBeInstanceOf(TrainerDeviceLostError);
    expect(seen).toEqual(['written 1']);
    expect(lost.terminated).toBe(true);
  });

  it('rejects when the worker itself fails to load or run', async () => {
    const broken = new FakeTrainer();
    const result = mfJobOn(broken, 'wasm', {});
    broken.onerror?.({ message: 'SyntaxError: bad chunk', preventDefault: () => {} } as ErrorEvent);
    await expect(result).rejects.toThrow('the training worker failed: SyntaxError: bad chunk');
    expect(broken.terminated).toBe(true);
  });

  it('terminates the trainer on abort and rejects with the reason; an aborted signal spawns nothing', async () => {
    const fake = new FakeTrainer();
    const abort = new AbortController();
    const progressSeen: number[] = [];
    const result = mfJobOn(fake, 'wasm', {
      signal: abort.signal,
      onProgress: (p) => void progressSeen.push(p.epoch),
    });
    fake.send({ type: 'trainerProgress', progress: progress(1) });
    abort.abort(new Error('the GPU device was lost'));
    await expect(result).rejects.toThrow('the GPU device was lost');
    expect(fake.terminated).toBe(true);
    fake.send({ type: 'trainerProgress', progress: progress(2) });
    expect(progressSeen).toEqual([1]);

    let spawned = 0;
    await expect(
      workerTrainer(
        () => {
          spawned++;
          return new FakeTrainer();
        },
        () => 'wasm',
      )(mfJob, { signal: abort.signal }),
    ).rejects.toThrow('the GPU device was lost');
    expect(spawned).toBe(0);
  });
});

/** A trainer that runs the job on this thread, through the same messages as the real one. */
class LoopbackTrainer extends FakeTrainer {
  override postMessage(message: TrainerJob, transfer: Transferable[]): void {
    super.postMessage(message, transfer);
    const { job, resumeFrom } = decodeJob(this.received[0]);
    trainInProcess(job, {
      resumeFrom,
      onProgress: (progress) => this.send({ type: 'trainerProgress', progress }),
      onCheckpoint: async (checkpoint) => this.send({ type: 'trainerCheckpoint', checkpoint }),
    }).then(
      (snapshot) => this.send({ type: 'trainerDone', snapshot }),
      (error: Error) => this.send({ type: 'trainerError', message: error.message, deviceLost: false }),
    );
  }
}

describe('training through the relay', () => {
  it('ends with the model in-process training makes, checkpoints included', async () => {
    await tf.setBackend('cpu');
    const job: StoreTrainingJob = {
      model: 'mf',
      plan: { dim: 4, epochs: 2, batchSize: 4, learningRate: 0.05, seed: 3 },
      features,
      data,
    };
    const relayed: TrainingCheckpoint[] = [];
    const viaRelay = await workerTrainer(
      () => new LoopbackTrainer(),
      () => 'cpu',
    )(job, { onCheckpoint: async (c) => void relayed.push(c) });
    const direct: TrainingCheckpoint[] = [];
    expect(viaRelay).toEqual(await trainInProcess(job, { onCheckpoint: async (c) => void direct.push(c) }));
    expect(relayed).toEqual(direct);
    expect(relayed.map((c) => c.epochsDone)).toEqual([1, 2]);
  });
});

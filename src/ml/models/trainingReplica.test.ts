// Data-parallel training is the one-replica training: a fit with a second replica (in-process
// here, the same code the replica worker runs) gives the same losses and the same weights, within
// float summation order, for SASRec and the GRU on wasm and cpu; a failing replica changes nothing
// but the speed; no tensor leaks.
import * as tf from '../tf';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromSequences, userRow } from '../interactions';
import { registerTrainingKernels, setFusedKernels } from '../kernels';
import type { Recommender, TrainOptions } from '../recommender';
import type { GradientReplica, ReplicaRequest } from '../train/dataParallel';
import { expectClose } from '../testSupport/fusedKernels';
import { createGru } from './gru';
import { createSasrec } from './sasrec';
import { TrainingReplica } from './trainingReplica';

// 21 users (batches of 8: 8 + 8 + 5 rows, so one split is uneven), histories of 3–8 items
const data = fromSequences(
  Array.from({ length: 21 }, (_, user) =>
    Array.from({ length: 3 + (user % 6) }, (_, step) => (user * 7 + step * 3) % 13),
  ),
  13,
);
const config = { maxLen: 6, hidden: 8, batchSize: 8, dropout: 0.3, epochs: 2, learningRate: 0.01, seed: 4 };

/**
 * The in-process replica, counting the requests it answered; `failAt` makes that call reject;
 * `checkEvery` is how often the trainer checks its parameters; `corruptAt` makes that call's update
 * arrive altered (a transport fault: the replica's parameters drift from the trainer's).
 */
function inProcessReplica(
  failAt?: number,
  drift: { checkEvery?: number; corruptAt?: number } = {},
): GradientReplica & { calls: number; requests: ReplicaRequest[]; close(): void } {
  const replica = new TrainingReplica();
  const requests: ReplicaRequest[] = [];
  return {
    calls: 0,
    requests,
    ...(drift.checkEvery ? { checkEvery: drift.checkEvery } : {}),
    async compute(request) {
      this.calls++;
      requests.push(request);
      if (this.calls === failAt) throw new Error('worker terminated');
      if (this.calls === drift.corruptAt && request.update) {
        const gradients = { ...request.update.gradients };
        gradients.finalNormShift = gradients.finalNormShift.map((g) => g + 0.5);
        return replica.handle({ ...request, update: { ...request.update, gradients } });
      }
      return replica.handle(request);
    },
    close: () => replica.dispose(),
  };
}

async function fitAndRead(model: Recommender, options: TrainOptions = {}) {
  const losses: number[] = [];
  await model.fit(data, { ...options, onProgress: (progress) => losses.push(progress.loss) });
  const arrays = model.save().arrays as Record<string, Float32Array>;
  const scores = Array.from({ length: data.userCount }, (_, user) =>
    model.scoreAll({ history: Array.from(userRow(data, user)) }),
  );
  model.dispose();
  return { losses, arrays, scores };
}

/**
 * SASRec's key biases add q·b to every logit of a query alike, which softmax ignores: their true
 * gradient is 0 and the computed one is float noise (~1e-9) that Adam, dividing by its own size,
 * turns into steps of ±lr in any direction. They differ between any two summation orders and
 * change nothing the model computes, so they are compared through the scores instead.
 */
const inertParameter = (name: string) => /KeyBias$/.test(name);

function expectSameTraining(two: Awaited<ReturnType<typeof fitAndRead>>, one: typeof two): void {
  expectClose(two.losses, one.losses);
  expect(Object.keys(two.arrays)).toEqual(Object.keys(one.arrays));
  for (const name of Object.keys(one.arrays)) {
    if (!inertParameter(name)) expectClose(two.arrays[name], one.arrays[name]);
  }
  two.scores.forEach((scores, user) => expectClose(scores, one.scores[user], 1e-4));
}

describe.each(['cpu', 'wasm'])('two replicas train as one on the %s backend', (backend) => {
  let previousBackend: string;
  beforeAll(async () => {
    await tf.ready();
    previousBackend = tf.getBackend();
    expect(await tf.setBackend(backend)).toBe(true);
    setFusedKernels(true);
    registerTrainingKernels();
  });
  afterAll(async () => {
    await tf.setBackend(previousBackend);
  });

  it.each([
    ['SASRec', createSasrec],
    ['GRU', createGru],
  ])('%s: same epoch losses and weights within 1e-5, no leaks', async (_, create) => {
    const before = tf.memory().numTensors;
    const one = await fitAndRead(create(config));
    const replica = inProcessReplica();
    const two = await fitAndRead(create(config), { gradientReplica: replica });
    replica.close();
    // 3 steps an epoch, 2 epochs, each split in two: the replica computed half of every step
    expect(replica.calls).toBe(6);
    expect(replica.requests[0].sync).toBeDefined();
    expect(replica.requests.slice(1).every((request) => request.update && !request.sync)).toBe(true);
    expect(replica.requests.map((request) => request.part.firstRow).sort()).toEqual([3, 3, 4, 4, 4, 4]);
    expectSameTraining(two, one);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a one-row batch, applied without the replica, is followed by a whole resync (no silent drift)', async () => {
    // 17 users in batches of 8: 8 + 8 + 1 rows. The one-row step cannot be split; before the
    // resync the replica stayed a step behind and its halves drifted (weights apart by ~0.04).
    const seventeen = fromSequences(
      Array.from({ length: 17 }, (_, user) =>
        Array.from({ length: 3 + (user % 6) }, (_, step) => (user * 7 + step * 3) % 13),
      ),
      13,
    );
    const fit = async (options: TrainOptions) => {
      const model = createSasrec({ ...config, epochs: 3 });
      await model.fit(seventeen, options);
      const arrays = model.save().arrays as Record<string, Float32Array>;
      model.dispose();
      return arrays;
    };
    const one = await fit({});
    const replica = inProcessReplica();
    const two = await fit({ gradientReplica: replica });
    replica.close();
    // 2 split steps an epoch; each epoch's one-row step is followed by a sync (bar the fit's last)
    expect(replica.calls).toBe(6);
    expect(replica.requests.filter((request) => request.sync).length).toBeGreaterThanOrEqual(2);
    for (const name of Object.keys(one)) if (!inertParameter(name)) expectClose(two[name], one[name]);
  });

  it('a replica that fails mid-run: the trainer computes its half, says why once, trains the same', async () => {
    const before = tf.memory().numTensors;
    const one = await fitAndRead(createSasrec(config));
    const replica = inProcessReplica(3);
    const reasons: string[] = [];
    const two = await fitAndRead(createSasrec(config), {
      gradientReplica: replica,
      onReplicaFallback: (reason) => reasons.push(reason),
    });
    replica.close();
    expect(replica.calls).toBe(3); // never asked again after it failed
    expect(reasons).toEqual(['the second training replica failed (worker terminated); going on with one']);
    expectSameTraining(two, one);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('drift between the replicas', () => {
  it('checked every step: none without a fault; one altered update is caught, recomputed and resynced', async () => {
    const before = tf.memory().numTensors;
    const one = await fitAndRead(createSasrec(config));
    // every step checked: the two hold the same bits, so no check may fail
    const clean = inProcessReplica(undefined, { checkEvery: 1 });
    const checked = await fitAndRead(createSasrec(config), { gradientReplica: clean });
    clean.close();
    expect(clean.requests.slice(1).every((request) => request.checksum && !request.sync)).toBe(true);
    expectSameTraining(checked, one);
    // call 3's update arrives altered: its check fails, that half is computed by the trainer and
    // call 4 carries the whole parameters again; training is the one-replica training throughout
    const faulty = inProcessReplica(undefined, { checkEvery: 1, corruptAt: 3 });
    const recovered = await fitAndRead(createSasrec(config), { gradientReplica: faulty });
    faulty.close();
    expect(faulty.requests.map((request) => Boolean(request.sync))).toEqual([
      true,
      false,
      false,
      true,
      false,
      false,
    ]);
    expectSameTraining(recovered, one);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('what stays on one replica', () => {
  it('the sampled softmax and an L2 penalty do not split (their terms are per batch)', async () => {
    const replica = inProcessReplica();
    await fitAndRead(createSasrec({ ...config, epochs: 1, loss: 'sampledSoftmax', sampledNegatives: 4 }), {
      gradientReplica: replica,
    });
    await fitAndRead(createSasrec({ ...config, epochs: 1, l2: 0.01 }), { gradientReplica: replica });
    expect(replica.calls).toBe(0);
  });

  it('a replica asked for a step before its parameters refuses clearly', () => {
    const replica = new TrainingReplica();
    expect(() =>
      replica.handle({
        part: {
          firstRow: 0,
          batch: {
            batchSize: 0,
            columns: 0,
            inputs: new Int32Array(0),
            targets: new Int32Array(0),
            negatives: new Int32Array(0),
            targetWeights: new Float32Array(0),
          },
        },
        seeds: [],
      }),
    ).toThrow(/before it had the parameters/);
  });
});

// Dense vs lazy Adam on a BPR matrix-factorisation step of realistic size, to justify the
// sparse path with numbers (run: AISLE_BENCH=1 npx vitest run src/ml/train/stepBenchmark).
import * as tf from '../tf';
import { registerSegmentSumKernels } from '../kernels/unsortedSegmentSum';
import { Adam } from './adam';
import { ParamStore, type ParamSpecs } from './params';
import { createRng } from '../random';
import { RowIndexer } from './rows';
import { sparseTrainStep, type StepParams } from './step';

export interface StepBenchmarkOptions {
  userCount: number;
  itemCount: number;
  dim: number;
  batchSize: number;
  steps: number;
  /** skip the sparse path (to time the stock-kernel dense step on its own) */
  denseOnly?: boolean;
  /** install the linear UnsortedSegmentSum first (default true); false times tfjs's stock cpu kernel */
  linearSegmentSum?: boolean;
}

export interface StepBenchmarkResult extends StepBenchmarkOptions {
  backend: string;
  denseMsPerStep: number;
  /** NaN when denseOnly */
  sparseMsPerStep: number;
}

function bprLoss(users: tf.Tensor, positives: tf.Tensor, negatives: tf.Tensor): tf.Scalar {
  const margin = tf.sub(tf.sum(tf.mul(users, positives), 1), tf.sum(tf.mul(users, negatives), 1));
  return tf.mean(tf.softplus(tf.neg(margin)));
}

export async function benchmarkEmbeddingSteps(options: StepBenchmarkOptions): Promise<StepBenchmarkResult> {
  const { userCount, itemCount, dim, batchSize, steps } = options;
  if (options.linearSegmentSum ?? true) registerSegmentSumKernels();
  const specs: ParamSpecs = {
    users: { shape: [userCount, dim], init: 'normal', std: 0.05, sparse: true },
    items: { shape: [itemCount, dim], init: 'normal', std: 0.05, sparse: true },
  };
  const rng = createRng(1);
  const batches = Array.from({ length: steps + 1 }, () => ({
    users: Int32Array.from({ length: batchSize }, () => rng.nextInt(userCount)),
    positives: Int32Array.from({ length: batchSize }, () => rng.nextInt(itemCount)),
    negatives: Int32Array.from({ length: batchSize }, () => rng.nextInt(itemCount)),
  }));

  const timeSteps = async (runStep: (batch: (typeof batches)[number]) => tf.Scalar): Promise<number> => {
    const warmUp = runStep(batches[0]); // first calls set kernels up; keep them out of the timing
    await warmUp.data();
    warmUp.dispose();
    const start = performance.now();
    let last: tf.Scalar | undefined;
    for (let s = 1; s <= steps; s++) {
      last?.dispose();
      last = runStep(batches[s]);
    }
    await last?.data(); // wait for the device to finish
    last?.dispose();
    return (performance.now() - start) / steps;
  };

  // Dense: tfjs's Adam over whole tables, gradients scattered into full [n, d] tensors.
  const denseStore = ParamStore.initialise(specs, createRng(2));
  const tfAdam = tf.train.adam(0.001);
  const denseMs = await timeSteps(
    (batch) =>
      tfAdam.minimize(
        () =>
          bprLoss(
            tf.gather(denseStore.variables.users, batch.users),
            tf.gather(denseStore.variables.items, batch.positives),
            tf.gather(denseStore.variables.items, batch.negatives),
          ),
        true,
        [denseStore.variables.users, denseStore.variables.items],
      ) as tf.Scalar,
  );
  tfAdam.dispose();
  denseStore.dispose();

  if (options.denseOnly) {
    return { ...options, backend: tf.getBackend(), denseMsPerStep: denseMs, sparseMsPerStep: NaN };
  }

  // Sparse: only the rows this batch touches are gathered, differentiated and updated.
  const sparseStore = ParamStore.initialise(specs, createRng(2));
  const lazyAdam = new Adam({ learningRate: 0.001 });
  const sparseMs = await timeSteps((batch) => {
    const userRows = new RowIndexer();
    const itemRows = new RowIndexer();
    const users = userRows.map(batch.users);
    const positives = itemRows.map(batch.positives);
    const negatives = itemRows.map(batch.negatives);
    return sparseTrainStep(
      sparseStore,
      lazyAdam,
      { users: userRows.rows(), items: itemRows.rows() },
      (p: StepParams) =>
        bprLoss(tf.gather(p.users, users), tf.gather(p.items, positives), tf.gather(p.items, negatives)),
    );
  });
  lazyAdam.dispose();
  sparseStore.dispose();

  return { ...options, backend: tf.getBackend(), denseMsPerStep: denseMs, sparseMsPerStep: sparseMs };
}

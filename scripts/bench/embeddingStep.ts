// `npm run bench -- --step`: dense against lazy Adam on one BPR matrix-factorisation step, in
// Node on tfjs's cpu backend. It is the number behind the sparse training path (ml/train/step.ts,
// ml/train/adam.ts): tfjs's Adam scatters every gradient into whole [rows, dim] tables, the lazy
// one gathers, differentiates and updates only the rows a batch touches.
import * as tf from '../../src/ml/tf';
import { registerSegmentSumKernels } from '../../src/ml/kernels/unsortedSegmentSum';
import { createRng } from '../../src/ml/random';
import { Adam } from '../../src/ml/train/adam';
import { ParamStore, type ParamSpecs } from '../../src/ml/train/params';
import { RowIndexer } from '../../src/ml/train/rows';
import { sparseTrainStep, type StepParams } from '../../src/ml/train/step';
import { alignColumns, formatQuantity } from './table';

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

/** One measured configuration, named for the table. */
export interface StepCase {
  label: string;
  options: StepBenchmarkOptions;
}

export interface StepCaseResult {
  label: string;
  result: StepBenchmarkResult;
}

/** The step the storefront's MF trains on a few thousand players, and the one the quick bench can afford. */
const realisticStepSize = { userCount: 10_000, itemCount: 6_000, dim: 64, batchSize: 1_024 };
const quickStepSize = { userCount: 1_000, itemCount: 600, dim: 32, batchSize: 256 };

/**
 * The cases in the order they must run: the stock-kernel case first, because the next one
 * registers the linear UnsortedSegmentSum for the rest of the process. The stock kernel is
 * O(rows × batch), so it is timed on tables 10× smaller (at full size one step takes minutes).
 */
export function stepCases(quick: boolean): StepCase[] {
  const size = quick ? quickStepSize : realisticStepSize;
  return [
    {
      label: 'dense, stock cpu UnsortedSegmentSum (tables ÷10)',
      options: {
        ...size,
        userCount: size.userCount / 10,
        itemCount: size.itemCount / 10,
        steps: 2,
        denseOnly: true,
        linearSegmentSum: false,
      },
    },
    { label: 'dense vs lazy, linear UnsortedSegmentSum', options: { ...size, steps: quick ? 3 : 10 } },
  ];
}

export const stepTableHeader = [
  'case',
  'users × items × dim',
  'batch',
  'steps',
  'dense ms/step',
  'lazy ms/step',
  'dense ÷ lazy',
];

export function stepRowCells({ label, result }: StepCaseResult): string[] {
  const lazy = result.sparseMsPerStep;
  return [
    label,
    `${result.userCount.toLocaleString('en-US')} × ${result.itemCount.toLocaleString('en-US')} × ${result.dim}`,
    String(result.batchSize),
    String(result.steps),
    formatQuantity(result.denseMsPerStep),
    formatQuantity(lazy),
    Number.isFinite(lazy) ? `${formatQuantity(result.denseMsPerStep / lazy)}×` : '—',
  ];
}

export function formatStepReport(results: readonly StepCaseResult[]): string {
  const backend = results[0]?.result.backend ?? 'no';
  const table = alignColumns([stepTableHeader, ...results.map(stepRowCells)]);
  return [
    `embedding step: BPR matrix factorisation, tfjs ${backend} backend in Node`,
    '',
    table[0],
    '-'.repeat(Math.max(...table.map((line) => line.length))),
    ...table.slice(1),
    '',
    'dense: tfjs Adam over whole tables; lazy: ml/train/adam.ts on the rows the batch touches.',
  ].join('\n');
}

/** Runs every case in order, reporting each as it starts. */
export async function runStepCases(
  cases: readonly StepCase[],
  log: (line: string) => void,
): Promise<StepCaseResult[]> {
  const results: StepCaseResult[] = [];
  for (const [index, stepCase] of cases.entries()) {
    log(`[${index + 1}/${cases.length}] ${stepCase.label}`);
    results.push({ label: stepCase.label, result: await benchmarkEmbeddingSteps(stepCase.options) });
  }
  return results;
}

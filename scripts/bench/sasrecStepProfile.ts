// `npm run profile:step`: where a SASRec (or GRU) training step's time goes on the wasm backend in
// Node (the same model, kernels and step code the browser runs). Trains on amazon-beauty's training
// part (each user's last two items held out) with the reference configuration, times every kernel
// call by name and by phase (gathering the sparse rows, forward, backward, Adam), and prints the
// tables docs/benchmarks.md quotes. `--softmax-cost` instead times one full-softmax loss step,
// one block against item chunks, at Beauty's catalogue size.
//
//   npm run profile:step -- [--model sasrec|gru] [--loss bce|softmax|sampledSoftmax] [--every 4]
//                           [--steps N] [--epoch] [--untimed] [--stock] [--no-simd] [--calls] [--top 20] [--softmax-cost]
// --every K profiles every K-th step of one epoch's plan (so the length mix is the epoch's), --epoch
// all of them; --untimed leaves the kernels unwrapped (no per-kernel table), so `--epoch --untimed`
// is one whole epoch's wall time, not an extrapolation; --stock switches the fused training kernels
// off; --no-simd keeps them but runs their JavaScript loops instead of the WebAssembly SIMD module
// (ml/kernels/simd/); --calls splits each kernel by its input shapes and attributes.
// first: tfjs-core must be loaded the way the wasm backend imports it (ops and all) before the models
import { fromRoot, startBackend } from '../node/tfBackend';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '../../src/ml/tf';
import { fromSequences, type InteractionMatrix } from '../../src/ml/interactions';
import { readSequenceFile } from './sequenceFile';
import { registerTrainingKernels, setFusedKernels, setSimdKernels } from '../../src/ml/kernels';
import { fullSoftmaxCrossEntropy } from '../../src/ml/models/chunkedSoftmax';
import { createGru } from '../../src/ml/models/gru';
import { createSasrec } from '../../src/ml/models/sasrec';
import type { SequentialRecommender } from '../../src/ml/models/sequential';
import type { SequenceLoss, SequentialConfig } from '../../src/ml/models/sequenceStep';
import { createRng } from '../../src/ml/random';
import { Adam } from '../../src/ml/train/adam';
import { epochRng } from '../../src/ml/train/loop';
import { ParamStore } from '../../src/ml/train/params';
import { formatKernelProfile, kernelCallLabel, KernelTallies, timeKernels } from './kernelTimer';
import { formatQuantity } from './table';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'sasrec' },
    /** the training loss: bce (the default config's), softmax or sampledSoftmax */
    loss: { type: 'string', default: 'bce' },
    data: { type: 'string', default: fromRoot('../shared/datasets/amazon-beauty/Beauty.txt') },
    every: { type: 'string', default: '4' },
    steps: { type: 'string' },
    epoch: { type: 'boolean', default: false },
    untimed: { type: 'boolean', default: false },
    stock: { type: 'boolean', default: false },
    'no-simd': { type: 'boolean', default: false },
    'softmax-cost': { type: 'boolean', default: false },
    /** one row per kernel, input shapes and attributes (instead of per kernel name) */
    calls: { type: 'boolean', default: false },
    top: { type: 'string', default: '20' },
  },
});

/** `userId item item …` lines (ids from 1), each user's last two items held out as in the lab. */
function loadTrainingPart(path: string): InteractionMatrix {
  const { sequences, itemCount } = readSequenceFile(path);
  return fromSequences(
    sequences.map((items) => items.slice(0, Math.max(1, items.length - 2))),
    itemCount,
  );
}

function machineLine(): string {
  const [one, five] = loadavg();
  return `load average ${one.toFixed(1)} (1 min), ${five.toFixed(1)} (5 min); tfjs ${tf.version_core}, backend ${tf.getBackend()}`;
}

async function profileTraining(data: InteractionMatrix): Promise<void> {
  const loss = args.loss as SequenceLoss;
  const model = (args.model === 'gru'
    ? createGru({ loss })
    : createSasrec({ loss })) as unknown as SequentialRecommender<SequentialConfig>;
  const schedule = model.stepper(data);
  const store = ParamStore.initialise(model.paramSpecs(data.itemCount), createRng(42));
  const optimizer = new Adam({ learningRate: 0.001 });
  const tallies = new KernelTallies();
  // Phases: the step gathers sparse rows, calls the loss (forward), differentiates (backward),
  // then hands each gradient to Adam.
  const batchLoss = model.batchLoss.bind(model);
  model.batchLoss = (...lossArgs) => {
    tallies.phase = 'forward';
    const loss = batchLoss(...lossArgs);
    tallies.phase = 'backward';
    return loss;
  };
  for (const method of ['applyDense', 'applySparse'] as const) {
    const apply = optimizer[method].bind(optimizer) as (...a: unknown[]) => void;
    (optimizer as unknown as Record<string, unknown>)[method] = (...a: unknown[]) => {
      tallies.phase = 'optimizer';
      apply(...a);
    };
  }
  const rng = epochRng(42, 1);
  schedule.startEpoch(rng);
  const every = args.epoch ? 1 : Math.max(1, Number(args.every));
  const picked = Array.from({ length: schedule.stepsPerEpoch }, (_, i) => i).filter((i) => i % every === 0);
  const stepIndices = args.steps ? picked.slice(0, Number(args.steps)) : picked;
  const losses: number[] = [];
  const runStep = (index: number) => {
    tallies.phase = 'gather rows';
    const loss = schedule.step(store, optimizer, rng, index);
    losses.push(loss.dataSync()[0]);
    loss.dispose();
  };
  // warm-up: the first calls set kernels up and grow the wasm heap
  runStep(stepIndices[0]);
  runStep(stepIndices[1] ?? stepIndices[0]);
  // wrapping every kernel costs a little per launch: left out when only the wall time is wanted
  const restore = args.untimed
    ? () => {}
    : timeKernels('wasm', tallies, args.calls ? kernelCallLabel : undefined);
  tallies.clear();
  losses.length = 0;
  const before = tf.memory().numTensors;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (const index of stepIndices) runStep(index);
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  restore();
  const leaked = tf.memory().numTensors - before;
  const msPerStep = wallMs / stepIndices.length;
  // On a shared machine the wall clock counts the time other processes held the core; the
  // process's own CPU time (one wasm thread: the training's work) varies far less with the load.
  const cpuMsPerStep = (cpu.user + cpu.system) / 1000 / stepIndices.length;
  console.log(
    `${args.model} default config (loss ${loss}) on ${data.userCount.toLocaleString('en-US')} users, ${data.itemCount.toLocaleString('en-US')} items; ` +
      `${args.stock ? 'stock kernels' : 'fused kernels'}; ${stepIndices.length} of ${schedule.stepsPerEpoch} steps (every ${every}) in ${formatQuantity(wallMs / 1000)} s: ` +
      `${formatQuantity(msPerStep)} ms/step, ≈ ${formatQuantity((msPerStep * schedule.stepsPerEpoch) / 1000)} s/epoch (wall); ` +
      `CPU ${formatQuantity(cpuMsPerStep)} ms/step, ≈ ${formatQuantity((cpuMsPerStep * schedule.stepsPerEpoch) / 1000)} s/epoch; tensors leaked ${leaked}`,
  );
  // the mean training loss of the measured steps: a change of kernels or of the dropout stream
  // should leave it in family
  const meanLoss = losses.reduce((sum, loss) => sum + loss, 0) / losses.length;
  console.log(`mean training loss of the measured steps ${meanLoss.toFixed(4)}`);
  console.log(machineLine());
  if (!args.untimed) {
    console.log('');
    console.log(formatKernelProfile(tallies.all(), wallMs, stepIndices.length, Number(args.top)));
  }
  optimizer.dispose();
  store.dispose();
  model.dispose();
}

/** One full-softmax loss + gradient at Beauty's size, as one block and in item chunks. */
function profileSoftmaxCost(itemCount: number): void {
  const hidden = 50;
  const rng = createRng(3);
  const random = (size: number) => Float32Array.from({ length: size }, () => (rng.next() - 0.5) * 0.1);
  console.log(machineLine());
  for (const cells of [1_024, 2_048]) {
    const h = tf.tensor2d(random(cells * hidden), [cells, hidden]);
    const table = tf.tensor2d(random(itemCount * hidden), [itemCount, hidden]);
    const targets = Int32Array.from({ length: cells }, () => rng.nextInt(itemCount));
    const time = (blockElements: number) => {
      const once = () =>
        tf.tidy(() => {
          const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) =>
            tf.sum(fullSoftmaxCrossEntropy(a as tf.Tensor2D, b as tf.Tensor2D, targets, blockElements)),
          )([h, table]);
          value.dataSync();
          grads.forEach((g) => g.dataSync());
        });
      once();
      const start = performance.now();
      for (let i = 0; i < 3; i++) once();
      return (performance.now() - start) / 3;
    };
    const oneBlock = time(Number.MAX_SAFE_INTEGER);
    // blocks of a quarter of the logits: four item chunks
    const chunked = time(Math.ceil((cells * itemCount) / 4));
    console.log(
      `${cells} cells × ${itemCount} items: one block ${formatQuantity(oneBlock)} ms, four chunks ${formatQuantity(chunked)} ms (${formatQuantity(chunked / oneBlock)}×)`,
    );
    tf.dispose([h, table]);
  }
}

async function main(): Promise<void> {
  await startBackend('wasm');
  setFusedKernels(!args.stock);
  setSimdKernels(!args['no-simd']);
  registerTrainingKernels();
  const data = loadTrainingPart(args.data!);
  if (args['softmax-cost']) profileSoftmaxCost(data.itemCount);
  else await profileTraining(data);
}

await main();

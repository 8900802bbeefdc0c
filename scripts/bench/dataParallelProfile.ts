// What data-parallel SASRec (or GRU) training can gain on two cores, measured in one Node process
// on the wasm backend (no workers, so no core is shared): every K-th step of one epoch on
// amazon-beauty's training part, the whole step (one replica) against the same step as two halves,
// with the CPU time of each half, of the second replica's Adam update, and of the rest (split,
// combine, the trainer's Adam). On two free cores the halves run side by side, so a step costs
// about max(half + its update) + the rest + the exchange (bytes counted here; time measured in the
// browser). Both paths train from the same seed on their own parameters and report their losses.
//
//   npx tsx --import ./scripts/node/directoryImports.mjs scripts/bench/dataParallelProfile.ts [--model gru] [--every 8]
import { fromRoot, startBackend } from '../node/tfBackend';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fromSequences } from '../../src/ml/interactions';
import { readSequenceFile } from './sequenceFile';
import { registerTrainingKernels } from '../../src/ml/kernels';
import { createGru } from '../../src/ml/models/gru';
import { createSasrec } from '../../src/ml/models/sasrec';
import type { SequentialRecommender } from '../../src/ml/models/sequential';
import type { SequentialConfig } from '../../src/ml/models/sequenceStep';
import { TrainingReplica } from '../../src/ml/models/trainingReplica';
import { createRng } from '../../src/ml/random';
import { Adam } from '../../src/ml/train/adam';
import type { GradientReplica } from '../../src/ml/train/dataParallel';
import { ReplicaLink } from '../../src/ml/train/dataParallelStep';
import { epochRng } from '../../src/ml/train/loop';
import { ParamStore } from '../../src/ml/train/params';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'sasrec' },
    data: { type: 'string', default: fromRoot('../shared/datasets/amazon-beauty/Beauty.txt') },
    every: { type: 'string', default: '8' },
  },
});

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function main(): Promise<void> {
  await startBackend('wasm');
  registerTrainingKernels();
  const { sequences, itemCount } = readSequenceFile(args.data!);
  const data = fromSequences(
    sequences.map((items) => items.slice(0, Math.max(1, items.length - 2))),
    itemCount,
  );
  const create = () =>
    (args.model === 'gru'
      ? createGru()
      : createSasrec()) as unknown as SequentialRecommender<SequentialConfig>;
  const one = { model: create(), rng: epochRng(42, 1) };
  const two = { model: create(), rng: epochRng(42, 1) };
  const storeOne = ParamStore.initialise(one.model.paramSpecs(itemCount), createRng(42));
  const storeTwo = ParamStore.initialise(two.model.paramSpecs(itemCount), createRng(42));
  const adamOne = new Adam({ learningRate: 0.001 });
  const adamTwo = new Adam({ learningRate: 0.001 });
  const replica = new TrainingReplica();
  const tally = { local: 0, replica: 0, bytesOut: 0, bytesBack: 0 };
  const bytes = (arrays: Record<string, ArrayBufferView>) =>
    Object.values(arrays).reduce((sum, array) => sum + array.byteLength, 0);
  const inProcess: GradientReplica = {
    compute: async (request) => {
      if (request.update) tally.bytesOut += bytes(request.update.gradients) + bytes(request.update.rows);
      const started = cpuMs();
      const gradients = replica.handle(request);
      tally.replica += cpuMs() - started;
      tally.bytesBack += bytes(gradients.gradients) + bytes(gradients.rows);
      return gradients;
    },
  };
  const partGradients = two.model.partGradients.bind(two.model);
  two.model.partGradients = (...partArgs) => {
    const started = cpuMs();
    const result = partGradients(...partArgs);
    tally.local += cpuMs() - started;
    return result;
  };
  const link = new ReplicaLink(inProcess, { model: args.model!, config: {}, itemCount });
  const scheduleOne = one.model.stepper(data);
  const scheduleTwo = two.model.parallelStepper(data, link);
  scheduleOne.startEpoch(one.rng);
  scheduleTwo.startEpoch(two.rng);
  const every = Math.max(1, Number(args.every));
  const totals = { whole: 0, split: 0, local: 0, replica: 0, steps: 0, lossOne: 0, lossTwo: 0 };
  const load = loadavg()[0];
  // every step runs on both paths (they must see the same batches and generator draws); every
  // K-th, after two warm-up steps, is measured, the two paths in alternating order
  for (let index = 0; index < scheduleOne.stepsPerEpoch; index++) {
    const measured = index >= 2 && index % every === 0;
    const runOne = () => {
      const started = cpuMs();
      const loss = scheduleOne.step(storeOne, adamOne, one.rng, index);
      totals.lossOne += measured ? loss.dataSync()[0] : 0;
      loss.dispose();
      return cpuMs() - started;
    };
    const runTwo = async () => {
      tally.local = tally.replica = 0;
      const started = cpuMs();
      const loss = await scheduleTwo.step(storeTwo, adamTwo, two.rng, index);
      totals.lossTwo += measured ? loss.dataSync()[0] : 0;
      loss.dispose();
      return cpuMs() - started;
    };
    let whole: number;
    let split: number;
    if (index % 2 === 0) {
      whole = runOne();
      split = await runTwo();
    } else {
      split = await runTwo();
      whole = runOne();
    }
    if (!measured) continue;
    totals.steps++;
    totals.whole += whole;
    totals.split += split;
    totals.local += tally.local;
    totals.replica += tally.replica;
  }
  const per = (value: number) => (value / totals.steps).toFixed(1);
  const rest = totals.split - totals.local - totals.replica;
  const ideal = Math.max(totals.local, totals.replica) + rest;
  console.log(
    `${args.model}, ${totals.steps} steps measured (every ${every}-th of ${scheduleOne.stepsPerEpoch}), load average ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
  );
  console.log(
    `one replica: ${per(totals.whole)} CPU ms/step; mean loss ${(totals.lossOne / totals.steps).toFixed(4)}`,
  );
  console.log(
    `two halves in one process: ${per(totals.split)} CPU ms/step = trainer's half ${per(totals.local)} + replica's half and its Adam ${per(totals.replica)} + the rest (split, combine, trainer's Adam) ${per(rest)}; mean loss ${(totals.lossTwo / totals.steps).toFixed(4)}`,
  );
  console.log(
    `on two free cores, without the exchange: ≈ ${per(ideal)} CPU ms/step, ${((100 * ideal) / totals.whole).toFixed(0)} % of one replica's`,
  );
  const epochSteps = Math.max(1, scheduleOne.stepsPerEpoch - 1);
  console.log(
    `exchange per step (all steps): to the replica ${(tally.bytesOut / epochSteps / 1024).toFixed(0)} KiB, back ${(tally.bytesBack / scheduleOne.stepsPerEpoch / 1024).toFixed(0)} KiB`,
  );
  replica.dispose();
  for (const held of [storeOne, storeTwo, adamOne, adamTwo]) held.dispose();
}

void main();

// `npm run profile:validation`: what one per-epoch validation of SASRec costs on amazon-beauty's
// validation fold (22,363 users, full ranking over 12,101 items, validation NDCG@10 as the lab
// scores it per epoch), on the wasm backend in Node, and where it goes: the batched forward pass
// and scores (scoreMany) against ranking every target. Prints the load average beside every
// figure (the machine is shared). The weights are the seeded initial ones: the cost of scoring
// does not depend on what the model has learned.
//
//   npm run profile:validation -- [--rounds 3] [--users N]
// --users: only the first N validation users.
import { fromRoot, startBackend } from '../node/tfBackend';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '../../src/ml/tf';
import { fromSequences, type InteractionMatrix } from '../../src/ml/interactions';
import { readSequenceFile } from './sequenceFile';
import { evaluateRecommender, leaveOneOutSplit, type EvalFold } from '../../src/ml/eval';
import { registerTrainingKernels } from '../../src/ml/kernels';
import { createSasrec } from '../../src/ml/models/sasrec';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: fromRoot('../shared/datasets/amazon-beauty/Beauty.txt') },
    rounds: { type: 'string', default: '3' },
    users: { type: 'string' },
  },
});

function loadSequences(path: string): InteractionMatrix {
  const { sequences, itemCount } = readSequenceFile(path);
  return fromSequences(sequences, itemCount);
}

/** The fold with targets for its first `count` users with a target only. */
function firstUsers(fold: EvalFold, count: number): EvalFold {
  const targets = fold.targets;
  const offsets = new Uint32Array(targets.userOffsets.length);
  let kept = 0;
  for (let user = 0; user < targets.userCount; user++) {
    const length = targets.userOffsets[user + 1] - targets.userOffsets[user];
    if (length > 0) kept++;
    offsets[user + 1] = offsets[user] + (kept <= count ? length : 0);
  }
  return { ...fold, targets: { ...targets, userOffsets: offsets } };
}

const load = () => loadavg()[0].toFixed(1);

async function main(): Promise<void> {
  await startBackend('wasm');
  registerTrainingKernels();
  const split = leaveOneOutSplit(loadSequences(args.data), { maxHistoryLength: 50 });
  const validation = split.validation;
  if (!validation) throw new Error('the leave-one-out split has no validation fold');
  const fold = args.users ? firstUsers(validation, Number(args.users)) : validation;
  const model = createSasrec({ hidden: 64, dropout: 0.5, loss: 'sampledSoftmax', epochs: 0 });
  await model.fit(split.train);
  // the time inside scoreMany (forward pass, scores read back); the rest is ranking and metrics
  let scoringMs = 0;
  const scoreMany = model.scoreMany.bind(model);
  model.scoreMany = async (states) => {
    const start = performance.now();
    const scores = await scoreMany(states);
    scoringMs += performance.now() - start;
    return scores;
  };
  console.log(`items ${fold.targets.itemCount}; tfjs ${tf.version_core}, backend ${tf.getBackend()}`);
  for (let round = 1; round <= Number(args.rounds); round++) {
    const before = load();
    scoringMs = 0;
    const start = performance.now();
    const result = await evaluateRecommender(
      model,
      fold,
      { kind: 'full' },
      {
        ks: [10],
        seed: 0,
        bootstrapResamples: 1,
      },
    );
    const seconds = (performance.now() - start) / 1000;
    console.log(
      `round ${round}: ${result.users.length} users in ${seconds.toFixed(1)} s, of which scoreMany ${(scoringMs / 1000).toFixed(1)} s; NDCG@10 ${result.summary['NDCG@10'].mean.toFixed(8)} (load ${before} → ${load()})`,
    );
  }
  model.dispose();
}

await main();

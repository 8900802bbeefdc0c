// "For you" measured in Node exactly as the store worker measures it (learnStoreModels: the same
// split, plan, training, blend fit, as-served measurement and safety rule), so the blend can be
// worked on without a browser. MF and the GRU are kept in a folder between runs (the models table's
// stand-in); the blend is always refitted, since it is what changes.
//
//   npx tsx --import ./scripts/node/directoryImports.mjs scripts/storeBlend/measure.ts
//     [--plan quick|full] [--cache /tmp/aisle-store-models] [--backend wasm|cpu]
import { parseArgs } from 'node:util';
// first, before src/ml/tf: the backend's bare '@tensorflow/tfjs-core' import must create the engine,
// or tensors come from the deep-imported copy whose ops were never attached ("reading 'clone'")
import '../node/tfBackend';
import { join } from 'node:path';
import * as tf from '../../src/ml/tf';
import { storeTrainingPlans, type StoreTrainingPlan } from '../../src/worker/store/plan';
import { learnStoreModels } from '../../src/worker/store/storeLearning';
import { trainInProcess } from '../../src/worker/store/resumableTraining';
import type { StoreStatus } from '../../src/worker/store/protocol';
import { storeQualityLines } from '../bench/storeQuality';
import { startBackend } from '../node/tfBackend';
import { folderRepository, loadNodeStore } from './storeSetup';

const { values: args } = parseArgs({
  options: {
    plan: { type: 'string', default: 'quick' },
    cache: { type: 'string', default: '/tmp/aisle-store-models' },
    backend: { type: 'string', default: 'wasm' },
  },
});

async function main(): Promise<void> {
  const mode = args.plan === 'full' ? 'full' : 'quick';
  const plan: StoreTrainingPlan = storeTrainingPlans[mode];
  await startBackend(args.backend!);
  const started = performance.now();
  const { index, split, ranker, dataHash, targets } = await loadNodeStore(plan);
  let last: Extract<StoreStatus, { type: 'models' }> | null = null;
  await learnStoreModels({
    index,
    split,
    ranker,
    dataHash,
    plan,
    repository: folderRepository(join(args.cache!, mode)),
    backend: () => tf.getBackend(),
    signal: new AbortController().signal,
    post: (status) => {
      if (status.type === 'models') last = status;
      else if (status.type === 'learning') console.error(`${mode}: ${status.message}`);
    },
    train: trainInProcess,
    targets,
  });
  const models = last as Extract<StoreStatus, { type: 'models' }> | null;
  console.log(storeQualityLines(models?.forYou, `${mode} (Node, ${tf.getBackend()})`).join('\n'));
  if (models?.hybrid)
    console.log(
      `  weights: ${models.hybrid.features.map((f, i) => `${f} ${models.hybrid!.weights[i].toFixed(3)}`).join(', ')}`,
    );
  console.log(`  wall ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error: Error) => {
  console.error(`measure: ${error.stack ?? error.message}`);
  process.exit(1);
});

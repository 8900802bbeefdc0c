// "For you" measured in Node exactly as the store worker measures it (learnStoreModels: the same
// split, plan, training, blend fit, as-served measurement and safety rule), so the blend can be
// worked on without a browser. MF and the GRU are kept in a folder between runs (the models table's
// stand-in); the blend is always refitted, since it is what changes.
//
//   npx tsx --import ./scripts/node/directoryImports.mjs scripts/storeBlend/measure.ts
//     [--plan quick|full] [--cache /tmp/aisle-store-models] [--backend wasm|cpu] [--json FILE]
//
// --json writes the result for `npm run bench`'s store-quality section (NodeStoreQuality).
import { writeFileSync } from 'node:fs';
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
import { storeQualityLines, type NodeStoreQuality } from '../bench/storeQuality';
import { startBackend } from '../node/tfBackend';
import { folderRepository, loadNodeStore } from './storeSetup';

const { values: args } = parseArgs({
  options: {
    plan: { type: 'string', default: 'quick' },
    cache: { type: 'string', default: '/tmp/aisle-store-models' },
    backend: { type: 'string', default: 'wasm' },
    json: { type: 'string' },
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
  const result: NodeStoreQuality = {
    plan: mode,
    backend: tf.getBackend(),
    forYou: models?.forYou ?? null,
    hybrid: models?.hybrid ? { features: models.hybrid.features, weights: [...models.hybrid.weights] } : null,
    wallSeconds: (performance.now() - started) / 1000,
  };
  console.log(
    storeQualityLines(result.forYou, { plan: mode, where: 'node', backend: result.backend }).join('\n'),
  );
  if (result.hybrid)
    console.log(
      `  weights: ${result.hybrid.features.map((f, i) => `${f} ${result.hybrid!.weights[i].toFixed(3)}`).join(', ')}`,
    );
  console.log(`  wall ${result.wallSeconds.toFixed(0)} s`);
  if (args.json) writeFileSync(args.json, JSON.stringify(result, null, 2) + '\n');
}

main().catch((error: Error) => {
  console.error(`measure: ${error.stack ?? error.message}`);
  process.exit(1);
});

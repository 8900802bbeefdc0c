// The profile encoder's model card as the store measures it, reproduced under Node: the store's
// plan, held-out split and player halves (worker/store/plan.ts, heldOut.ts, splitPlayers), the
// store's GRU and the encoder trained with the store's own job (trainInProcess), then the card's
// figures from measureProfileEncoder, the very function the store worker runs.
//
//   npm run measure:profile-card [-- --plan full|quick] [--backend wasm|cpu]
import { parseArgs } from 'node:util';
import * as tf from '../../src/ml/tf';
import { profileComparisons, profileVerdict } from '../../src/recs/profileModelQuality';
import { holdOutLastItems } from '../../src/worker/store/heldOut';
import { HostGruScorer } from '../../src/worker/store/hostGru';
import { storeTrainingPlans } from '../../src/worker/store/plan';
import { measureProfileEncoder } from '../../src/worker/store/profileEncoderMeasure';
import { profileTargets } from '../../src/worker/store/profileTargets';
import { trainInProcess, type StoreTrainingJob } from '../../src/worker/store/resumableTraining';
import { splitPlayers } from '../../src/worker/store/storeLearning';
import { loadCatalogGames, loadCommunity, startBackend } from './nodeSetup';

const { values: args } = parseArgs({
  options: {
    plan: { type: 'string', default: 'full' },
    backend: { type: 'string', default: 'wasm' },
  },
});

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(0)} s`;
const figure = (value: number) => value.toFixed(4);

async function train(job: StoreTrainingJob) {
  const started = performance.now();
  const snapshot = await trainInProcess(job, {
    onProgress: (p) => console.log(`  ${job.model} epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)}`),
  });
  console.log(`  ${job.model} trained in ${seconds(started)}`);
  return snapshot;
}

async function main(): Promise<void> {
  const started = performance.now();
  const plan = storeTrainingPlans[args.plan === 'quick' ? 'quick' : 'full'];
  await startBackend(args.backend!);
  const targets = profileTargets(loadCatalogGames());
  // as the store worker does: the held-out split of the whole community, then a quick plan's sample
  const split = holdOutLastItems(loadCommunity(), plan.heldOutPlayers, plan.seed);
  const trainData =
    plan.maxUsers === undefined
      ? split.train
      : holdOutLastItems(split.train, 0, plan.seed, { maxUsers: plan.maxUsers }).train;
  const { blend, metrics } = splitPlayers(split.players, plan.seed);
  console.log(
    `plan ${plan.mode}: ${trainData.userCount} players, ${trainData.items.length} interactions; held out ` +
      `${blend.length} fitting + ${metrics.length} measuring players; backend ${tf.getBackend()}`,
  );
  const gru = await train({ model: 'gru', plan: plan.gru, data: trainData });
  const encoder = await train({
    model: 'profileEncoder',
    plan: plan.profileEncoder,
    targets: targets.attributes,
    data: trainData,
  });
  const measureStarted = performance.now();
  const quality = await measureProfileEncoder({
    encoder,
    gru: new HostGruScorer(gru),
    targets,
    trainItems: trainData.items,
    fitPlayers: blend,
    metricPlayers: metrics,
    seed: plan.seed,
  });
  console.log(`  measured in ${seconds(measureStarted)}\n`);
  console.log(`encoder alone: HR@10 ${figure(quality.hr)}, NDCG@10 ${figure(quality.ndcg)}`);
  console.log(
    `counted profile smoothing s = ${quality.countedPriorGames}; blend weights: with ${quality.blendWeightWith}, without ${quality.blendWeightWithout}`,
  );
  const ci = (c: { mean: number; lower: number; upper: number }) =>
    `${figure(c.mean)} [${figure(c.lower)}, ${figure(c.upper)}]`;
  console.log('| measure | encoder | baseline | encoder − baseline |\n|---|---|---|---|');
  for (const { key, label, baseline } of profileComparisons) {
    const c = quality.comparisons[key];
    console.log(`| ${label} | ${ci(c.encoder)} | ${baseline} ${ci(c.baseline)} | ${ci(c.difference)} |`);
  }
  console.log(`\n${profileVerdict(quality)}\ntotal ${seconds(started)}`);
}

await main();

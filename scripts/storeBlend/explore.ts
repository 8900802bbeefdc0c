// Which columns should the store's blend read? Every variant is fitted and judged on the blend's
// own fitting players only, never on the players that measure "For you" (measure.ts): a seeded
// inner split of them fits each variant, and the other side measures it as served (rules, MMR)
// beside every component alone, with paired bootstrap intervals. MF and the GRU come from the
// folder measure.ts trained them into, so run that first for the same plan.
//
//   npx tsx --import ./scripts/node/directoryImports.mjs scripts/storeBlend/explore.ts
//     [--plan quick|full] [--cache /tmp/aisle-store-models] [--only name,name]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
// first, before src/ml/tf: see measure.ts (one tfjs engine whose tensors have their ops)
import { startBackend } from '../node/tfBackend';
import { createRng } from '../../src/ml/random';
import { splitFitAndEvalUsers } from '../../src/ml/blend/userSplit';
import { settingsDefaults } from '../../src/data/settings';
import type { HybridWeights } from '../../src/ml/blend/logisticBlend';
import type { RankingCase } from '../../src/ml/blend/rankFit';
import {
  blendPoolRanking,
  blendRankingCase,
  fitTunedStoreBlend,
  columnName,
  fitStoreBlend,
  servableComponents,
  storeBlendColumns,
  type BlendColumn,
  type HybridFeature,
  type ScoreSources,
} from '../../src/recs/hybrid';
import type { LearnedModels } from '../../src/recs/scoreSources';
import { storeTrainingPlans } from '../../src/worker/store/plan';
import {
  judgeForYou,
  measuredRowLength,
  rowHit,
  type PerPlayerMetrics,
  type ServingName,
} from '../../src/worker/store/forYouMeasure';
import { HostGruScorer } from '../../src/worker/store/hostGru';
import { MfItemSpace } from '../../src/worker/store/mfItemSpace';
import { penaltyValidationShare } from '../../src/worker/store/blendFitData';
import { playerSignals, splitPlayers } from '../../src/worker/store/storeLearning';
import type { HeldOutPlayer } from '../../src/worker/store/heldOut';
import { folderRepository, loadNodeStore } from './storeSetup';

const { values: args } = parseArgs({
  options: {
    plan: { type: 'string', default: 'quick' },
    cache: { type: 'string', default: '/tmp/aisle-store-models' },
    only: { type: 'string' },
    round: { type: 'string', default: '1' },
  },
});

const minMax = (source: HybridFeature): BlendColumn => ({ source, scale: 'minMax' });
const rank = (source: HybridFeature): BlendColumn => ({ source, scale: 'rank' });
const models: HybridFeature[] = ['coOccurrence', 'genreAffinity', 'popularity', 'mf', 'sequential'];

interface Variant {
  name: string;
  columns: readonly BlendColumn[];
  /** a fixed penalty; 'chosen' picks it as the store does (fitTunedStoreBlend), on these fitting players alone */
  l2?: number | 'chosen';
}

const variants: Variant[] = [
  { name: 'served now', columns: storeBlendColumns },
  { name: 'first five (min-max)', columns: models.map(minMax) },
  { name: 'five, rank', columns: models.map(rank) },
  { name: 'five, both', columns: [...models.map(minMax), ...models.map(rank)] },
  { name: '+recentCoOccurrence', columns: [...models.map(minMax), minMax('recentCoOccurrence')] },
  { name: '+lastChoice', columns: [...models.map(minMax), minMax('lastChoice')] },
  { name: '+trending', columns: [...models.map(minMax), minMax('trending')] },
  { name: 'lastChoice alone', columns: [minMax('lastChoice')] },
  { name: 'trending alone', columns: [minMax('trending')] },
  { name: 'recentCoOccurrence alone', columns: [minMax('recentCoOccurrence')] },
  {
    name: '+recent +lastChoice',
    columns: [...models.map(minMax), minMax('recentCoOccurrence'), minMax('lastChoice')],
  },
  {
    name: '+recent +lastChoice, ranks',
    columns: [...models, 'recentCoOccurrence', 'lastChoice'].flatMap((s) => [
      minMax(s as HybridFeature),
      rank(s as HybridFeature),
    ]),
  },
  ...[1e-3, 1e-1, 1].map((l2) => ({
    name: `+recent +lastChoice, l2 ${l2}`,
    columns: [...models.map(minMax), minMax('recentCoOccurrence'), minMax('lastChoice')],
    l2,
  })),
  {
    name: 'all eight, min-max',
    columns: [...models, 'recentCoOccurrence', 'lastChoice', 'trending'].map((s) =>
      minMax(s as HybridFeature),
    ),
  },
  {
    name: 'all eight, both',
    columns: [...models, 'recentCoOccurrence', 'lastChoice', 'trending'].flatMap((s) => [
      minMax(s as HybridFeature),
      rank(s as HybridFeature),
    ]),
  },
];

const withL2 = (variant: Variant): Variant[] =>
  [1e-2, 1e-3, 1e-4, 1e-5, 'chosen' as const].map((l2) => ({
    ...variant,
    name: `${variant.name}, l2 ${l2}`,
    l2,
  }));
const allSources: HybridFeature[] = [...models, 'recentCoOccurrence', 'lastChoice', 'trending'];

/** Round three: the columns served, with the penalty the store chooses. */
const served: Variant[] = [{ name: 'served, penalty chosen', columns: storeBlendColumns, l2: 'chosen' }];

/** Round two: the weight penalty, the default's 1e-2 and smaller, over the promising column sets. */
const penalties: Variant[] = [
  { name: 'five', columns: models.map(minMax) },
  {
    name: '+recent +lastChoice',
    columns: [...models, 'recentCoOccurrence', 'lastChoice'].map((s) => minMax(s as HybridFeature)),
  },
  { name: 'all eight', columns: allSources.map(minMax) },
  { name: 'all eight, ranks', columns: allSources.flatMap((s) => [minMax(s), rank(s)]) },
].flatMap(withL2);

/** The store's own choice of penalty (blendFitData.ts), on `players` alone. */
function chosenPenaltyBlend(
  players: readonly HeldOutPlayer[],
  sources: readonly ScoreSources[],
  cases: RankingCase[],
  columns: readonly BlendColumn[],
  seed: number,
): HybridWeights {
  const validating = new Set(
    splitFitAndEvalUsers(
      players.map((player) => player.user),
      seed + 1,
      penaltyValidationShare,
    ).evaluation,
  );
  const { weights, penalty } = fitTunedStoreBlend({
    cases,
    fitsChoice: players.map((player) => !validating.has(player.user)),
    validation: players.flatMap((player, p) =>
      validating.has(player.user)
        ? [blendPoolRanking({ sources: sources[p], target: player.target, history: player.history }, columns)]
        : [],
    ),
  });
  console.log(
    `    penalty chosen: ${penalty.tried.map((t) => `l2 ${t.l2} → pool NDCG ${t.ndcg.toFixed(4)}`).join(', ')}`,
  );
  return weights;
}

const interval = (value: { mean: number; lower: number; upper: number }) =>
  `${value.mean.toFixed(3)} [${value.lower.toFixed(3)}, ${value.upper.toFixed(3)}]`;

async function main(): Promise<void> {
  const mode = args.plan === 'full' ? 'full' : 'quick';
  const plan = storeTrainingPlans[mode];
  await startBackend('wasm');
  const { index, split, ranker } = await loadNodeStore(plan);
  const repository = folderRepository(join(args.cache!, mode));
  const [mfRecord, gruRecord] = await Promise.all([repository.getModel('mf'), repository.getModel('gru')]);
  if (!mfRecord || !gruRecord) throw new Error(`no ${mode} models in ${args.cache}: run measure.ts first`);
  const mf = new MfItemSpace(mfRecord.snapshot);
  const sequential = new HostGruScorer(gruRecord.snapshot);
  // the blend's side of the store's split only; the measuring side is never read here
  const { blend } = splitPlayers(split.players, plan.seed);
  const byUser = new Map(blend.map((player) => [player.user, player]));
  const inner = splitFitAndEvalUsers([...byUser.keys()], plan.seed + 1, 0.5);
  const fitPlayers = inner.fit.map((user) => byUser.get(user)!);
  const checkPlayers = inner.evaluation.map((user) => byUser.get(user)!);
  const learnedBase = { mf, sequential, ranker: { weights: [], bias: 0 }, serves: 'blend' as const };
  const sourcesOf = (players: readonly HeldOutPlayer[]): ScoreSources[] =>
    players.map((player) => ranker.scoreSources(playerSignals(player), learnedBase));
  const started = performance.now();
  const fitSources = sourcesOf(fitPlayers);
  const checkSources = sourcesOf(checkPlayers);
  console.error(
    `sources for ${fitPlayers.length} + ${checkPlayers.length} players: ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const rowMetrics = (learned: LearnedModels | null): PerPlayerMetrics => {
    const out = { hr: new Float64Array(checkPlayers.length), ndcg: new Float64Array(checkPlayers.length) };
    checkPlayers.forEach((player, p) => {
      const row = ranker.rankForYouWith(
        learned,
        playerSignals(player),
        measuredRowLength,
        settingsDefaults.diversity,
        checkSources[p],
      );
      const { hit, gain } = rowHit(row, player.target);
      out.hr[p] = hit;
      out.ndcg[p] = gain;
    });
    return out;
  };
  const components = Object.fromEntries(
    servableComponents.map((c) => [c, rowMetrics({ ...learnedBase, serves: c })]),
  );
  const baselines = rowMetrics(null);
  console.log(
    `${mode} plan: variants fitted on ${fitPlayers.length} of the blend's players, measured as served on its other ${checkPlayers.length} (the store's ${split.players.length - blend.length} measuring players untouched)`,
  );
  const chosen = args.only?.split(',');
  for (const variant of (args.round === '3' ? served : args.round === '2' ? penalties : variants).filter(
    (v) => !chosen || chosen.includes(v.name),
  )) {
    const rng = createRng(plan.seed);
    const cases = fitPlayers.map((player, p) =>
      blendRankingCase(
        { sources: fitSources[p], target: player.target, history: player.history },
        index.itemCount,
        rng,
        undefined,
        variant.columns,
      ),
    );
    const weights =
      variant.l2 === 'chosen'
        ? chosenPenaltyBlend(fitPlayers, fitSources, cases, variant.columns, plan.seed)
        : fitStoreBlend(cases, variant.l2);
    const measured = {
      ...components,
      baselines,
      blend: rowMetrics({ ...learnedBase, ranker: weights, columns: variant.columns }),
    } as Record<ServingName, PerPlayerMetrics>;
    const quality = judgeForYou(measured, {
      fitPlayers: fitPlayers.length,
      fitMs: 0,
      measureMs: 0,
      seed: plan.seed,
    });
    const best = quality.components[quality.best];
    console.log(
      [
        variant.name.padEnd(26),
        `NDCG ${interval(quality.blend.ndcg)}`,
        `HR ${interval(quality.blend.hr)}`,
        `best ${quality.best} ${best.ndcg.mean.toFixed(3)}`,
        `×${(quality.blend.ndcg.mean / best.ndcg.mean).toFixed(2)}`,
        `diff ${interval(quality.difference)}`,
      ].join('  '),
    );
    console.log(
      `    ${variant.columns.map((c, i) => `${columnName(c)} ${weights.weights[i].toFixed(2)}`).join(', ')}`,
    );
  }
}

main().catch((error: Error) => {
  console.error(`explore: ${error.stack ?? error.message}`);
  process.exit(1);
});

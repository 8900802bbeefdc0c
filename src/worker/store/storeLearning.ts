// The storefront's background learning, start to finish: MF and the GRU are loaded from the
// models table, resumed from a checkpoint, or trained; then the hybrid blend is fitted on
// held-out players; then "For you" switches to the hybrid. The baselines serve throughout,
// and any failure leaves them serving with the reason shown.
import type { CatalogIndex } from '../../recs/catalogIndex';
import { trainLogisticRanker, type HybridWeights } from '../../ml/blend/logisticBlend';
import {
  equalHybridWeights,
  hybridFeatures,
  rankCandidates,
  rankerExamples,
  type HeldOutCase,
} from '../../recs/hybrid';
import type { LearnedModels, StoreRanker } from '../../recs/storeRanker';
import type { ShopperSignals } from '../../recs/types';
import type { ModelSnapshot, TrainProgress } from '../../ml/recommender';
import { createRecommender } from '../../ml/registry';
import { yieldToEventLoop } from '../../ml/train/loop';
import type {
  LearningPhase,
  StoreModelCard,
  StoreModelName,
  StoreStatus,
  StoreTrainingProgress,
} from './protocol';
import { hitRateAndNdcg, type HeldOutPlayer, type HeldOutSplit } from './heldOut';
import { HostGruScorer } from './hostGru';
import { itemFeatureCsr } from './itemFeatures';
import { MfItemSpace } from './mfItemSpace';
import { obtainModel, type ModelRepository, type ObtainedModel } from './orchestrator';
import { planFingerprint, plainConfig, type StoreTrainingPlan } from './plan';
import type { StoreTrainer } from './resumableTraining';

export interface LearningContext {
  index: CatalogIndex;
  split: HeldOutSplit;
  ranker: StoreRanker;
  dataHash: string;
  plan: StoreTrainingPlan;
  repository: ModelRepository;
  /** the tfjs backend now (it can change after a lost GPU device) */
  backend: () => string;
  signal: AbortSignal;
  post: (status: StoreStatus) => void;
  /**
   * Trains MF and the GRU: in the store worker, a trainer worker of its own (so rankings never
   * wait for a training step); in tests, trainInProcess.
   */
  train: StoreTrainer;
}

/** The players that train the blend, and the ones that measure the models (never the same). */
export function splitPlayers(players: readonly HeldOutPlayer[]): {
  blend: HeldOutPlayer[];
  metrics: HeldOutPlayer[];
} {
  const half = Math.ceil(players.length / 2);
  return { blend: players.slice(0, half), metrics: players.slice(half) };
}

export function playerSignals(player: HeldOutPlayer): ShopperSignals {
  return {
    history: player.history,
    weights: player.weights,
    verbs: player.history.map(() => 'bought' as const),
    owned: [],
    inCart: [],
    hidden: [],
  };
}

const metricsOf = (result: { hitRate: number; ndcg: number }) => ({
  'HR@10': result.hitRate,
  'NDCG@10': result.ndcg,
});

function cardOf(obtained: ObtainedModel): StoreModelCard {
  const { record } = obtained;
  return {
    name: record.name as StoreModelName,
    origin: obtained.origin,
    backend: record.backend,
    trainedAt: record.trainedAt,
    dataHash: record.dataHash,
    eventsUsed: record.eventsUsed,
    metrics: record.metrics,
    config: plainConfig(record.config),
  };
}

export function hybridFromSnapshot(snapshot: ModelSnapshot): HybridWeights {
  const values = Array.from(snapshot.arrays.weights);
  return { weights: values.slice(0, hybridFeatures.length), bias: values[hybridFeatures.length] ?? 0 };
}

export async function learnStoreModels(context: LearningContext): Promise<void> {
  const { plan, split, post, signal } = context;
  const learning = (phase: LearningPhase, message: string, progress?: StoreTrainingProgress) =>
    post({ type: 'learning', phase, message, progress });
  const warn = (message: string) => post({ type: 'learning', phase: 'training', message, warning: true });
  const { metrics: metricPlayers, blend: blendPlayers } = splitPlayers(split.players);
  const features = itemFeatureCsr(context.index);
  const cards: StoreModelCard[] = [];
  learning('checking', 'Looking for models trained earlier on this device');

  const progressReporter =
    (model: StoreModelName, share: [number, number]) =>
    (progress: TrainProgress, resumedFromEpoch: number | undefined) =>
      learning('training', `Training ${model}: epoch ${progress.epoch} of ${progress.epochs}`, {
        model,
        ...progress,
        fraction: share[0] + (share[1] - share[0]) * (progress.epoch / progress.epochs),
        resumedFromEpoch,
      });

  const mfObtained = await obtainModel(context.repository, {
    name: 'mf',
    identity: { dataHash: context.dataHash, fingerprint: planFingerprint(plan, 'mf') },
    epochs: plan.mf.epochs ?? 1,
    backend: context.backend(),
    eventsUsed: 0,
    config: { ...plan.mf, features: features.featureCount, users: split.train.userCount },
    train: (request) => {
      const { resumeFrom } = request;
      learning('training', resumeFrom ? `Resuming mf after epoch ${resumeFrom.epochsDone}` : 'Training mf');
      return context.train(
        { model: 'mf', plan: plan.mf, features, data: split.train },
        { ...request, signal },
      );
    },
    evaluate: async (snapshot) => {
      const mf = createRecommender('mf');
      mf.load(snapshot);
      return metricsOf(
        hitRateAndNdcg(metricPlayers, (p) => mf.scoreAll({ history: p.history, weights: p.weights })),
      );
    },
    onProgress: progressReporter('mf', [0, 0.6]),
    onWarning: warn,
  });
  cards.push(cardOf(mfObtained));
  post({ type: 'models', cards: [...cards], hybrid: null });

  const gruObtained = await obtainModel(context.repository, {
    name: 'gru',
    identity: { dataHash: context.dataHash, fingerprint: planFingerprint(plan, 'gru') },
    epochs: plan.gru.epochs ?? 1,
    backend: context.backend(),
    eventsUsed: 0,
    config: { ...plan.gru, users: split.train.userCount },
    train: (request) => {
      const { resumeFrom } = request;
      learning('training', resumeFrom ? `Resuming gru after epoch ${resumeFrom.epochsDone}` : 'Training gru');
      return context.train({ model: 'gru', plan: plan.gru, data: split.train }, { ...request, signal });
    },
    evaluate: async (snapshot) => {
      const gru = new HostGruScorer(snapshot);
      return metricsOf(hitRateAndNdcg(metricPlayers, (p) => gru.scoreAll({ history: p.history })));
    },
    onProgress: progressReporter('gru', [0.6, 0.95]),
    onWarning: warn,
  });
  cards.push(cardOf(gruObtained));
  post({ type: 'models', cards: [...cards], hybrid: null });

  const mf = new MfItemSpace(mfObtained.record.snapshot);
  const sequential = new HostGruScorer(gruObtained.record.snapshot);
  const unweighted: LearnedModels = { mf, sequential, ranker: equalHybridWeights };

  learning('training', 'Fitting the blend on held-out players');
  const hybridObtained = await obtainModel(context.repository, {
    name: 'hybrid',
    identity: {
      dataHash: context.dataHash,
      // a retrained input model means a new blend
      fingerprint: JSON.stringify({
        mode: plan.mode,
        mf: mfObtained.record.trainedAt,
        gru: gruObtained.record.trainedAt,
      }),
    },
    epochs: 1,
    backend: 'cpu (plain JS)',
    eventsUsed: 0,
    config: {
      negatives: plan.rankerNegatives,
      players: blendPlayers.length,
      features: hybridFeatures.join(','),
    },
    train: async () => {
      const cases = await heldOutCases(context.ranker, unweighted, blendPlayers, signal);
      const weights = trainLogisticRanker(rankerExamples(cases, plan.rankerNegatives, plan.seed));
      return {
        name: 'hybrid',
        config: {},
        arrays: { weights: Float32Array.from([...weights.weights, weights.bias]) },
      };
    },
    evaluate: async (snapshot) => {
      const model = { ...unweighted, ranker: hybridFromSnapshot(snapshot) };
      const withModels = await heldOutCases(context.ranker, model, metricPlayers, signal);
      const baselinesOnly = await heldOutCases(context.ranker, null, metricPlayers, signal);
      const scorer = (cases: HeldOutCase[]) => {
        const byPlayer = new Map(metricPlayers.map((player, i) => [player, cases[i]]));
        return (player: HeldOutPlayer) => blendedScores(model.ranker, byPlayer.get(player)!);
      };
      const hybrid = hitRateAndNdcg(metricPlayers, scorer(withModels));
      // the same blend without the learned sources: what MF and the GRU add
      const baselineOnly = hitRateAndNdcg(metricPlayers, scorer(baselinesOnly));
      return {
        ...metricsOf(hybrid),
        'baselines HR@10': baselineOnly.hitRate,
        'baselines NDCG@10': baselineOnly.ndcg,
      };
    },
  });
  const ranker = hybridFromSnapshot(hybridObtained.record.snapshot);
  cards.push(cardOf(hybridObtained));
  context.ranker.useLearned({ mf, sequential, ranker });
  post({
    type: 'models',
    cards: [...cards],
    hybrid: { features: [...hybridFeatures], weights: ranker.weights, bias: ranker.bias },
  });
  learning('ready', '"For you" now blends every model with the learned weights');
}

/** Each player's sources before their held-out game, yielding now and then so rankings are not held up. */
async function heldOutCases(
  storeRanker: StoreRanker,
  learned: LearnedModels | null,
  players: readonly HeldOutPlayer[],
  signal: AbortSignal,
): Promise<HeldOutCase[]> {
  const cases: HeldOutCase[] = [];
  for (const [i, player] of players.entries()) {
    if (i % 16 === 0) {
      await yieldToEventLoop();
      signal.throwIfAborted();
    }
    cases.push({
      sources: storeRanker.scoreSources(playerSignals(player), learned),
      target: player.target,
      history: player.history,
    });
  }
  return cases;
}

/** A full score vector from the blend: candidates get their blended score, everything else −∞. */
function blendedScores(model: HybridWeights, heldOut: HeldOutCase): Float32Array {
  const itemCount = heldOut.sources.popularity?.length ?? 0;
  const scores = new Float32Array(itemCount).fill(Number.NEGATIVE_INFINITY);
  for (const ranked of rankCandidates(model, heldOut.sources, { exclude: new Set(heldOut.history) })) {
    scores[ranked.item] = ranked.score;
  }
  return scores;
}

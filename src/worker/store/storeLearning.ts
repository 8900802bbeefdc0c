// The storefront's background learning, start to finish: MF and the GRU are loaded from the
// models table, resumed from a checkpoint, or trained; then the blend is fitted on one seeded
// side of the held-out players and "For you" is measured, as served, on the other side: the
// blend, each component alone and the baselines. The safety rule decides what "For you" serves
// (the blend only when it beats its best component), and "For you" switches to it. Last, the
// profile encoder is obtained the same way (profileLearning.ts) for the profile page's
// predictions. The baselines serve throughout, and any failure leaves them serving with the
// reason shown.
import type { CatalogIndex } from '../../recs/catalogIndex';
import type { HybridWeights } from '../../ml/blend/logisticBlend';
import { splitFitAndEvalUsers } from '../../ml/blend/userSplit';
import { settingsDefaults } from '../../data/settings';
import {
  blendNegatives,
  blendRankingCase,
  equalHybridWeights,
  fitStoreBlend,
  hybridFeatures,
} from '../../recs/hybrid';
import type { RankingCase } from '../../ml/blend/rankFit';
import { createRng } from '../../ml/random';
import {
  componentLabels,
  qualityFromMetrics,
  qualityMetrics,
  type ForYouQuality,
} from '../../recs/forYouQuality';
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
import { judgeForYou, measureForYouRows } from './forYouMeasure';
import { hitRateAndNdcg, type HeldOutPlayer, type HeldOutSplit } from './heldOut';
import { HostGruScorer } from './hostGru';
import { itemFeatureCsr } from './itemFeatures';
import { MfItemSpace } from './mfItemSpace';
import { obtainModel, type ModelRepository, type ObtainedModel } from './orchestrator';
import { planFingerprint, plainConfig, type StoreTrainingPlan } from './plan';
import { learnProfileModel } from './profileLearning';
import type { ProfileTargets } from './profileTargets';
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
  /** what the profile encoder's heads learn to predict of each game */
  targets: ProfileTargets;
  /**
   * the trained (or stored) profile encoder, for the shopper's predicted interests; awaited, so
   * the profile with its predictions is posted before learning says it is ready
   */
  onProfileModel?: (snapshot: ModelSnapshot) => Promise<void>;
}

/** Share of the held-out players that measure the models; the rest fit the blend. */
export const evaluationShare = 0.5;

/**
 * The players that fit the blend, and the ones that measure the models and decide what serves
 * (never the same): a seeded split of all held-out players, whatever order they come in.
 */
export function splitPlayers(
  players: readonly HeldOutPlayer[],
  seed: number,
): { blend: HeldOutPlayer[]; metrics: HeldOutPlayer[] } {
  if (players.length < 2) return { blend: [...players], metrics: [...players] };
  const byUser = new Map(players.map((player) => [player.user, player]));
  const { fit, evaluation } = splitFitAndEvalUsers([...byUser.keys()], seed, evaluationShare);
  return {
    blend: fit.map((user) => byUser.get(user)!),
    metrics: evaluation.map((user) => byUser.get(user)!),
  };
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

export function cardOf(obtained: ObtainedModel): StoreModelCard {
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

/** The blend's weights from its stored snapshot (w · x; a bias from an older snapshot is kept, it never changes an order). */
export function hybridFromSnapshot(snapshot: ModelSnapshot): HybridWeights {
  const values = Array.from(snapshot.arrays.weights);
  return { weights: values.slice(0, hybridFeatures.length), bias: values[hybridFeatures.length] ?? 0 };
}

export async function learnStoreModels(context: LearningContext): Promise<void> {
  const { plan, split, post, signal } = context;
  const learning = (phase: LearningPhase, message: string, progress?: StoreTrainingProgress) =>
    post({ type: 'learning', phase, message, progress });
  const warn = (message: string) => post({ type: 'learning', phase: 'training', message, warning: true });
  const { metrics: metricPlayers, blend: blendPlayers } = splitPlayers(split.players, plan.seed);
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
    onProgress: progressReporter('mf', [0, 0.45]),
    onWarning: warn,
  });
  cards.push(cardOf(mfObtained));
  post({ type: 'models', cards: [...cards], hybrid: null, forYou: null });

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
    onProgress: progressReporter('gru', [0.45, 0.7]),
    onWarning: warn,
  });
  cards.push(cardOf(gruObtained));
  post({ type: 'models', cards: [...cards], hybrid: null, forYou: null });

  const mf = new MfItemSpace(mfObtained.record.snapshot);
  const sequential = new HostGruScorer(gruObtained.record.snapshot);
  const unweighted: LearnedModels = { mf, sequential, ranker: equalHybridWeights, serves: 'blend' };

  learning('training', 'Fitting the blend on held-out players');
  let fitTiming = { fitPlayers: blendPlayers.length, fitMs: 0 };
  const hybridObtained = await obtainModel(context.repository, {
    name: 'hybrid',
    identity: {
      dataHash: context.dataHash,
      // a retrained input model, another objective or another split means a new blend
      fingerprint: JSON.stringify({
        mode: plan.mode,
        mf: mfObtained.record.trainedAt,
        gru: gruObtained.record.trainedAt,
        objective: 'pairwise BPR, pool + catalogue negatives, selection guard',
        split: { seed: plan.seed, evaluationShare },
        measured: 'For you as served, safety rule on NDCG@10',
      }),
    },
    epochs: 1,
    backend: 'cpu (plain JS)',
    eventsUsed: 0,
    config: {
      objective: 'pairwise (BPR)',
      poolNegatives: blendNegatives.pool,
      catalogueNegatives: blendNegatives.catalogue,
      fitPlayers: blendPlayers.length,
      evaluationPlayers: metricPlayers.length,
      features: hybridFeatures.join(', '),
    },
    train: async () => {
      const started = performance.now();
      const cases = await rankingCases(context, unweighted, blendPlayers);
      const weights = fitStoreBlend(cases);
      fitTiming = { fitPlayers: blendPlayers.length, fitMs: performance.now() - started };
      return {
        name: 'hybrid',
        config: {},
        arrays: { weights: Float32Array.from([...weights.weights, weights.bias]) },
      };
    },
    evaluate: async (snapshot) => {
      const started = performance.now();
      const learned = { mf, sequential, ranker: hybridFromSnapshot(snapshot) };
      const measured = await measureForYouRows(
        context.ranker,
        learned,
        metricPlayers,
        playerSignals,
        settingsDefaults.diversity,
        signal,
      );
      const quality = judgeForYou(measured, {
        ...fitTiming,
        measureMs: performance.now() - started,
        seed: plan.seed,
      });
      return qualityMetrics(quality);
    },
  });
  const ranker = hybridFromSnapshot(hybridObtained.record.snapshot);
  const forYou: ForYouQuality | null = qualityFromMetrics(hybridObtained.record.metrics);
  // the fingerprint names the measurement, so a stored blend without one is a damaged record
  if (!forYou) throw new Error('the stored blend has no measurement of "For you"');
  cards.push(cardOf(hybridObtained));
  context.ranker.useLearned({ mf, sequential, ranker, serves: forYou.serves });
  const hybrid = { features: [...hybridFeatures], weights: ranker.weights, bias: ranker.bias };
  post({ type: 'models', cards: [...cards], hybrid, forYou });

  const profileObtained = await learnProfileModel(context, {
    targets: context.targets,
    gru: sequential,
    fitPlayers: blendPlayers,
    metricPlayers,
    note: (message) => learning('training', message),
    warn,
    onProgress: progressReporter('profileEncoder', [0.75, 1]),
  });
  if (profileObtained) {
    cards.push(cardOf(profileObtained));
    await context.onProfileModel?.(profileObtained.record.snapshot);
    post({ type: 'models', cards: [...cards], hybrid, forYou });
  }
  learning(
    'ready',
    forYou.serves === 'blend'
      ? '"For you" now blends every model with the learned weights'
      : `"For you" now uses ${componentLabels[forYou.serves]} alone: the blend did not beat it on held-out players`,
  );
}

/**
 * One ranking case per fitting player, from the sources the models give before their held-out
 * game; each player's score lists are dropped once its case is built. Yields now and then so
 * rankings are not held up.
 */
async function rankingCases(
  context: LearningContext,
  learned: LearnedModels,
  players: readonly HeldOutPlayer[],
): Promise<RankingCase[]> {
  const rng = createRng(context.plan.seed);
  const cases: RankingCase[] = [];
  for (const [i, player] of players.entries()) {
    if (i % 16 === 0) {
      await yieldToEventLoop();
      context.signal.throwIfAborted();
    }
    const sources = context.ranker.scoreSources(playerSignals(player), learned);
    cases.push(
      blendRankingCase(
        { sources, target: player.target, history: player.history },
        context.index.itemCount,
        rng,
      ),
    );
  }
  return cases;
}

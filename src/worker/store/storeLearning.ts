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
  blendPoolRanking,
  blendRankingCase,
  columnName,
  equalHybridWeights,
  fitTunedStoreBlend,
  storeBlendColumns,
  type BlendFitData,
} from '../../recs/hybrid';
import { defaultPenaltyGrid } from '../../ml/blend/penaltyChoice';
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
import { interruptionNote, type InterruptionNoter } from './interruption';
import { learnProfileModel } from './profileLearning';
import type { ProfileTargets } from './profileTargets';
import type { StoreTrainer, StoreTrainingJob } from './resumableTraining';

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
  /**
   * what stopped the run this one replaces ("the GPU was lost"), told on the card of the first
   * model this run trains: the one that was training then
   */
  interruption?: string;
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

/** Share of the blend's fitting players that validate its penalty (fitTunedStoreBlend); the rest fit it meanwhile. */
export const penaltyValidationShare = 0.5;

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
  const width = storeBlendColumns.length;
  return { weights: values.slice(0, width), bias: values[width] ?? 0 };
}

export async function learnStoreModels(context: LearningContext): Promise<void> {
  const { plan, split, post, signal } = context;
  const learning = (phase: LearningPhase, message: string, progress?: StoreTrainingProgress) =>
    post({ type: 'learning', phase, message, progress });
  const warn = (message: string) => post({ type: 'learning', phase: 'training', message, warning: true });
  const { metrics: metricPlayers, blend: blendPlayers } = splitPlayers(split.players, plan.seed);
  const features = itemFeatureCsr(context.index);
  const cards: StoreModelCard[] = [];
  let interruption = context.interruption;
  /** the interruption goes on the card of the first model this run trains: the one it stopped */
  const noteInterruption: InterruptionNoter = (cardConfig, backend, resumedFromEpoch) => {
    if (!interruption) return;
    cardConfig.interruption = interruptionNote(interruption, backend, resumedFromEpoch);
    interruption = undefined;
  };
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

  /**
   * MF or the GRU: loaded, resumed or trained in the trainer worker (the job), then measured on the
   * metric players by the scorer made from its snapshot.
   */
  const obtainLearned = (
    job: StoreTrainingJob,
    config: Record<string, unknown>,
    scorerOf: (snapshot: ModelSnapshot) => (player: HeldOutPlayer) => Float32Array,
    share: [number, number],
  ) => {
    const backend = context.backend();
    const cardConfig: Record<string, unknown> = { ...job.plan, ...config, users: split.train.userCount };
    return obtainModel(context.repository, {
      name: job.model,
      identity: { dataHash: context.dataHash, fingerprint: planFingerprint(plan, job.model) },
      epochs: job.plan.epochs ?? 1,
      backend,
      eventsUsed: 0,
      // read when the record is made, after training: the note joins only a model trained now
      config: cardConfig,
      train: (request) => {
        const { resumeFrom } = request;
        noteInterruption(cardConfig, backend, resumeFrom?.epochsDone);
        const resuming = resumeFrom && `Resuming ${job.model} after epoch ${resumeFrom.epochsDone}`;
        learning('training', resuming || `Training ${job.model}`);
        return context.train(job, { ...request, signal });
      },
      evaluate: async (snapshot) => metricsOf(hitRateAndNdcg(metricPlayers, scorerOf(snapshot))),
      onProgress: progressReporter(job.model, share),
      onWarning: warn,
    });
  };

  const mfJob: StoreTrainingJob = { model: 'mf', plan: plan.mf, features, data: split.train };
  const mfObtained = await obtainLearned(
    mfJob,
    { features: features.featureCount },
    (snapshot) => {
      const mf = createRecommender('mf');
      mf.load(snapshot);
      return (p) => mf.scoreAll({ history: p.history, weights: p.weights });
    },
    [0, 0.45],
  );
  cards.push(cardOf(mfObtained));
  post({ type: 'models', cards: [...cards], hybrid: null, forYou: null });

  const gruJob: StoreTrainingJob = { model: 'gru', plan: plan.gru, data: split.train };
  const gruObtained = await obtainLearned(
    gruJob,
    {},
    (snapshot) => {
      const gru = new HostGruScorer(snapshot);
      return (p) => gru.scoreAll({ history: p.history });
    },
    [0.45, 0.7],
  );
  cards.push(cardOf(gruObtained));
  post({ type: 'models', cards: [...cards], hybrid: null, forYou: null });

  const mf = new MfItemSpace(mfObtained.record.snapshot);
  const sequential = new HostGruScorer(gruObtained.record.snapshot);
  const unweighted: LearnedModels = { mf, sequential, ranker: equalHybridWeights, serves: 'blend' };

  learning('training', 'Fitting the blend on held-out players');
  let fitTiming = { fitPlayers: blendPlayers.length, fitMs: 0 };
  const blendConfig: Record<string, unknown> = {
    objective: 'pairwise (BPR)',
    poolNegatives: blendNegatives.pool,
    catalogueNegatives: blendNegatives.catalogue,
    fitPlayers: blendPlayers.length,
    evaluationPlayers: metricPlayers.length,
    features: storeBlendColumns.map(columnName).join(', '),
  };
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
        penalty: { grid: defaultPenaltyGrid, validationShare: penaltyValidationShare },
        columns: storeBlendColumns.map(columnName),
        split: { seed: plan.seed, evaluationShare },
        measured: 'For you as served, safety rule on NDCG@10',
      }),
    },
    epochs: 1,
    backend: 'cpu (plain JS)',
    eventsUsed: 0,
    // the chosen penalty joins the card's config once the blend is fitted
    config: blendConfig,
    train: async () => {
      const started = performance.now();
      const { weights, penalty } = fitTunedStoreBlend(await blendFitData(context, unweighted, blendPlayers));
      blendConfig.l2 = penalty.l2;
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
  const hybrid = { features: storeBlendColumns.map(columnName), weights: ranker.weights, bias: ranker.bias };
  post({ type: 'models', cards: [...cards], hybrid, forYou });

  const profileObtained = await learnProfileModel(context, {
    targets: context.targets,
    gru: sequential,
    fitPlayers: blendPlayers,
    metricPlayers,
    note: (message) => learning('training', message),
    noteInterruption,
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
 * game, and for a seeded share of them (the penalty's validation) the pool serving would rank;
 * each player's score lists are dropped once these are built. Yields now and then so rankings
 * are not held up.
 */
async function blendFitData(
  context: LearningContext,
  learned: LearnedModels,
  players: readonly HeldOutPlayer[],
): Promise<BlendFitData> {
  const rng = createRng(context.plan.seed);
  // with fewer than two players there is nothing to validate on: the grid's strongest penalty fits
  const validating = new Set(
    players.length < 2
      ? []
      : splitFitAndEvalUsers(
          players.map((player) => player.user),
          context.plan.seed + 1,
          penaltyValidationShare,
        ).evaluation,
  );
  const data: BlendFitData = { cases: [], fitsChoice: [], validation: [] };
  for (const [i, player] of players.entries()) {
    if (i % 16 === 0) {
      await yieldToEventLoop();
      context.signal.throwIfAborted();
    }
    const heldOut = {
      sources: context.ranker.scoreSources(playerSignals(player), learned),
      target: player.target,
      history: player.history,
    };
    data.cases.push(blendRankingCase(heldOut, context.index.itemCount, rng));
    data.fitsChoice.push(!validating.has(player.user));
    if (validating.has(player.user)) data.validation.push(blendPoolRanking(heldOut));
  }
  return data;
}

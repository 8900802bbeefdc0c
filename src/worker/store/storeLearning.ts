// The storefront's background learning, start to finish: MF, the GRU and the profile encoder
// (profileLearning.ts; it also gives the profile page its predictions) are loaded from the models
// table, resumed from a checkpoint, or trained; then the blend is fitted on one seeded side of the
// held-out players, with and without the profile's columns, and "For you" is measured, as served,
// on the other side: both blends, each component alone and the baselines. The profile's columns
// stay only when they beat the blend without them; the safety rule then decides what "For you"
// serves (the blend only when it beats its best component), and "For you" switches to it. The
// baselines serve throughout, and any failure leaves them serving with the reason shown.
import type { CatalogIndex } from '../../recs/catalogIndex';
import type { HybridWeights } from '../../ml/blend/logisticBlend';
import { splitFitAndEvalUsers } from '../../ml/blend/userSplit';
import { settingsDefaults } from '../../data/settings';
import {
  blendNegatives,
  columnName,
  equalHybridWeights,
  fitTunedStoreBlend,
  profileBlendColumns,
  profileColumns,
  storeBlendColumns,
  type BlendColumn,
} from '../../recs/hybrid';
import { defaultPenaltyGrid } from '../../ml/blend/penaltyChoice';
import {
  componentLabels,
  qualityFromMetrics,
  qualityMetrics,
  type ForYouQuality,
} from '../../recs/forYouQuality';
import type { LearnedModels } from '../../recs/scoreSources';
import type { StoreRanker } from '../../recs/storeRanker';
import type { ShopperSignals } from '../../recs/types';
import type { ModelSnapshot, TrainProgress } from '../../ml/recommender';
import { createRecommender } from '../../ml/registry';
import type {
  LearningPhase,
  StoreModelCard,
  StoreModelName,
  StoreStatus,
  StoreTrainingProgress,
} from './protocol';
import { blendFitData, penaltyValidationShare } from './blendFitData';
import { judgeForYou, measureForYouRows } from './forYouMeasure';
import { hitRateAndNdcg, type HeldOutPlayer, type HeldOutSplit } from './heldOut';
import { HostGruScorer } from './hostGru';
import { itemFeatureCsr } from './itemFeatures';
import { MfItemSpace } from './mfItemSpace';
import { importedInPlaceOfMf, importIdentity, type PreparedImport } from './importedCommunityModel';
import { obtainModel, type ModelRepository, type ObtainedModel } from './orchestrator';
import { planFingerprint, plainConfig, type StoreTrainingPlan } from './plan';
import { interruptionNote, type InterruptionNoter } from './interruption';
import { learnProfileModel } from './profileLearning';
import { EncoderProfileSource } from './profileSource';
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
  /**
   * a community model trained elsewhere, in MF's place in the blend and "For you" (the store's own
   * MF is still obtained, to be measured beside it)
   */
  imported?: PreparedImport;
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

/**
 * One of the stored blends: the store's columns (`weights`) or, `withProfile`, the blend fitted
 * with the profile's too (`profileWeights`). w · x; a bias from an older snapshot is kept, it never
 * changes an order.
 */
export function hybridFromSnapshot(
  snapshot: ModelSnapshot,
  withProfile: boolean,
): { ranker: HybridWeights; columns: readonly BlendColumn[] } {
  const columns = withProfile ? profileBlendColumns : storeBlendColumns;
  const values = Array.from(withProfile ? snapshot.arrays.profileWeights : snapshot.arrays.weights);
  const width = columns.length;
  return { ranker: { weights: values.slice(0, width), bias: values[width] ?? 0 }, columns };
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

  const ownMf = new MfItemSpace(mfObtained.record.snapshot);
  const { imported } = context;
  const mf = imported
    ? importedInPlaceOfMf(imported, ownMf, metricPlayers, plan.seed, (view) =>
        post({ type: 'importedModel', view }),
      )
    : ownMf;
  const sequential = new HostGruScorer(gruObtained.record.snapshot);

  // the profile encoder before the blend, so its columns are fitted with the others (and kept only
  // if they help); without it the blend is fitted on the store's columns alone
  const profileObtained = await learnProfileModel(context, {
    targets: context.targets,
    gru: sequential,
    fitPlayers: blendPlayers,
    metricPlayers,
    note: (message) => learning('training', message),
    noteInterruption,
    warn,
    onProgress: progressReporter('profileEncoder', [0.7, 0.95]),
  });
  if (profileObtained) {
    cards.push(cardOf(profileObtained));
    await context.onProfileModel?.(profileObtained.record.snapshot);
    post({ type: 'models', cards: [...cards], hybrid: null, forYou: null });
  }
  const profile = profileObtained
    ? new EncoderProfileSource(profileObtained.record.snapshot, context.targets.genres)
    : undefined;
  const unweighted: LearnedModels = { mf, sequential, profile, ranker: equalHybridWeights, serves: 'blend' };
  const columnSets = profile ? [storeBlendColumns, profileBlendColumns] : [storeBlendColumns];

  learning('training', 'Fitting the blend on held-out players');
  let fitTiming = { fitPlayers: blendPlayers.length, fitMs: 0 };
  const blendConfig: Record<string, unknown> = {
    objective: 'pairwise (BPR)',
    poolNegatives: blendNegatives.pool,
    catalogueNegatives: blendNegatives.catalogue,
    fitPlayers: blendPlayers.length,
    evaluationPlayers: metricPlayers.length,
    features: storeBlendColumns.map(columnName).join(', '),
    ...(imported ? { mfColumn: `imported: ${imported.record.source}` } : {}),
    ...(profile ? { profileFeatures: profileColumns.map(columnName).join(', ') } : {}),
  };
  const hybridObtained = await obtainModel(context.repository, {
    name: 'hybrid',
    identity: {
      dataHash: context.dataHash,
      // a retrained input model, another objective or another split means a new blend
      fingerprint: JSON.stringify({
        mode: plan.mode,
        mf: imported ? importIdentity(imported.record) : mfObtained.record.trainedAt,
        gru: gruObtained.record.trainedAt,
        profileEncoder: profileObtained?.record.trainedAt ?? null,
        objective: 'pairwise BPR, pool + catalogue negatives, selection guard',
        penalty: { grid: defaultPenaltyGrid, validationShare: penaltyValidationShare },
        columns: columnSets.map((columns) => columns.map(columnName)),
        split: { seed: plan.seed, evaluationShare },
        measured:
          'For you as served, profile columns kept if they beat the blend without, safety rule on NDCG@10',
      }),
    },
    epochs: 1,
    backend: 'cpu (plain JS)',
    eventsUsed: 0,
    // the chosen penalties join the card's config once the blend is fitted
    config: blendConfig,
    train: async () => {
      const started = performance.now();
      const fitData = await blendFitData(
        {
          ranker: context.ranker,
          learned: unweighted,
          players: blendPlayers,
          signalsOf: playerSignals,
          itemCount: context.index.itemCount,
          seed: plan.seed,
          signal,
        },
        columnSets,
      );
      const [base, withProfile] = fitData.map(fitTunedStoreBlend);
      blendConfig.l2 = base.penalty.l2;
      if (withProfile) blendConfig.profileL2 = withProfile.penalty.l2;
      fitTiming = { fitPlayers: blendPlayers.length, fitMs: performance.now() - started };
      const packed = (weights: HybridWeights) => Float32Array.from([...weights.weights, weights.bias]);
      return {
        name: 'hybrid',
        config: {},
        arrays: {
          weights: packed(base.weights),
          ...(withProfile ? { profileWeights: packed(withProfile.weights) } : {}),
        },
      };
    },
    evaluate: async (snapshot) => {
      const started = performance.now();
      const learned = { mf, sequential, profile, ranker: hybridFromSnapshot(snapshot, false).ranker };
      const withProfile =
        profile && snapshot.arrays.profileWeights ? hybridFromSnapshot(snapshot, true) : undefined;
      const measured = await measureForYouRows(
        context.ranker,
        learned,
        metricPlayers,
        playerSignals,
        settingsDefaults.diversity,
        signal,
        withProfile,
      );
      const quality = judgeForYou(measured, {
        ...fitTiming,
        measureMs: performance.now() - started,
        seed: plan.seed,
      });
      return qualityMetrics(quality);
    },
  });
  const forYou: ForYouQuality | null = qualityFromMetrics(hybridObtained.record.metrics);
  // the fingerprint names the measurement, so a stored blend without one is a damaged record
  if (!forYou) throw new Error('the stored blend has no measurement of "For you"');
  const profileKept = forYou.profile?.kept === true;
  const { ranker, columns } = hybridFromSnapshot(hybridObtained.record.snapshot, profileKept);
  cards.push(cardOf(hybridObtained));
  // the profile is read on every event only when its columns serve
  context.ranker.useLearned({
    mf,
    sequential,
    profile: profileKept ? profile : undefined,
    ranker,
    columns,
    serves: forYou.serves,
  });
  const hybrid = { features: columns.map(columnName), weights: ranker.weights, bias: ranker.bias };
  post({ type: 'models', cards: [...cards], hybrid, forYou });
  learning(
    'ready',
    forYou.serves === 'blend'
      ? '"For you" now blends every model with the learned weights'
      : `"For you" now uses ${componentLabels[forYou.serves]} alone: the blend did not beat it on held-out players`,
  );
}

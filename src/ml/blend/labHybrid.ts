// The registry's `hybrid`: the storefront's kind of learned blend over research models. Each
// component model trains on the split's training part; then the split's **validation** fold (never
// the test fold) is split by user with splitFitAndEvalUsers: on one side the weights are fitted by
// the pairwise ranking objective (fitRankingWeights: each user's held-out item against negatives
// from the components' candidate pool and from the catalogue, with the selection guard), on the
// other side the blend and every component alone are evaluated under the run's own protocol, and
// the safety rule (decideServing, on NDCG@10) picks what the hybrid serves: the blend only when it
// beats its best component, otherwise that component, and the summary says which and why. When a
// component chooses its own epoch on the validation fold (a patience), the fold's users are first
// split (splitEpochAndBlendUsers): the epoch is chosen on one part and the blend fitted and judged
// on the other, so no component's figure in the decision was chosen on the users that judge it.
//
// Scoring: every component scores every item; each component's scores are min-max scaled with the
// low and span it has over the candidate pool (the union of each component's top `candidates`,
// history excluded), and the blend is w · scaled for **every** item. Items outside the pool
// keep their place on each component's line (they may scale below 0), so full ranking and
// fixed or sampled negatives rank a target the pool missed by the same blend, never as −∞.
import {
  evaluateRecommender,
  evaluatedUsers,
  shopperState,
  type EvalFold,
  type RankingProtocol,
} from '../eval';
import { userRow, type InteractionMatrix } from '../interactions';
import {
  topK,
  type ModelSnapshot,
  type RecommendFilter,
  type Recommender,
  type ScoredItem,
  type ShopperState,
  type TrainOptions,
  type ValidationFitOptions,
} from '../recommender';
import { fitThroughCache, modelCacheKey, type ResumeOptions } from '../modelCache';
import { createRng, sampleWithoutReplacement } from '../random';
import type { ModelConfig } from '../registry';
import { blendScores, minMaxOver, minMaxScaled, unionOfTopK, type HybridWeights } from './logisticBlend';
import { drawNegatives, rankingCase } from './rankCases';
import { fitRankingWeights, type RankingCase } from './rankFit';
import { decideServing, type RankerSummary } from './safetyRule';
import {
  foldForUsers,
  splitEpochAndBlendUsers,
  splitFitAndEvalUsers,
  type EpochAndBlendUsers,
} from './userSplit';
import { fitValidatedComponent, type ComponentEpochs } from './validatedComponent';

export interface BlendComponent {
  name: string;
  model: Recommender;
  /** its whole resolved config: with it, the component can be kept in a model cache */
  config?: ModelConfig;
  /**
   * a learned component validated after every epoch on the validation fold the hybrid is given
   * (TrainOptions.componentValidation), stopping after this many epochs without a better NDCG@10
   * and keeping its best epoch; without, it trains its configured epochs
   */
  patience?: number;
}

export interface BlendOptions {
  /** candidates each component proposes to the pool that sets the scaling */
  candidates: number;
  /** validation users the blend is fitted on, and at most as many it is judged on (seeded samples) */
  blendUsers: number;
  /**
   * with a component that chooses its epoch: the most of the validation users, in percent, that
   * fitting and judging the blend may take; the epoch choice has the rest (splitEpochAndBlendUsers)
   */
  blendMaxPercent: number;
  /** per case: negatives from the pool (hard) and from the whole catalogue (easy) */
  poolNegatives: number;
  randomNegatives: number;
  seed: number;
}

export const defaultBlendOptions: BlendOptions = {
  candidates: 40,
  blendUsers: 2000,
  blendMaxPercent: 50,
  poolNegatives: 20,
  randomNegatives: 20,
  seed: 0,
};

/** The metric the safety rule decides on; HR@10 is reported beside it. */
const decisionMetric = 'NDCG@10';

/** One way of ranking, as the safety rule measured it on the decision users. */
export interface BlendRankerMeasure {
  name: string;
  /** NDCG@10 with its bootstrap interval, and HR@10's mean */
  ndcg: RankerSummary['interval'];
  hr: number;
}

/** The safety rule's decision, with its numbers. */
export interface BlendDecision {
  metric: string;
  /** validation users the decision was measured on (none of them fitted the weights) */
  users: number;
  blend: BlendRankerMeasure;
  /** every component alone, in the config's order */
  components: BlendRankerMeasure[];
  bestComponent: string;
  /** blend over best component on the metric; null when the best scored 0 */
  ratioToBest: number | null;
  /** paired bootstrap interval of mean(blend − best component) */
  difference: RankerSummary['interval'];
  explanation: string;
}

/**
 * What a researcher sees of the blend, w · (component score, min-max scaled over the candidate
 * pool): each component's learned weight and training time, and what the hybrid serves.
 */
export interface BlendSummary {
  /**
   * in the config's order; trainMs is that component's training (part of the hybrid's trainMs), or
   * its loading when `cached` (it was trained by an earlier run and read from the model cache)
   */
  components: {
    name: string;
    weight: number;
    trainMs: number;
    cached?: boolean;
    /** a component with a patience: its validation curve and the epoch kept */
    epochs?: ComponentEpochs;
  }[];
  /** always 0: a pairwise fit has no bias (kept so results read alike) */
  bias: number;
  /**
   * with a component that chose its epoch: how the validation users were split between that
   * choice and the blend (its fit and its judging); absent when no component has a patience
   */
  validationUsers?: { epochChoice: number; blend: number };
  /** validation users the weights were fitted on, and the (target, negative) pairs */
  cases: number;
  examples: number;
  fitMs: number;
  /** 'blend', or the component that scores for the hybrid because the blend did not beat it */
  servedBy: string;
  decision: BlendDecision;
}

/** Users scored at a time when a component has a batched scorer (as the evaluation does). */
const BATCH = 64;

export class LabHybrid implements Recommender {
  readonly name = 'hybrid' as const;
  private weights: HybridWeights | null = null;
  /** the component that scores for the hybrid; null: the blend does */
  private served: number | null = null;
  private decision: BlendDecision | null = null;
  private readonly trainMs: number[];
  /** per component: read from the model cache rather than trained by this fit */
  private readonly cached: boolean[];
  private readonly epochs: (ComponentEpochs | undefined)[];
  private fitted = { cases: 0, examples: 0, fitMs: 0 };
  private validationParts: EpochAndBlendUsers | undefined;
  private itemCount = 0;

  constructor(
    private readonly components: readonly BlendComponent[],
    private readonly options: BlendOptions = defaultBlendOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (components.length === 0) throw new RangeError('hybrid needs at least one component');
    this.trainMs = components.map(() => 0);
    this.cached = components.map(() => false);
    this.epochs = components.map(() => undefined);
  }

  /** Trains every component on `data`, one after another (each with its own config's epochs). */
  async fit(data: InteractionMatrix, options: TrainOptions = {}): Promise<void> {
    this.itemCount = data.itemCount;
    this.weights = null;
    this.served = null;
    this.decision = null;
    const validation = options.componentValidation;
    const parts = validation && this.epochAndBlendUsers(validation);
    for (const [index, component] of this.components.entries()) {
      const { name, model, config } = component;
      const start = this.now();
      const fit = (resume: ResumeOptions & Pick<TrainOptions, 'onEpochEnd'> = {}) =>
        model.fit(data, {
          ...resume,
          signal: options.signal,
          onProgress: (progress) => options.onComponentProgress?.(name, progress),
        });
      const cache = options.modelCache;
      this.epochs[index] = undefined;
      if (component.patience !== undefined) {
        const validated = await fitValidatedComponent(component, fit, options, parts?.epochChoice ?? []);
        this.epochs[index] = validated;
        this.cached[index] = validated.trainedNow === 0;
      } else if (cache && config) {
        const key = modelCacheKey({ data: cache.data, model: name, config });
        this.cached[index] = await fitThroughCache(model, key, cache.store, fit, options.onMessage);
        if (this.cached[index]) options.onMessage?.(`${name}: loaded from the model cache (${key})`);
      } else {
        this.cached[index] = false;
        await fit();
      }
      this.trainMs[index] = this.now() - start;
    }
  }

  /**
   * The validation users split between choosing the components' epochs and the blend, when some
   * component chooses its epoch (has a patience); otherwise the blend has every user, as before.
   * A function of the fold's users and the options alone, so fit and fitBlend split alike.
   */
  private epochAndBlendUsers(fold: EvalFold): EpochAndBlendUsers | undefined {
    if (!this.components.some(({ patience }) => patience !== undefined)) return undefined;
    const { seed, blendUsers, blendMaxPercent } = this.options;
    return splitEpochAndBlendUsers(Array.from(evaluatedUsers(fold)), seed, { blendUsers, blendMaxPercent });
  }

  /**
   * Fits the blend on a validation fold and decides what the hybrid serves: weights on one seeded
   * half of its users (of its blend part, when a component chose its epoch on the others), the
   * safety rule on the other half, ranked under `protocol` (the run's own, so the decision is
   * about the ranking the run reports).
   */
  async fitBlend(
    fold: EvalFold,
    signal?: AbortSignal,
    protocol: RankingProtocol = { kind: 'full' },
  ): Promise<HybridWeights> {
    const start = this.now();
    const { blendUsers, seed } = this.options;
    const rng = createRng(seed);
    this.validationParts = this.epochAndBlendUsers(fold);
    const users = this.validationParts?.blend ?? Array.from(evaluatedUsers(fold));
    if (users.length < 2) throw new RangeError('hybrid: the validation fold needs at least two users');
    const split = splitFitAndEvalUsers(users, seed, 0.5);
    // seeded samples when there are more than blendUsers
    const sample = (side: number[]) => sampleWithoutReplacement(side, blendUsers, rng).sort((a, b) => a - b);
    const fitUsers = sample(split.fit);
    const cases = await this.rankingCases(fold, fitUsers, rng, signal);
    const fit = fitRankingWeights(cases);
    // kept at float32, as save() stores them, so a reloaded hybrid scores exactly as this one
    this.weights = { weights: fit.weights.map((weight) => Math.fround(weight)), bias: 0 };
    this.served = null;
    const decisionUsers = sample(split.evaluation);
    const { decision, servesBlend } = await this.decide(foldForUsers(fold, decisionUsers), protocol, signal);
    this.decision = decision;
    this.served = servesBlend
      ? null
      : this.components.findIndex(({ name }) => name === decision.bestComponent);
    const { poolPairs, cataloguePairs } = fit.diagnostics;
    this.fitted = { cases: cases.length, examples: poolPairs + cataloguePairs, fitMs: this.now() - start };
    return this.weights;
  }

  /**
   * Takes every choice `chosen` made on the validation fold (its blend weights, the safety rule's
   * decision and what it serves, and its components' epoch curves, for the summary) without
   * fitting anything: the final fit on train + validation (worker/lab/finalFit.ts) retrains the
   * components, then serves exactly as the hybrid that was chosen would. Same components, same order.
   */
  adoptChoices(chosen: LabHybrid): void {
    const names = (hybrid: LabHybrid) => hybrid.components.map(({ name }) => name).join(',');
    if (names(chosen) !== names(this)) {
      throw new RangeError(`hybrid: cannot take the choices of ${names(chosen)} for ${names(this)}`);
    }
    if (!chosen.weights || !chosen.decision) throw new Error('hybrid: the chosen blend is not fitted yet');
    this.weights = { weights: [...chosen.weights.weights], bias: chosen.weights.bias };
    this.served = chosen.served;
    this.decision = chosen.decision;
    this.fitted = { ...chosen.fitted };
    this.validationParts = chosen.validationParts;
    chosen.epochs.forEach((epochs, c) => (this.epochs[c] = epochs));
  }

  /** The Recommender capability: fitBlend with a progress line at each stage, and the summary. */
  async fitOnValidation(fold: EvalFold, options: ValidationFitOptions = {}): Promise<BlendSummary> {
    const { signal, protocol, onMessage } = options;
    onMessage?.('fitting the blend on the validation fold');
    await this.fitBlend(fold, signal, protocol);
    const summary = this.summary()!;
    onMessage?.(
      `blend weights: ${summary.components.map((c) => `${c.name} ${c.weight.toFixed(3)}`).join(', ')}`,
    );
    onMessage?.(summary.decision.explanation);
    return summary;
  }

  /** One ranking case per user: the held-out item against pool and catalogue negatives, rows as scoring scales them. */
  private async rankingCases(
    fold: EvalFold,
    users: readonly number[],
    rng: ReturnType<typeof createRng>,
    signal?: AbortSignal,
  ): Promise<RankingCase[]> {
    const { candidates, poolNegatives, randomNegatives } = this.options;
    const itemCount = fold.targets.itemCount;
    const cases: RankingCase[] = [];
    for (let at = 0; at < users.length; at += BATCH) {
      signal?.throwIfAborted();
      const block = users.slice(at, at + BATCH);
      const states = block.map((user) => shopperState(fold, user, userRow(fold.history, user)));
      const scores = await this.componentScores(states);
      block.forEach((user, b) => {
        const target = userRow(fold.targets, user)[0];
        const seen = new Set<number>(userRow(fold.seen, user));
        const perComponent = scores.map((all) => all.subarray(b * itemCount, (b + 1) * itemCount));
        const pool = unionOfTopK(perComponent, candidates, { exclude: seen });
        const scale = perComponent.map((scores) => minMaxOver(scores, pool));
        const features = (item: number) =>
          Float32Array.from(perComponent, (scores, c) => minMaxScaled(scores, item, scale[c]));
        const negatives = drawNegatives(
          pool,
          target,
          itemCount,
          seen,
          { pool: poolNegatives, catalogue: randomNegatives },
          rng,
        );
        cases.push(rankingCase(features, target, negatives));
      });
    }
    return cases;
  }

  /**
   * The safety rule on `fold`'s users: the blend and every component alone ranked under
   * `protocol`, NDCG@10 per user, paired. Components are judged as they stand, the blend as fitted.
   */
  private async decide(
    fold: EvalFold,
    protocol: RankingProtocol,
    signal?: AbortSignal,
  ): Promise<{ decision: BlendDecision; servesBlend: boolean }> {
    const { seed } = this.options;
    const measure = async (model: Recommender) => {
      const result = await evaluateRecommender(model, fold, protocol, {
        ks: [10],
        seed,
        signal,
        bootstrapResamples: 1,
      });
      return { ndcg: result.perUser[decisionMetric], hr: result.perUser['HR@10'] };
    };
    const blend = await measure(this);
    const components = [];
    for (const { name, model } of this.components) components.push({ name, ...(await measure(model)) });
    const decision = decideServing(
      { name: 'blend', perUser: blend.ndcg },
      components.map(({ name, ndcg }) => ({ name, perUser: ndcg })),
      { seed, metric: decisionMetric },
    );
    const hrMean = (values: Float64Array) =>
      values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
    const measured: BlendDecision = {
      metric: decisionMetric,
      users: decision.users,
      blend: { name: 'blend', ndcg: decision.blend.interval, hr: hrMean(blend.hr) },
      components: components.map(({ name, hr }, c) => ({
        name,
        ndcg: decision.components[c].interval,
        hr: hrMean(hr),
      })),
      bestComponent: decision.bestComponent.name,
      ratioToBest: decision.ratioToBest,
      difference: decision.difference,
      explanation: decision.explanation,
    };
    return { decision: measured, servesBlend: decision.servesBlend };
  }

  /** The learned weights by component and the decision; null before fitBlend (or after load). */
  summary(): BlendSummary | null {
    const weights = this.weights;
    if (!weights || !this.decision) return null;
    return {
      components: this.components.map(({ name }, c) => ({
        name,
        weight: weights.weights[c],
        trainMs: this.trainMs[c],
        ...(this.cached[c] ? { cached: true } : {}),
        ...(this.epochs[c] ? { epochs: this.epochs[c] } : {}),
      })),
      bias: weights.bias,
      ...(this.validationParts
        ? {
            validationUsers: {
              epochChoice: this.validationParts.epochChoice.length,
              blend: this.validationParts.blend.length,
            },
          }
        : {}),
      ...this.fitted,
      servedBy: this.servedBy(),
      decision: this.decision!,
    };
  }

  /** 'blend', or the name of the component that scores for the hybrid. */
  servedBy(): string {
    return this.served === null ? 'blend' : this.components[this.served].name;
  }

  /** Each component's scores for the states, row i at [i · itemCount, (i + 1) · itemCount). */
  private async componentScores(states: readonly ShopperState[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const { model } of this.components) {
      if (model.scoreMany) out.push(await model.scoreMany(states));
      else {
        const all = new Float32Array(states.length * this.itemCount);
        states.forEach((state, s) =>
          all.set(model.scoreAll(state).subarray(0, this.itemCount), s * this.itemCount),
        );
        out.push(all);
      }
    }
    return out;
  }

  private blend(perComponent: Float32Array[], history: readonly number[]): Float32Array {
    const weights = this.requireWeights();
    const pool = unionOfTopK(perComponent, this.options.candidates, { exclude: new Set(history) });
    const scale = perComponent.map((scores) => minMaxOver(scores, pool));
    const width = perComponent.length;
    // every item, not only the pool: a target outside it is still ranked by the same blend
    const rows = new Float32Array(this.itemCount * width);
    for (let item = 0; item < this.itemCount; item++) {
      for (let c = 0; c < width; c++) rows[item * width + c] = minMaxScaled(perComponent[c], item, scale[c]);
    }
    return blendScores(weights, rows);
  }

  scoreAll(state: ShopperState): Float32Array {
    this.requireWeights();
    if (this.served !== null) return this.components[this.served].model.scoreAll(state);
    const perComponent = this.components.map(({ model }) => model.scoreAll(state));
    return this.blend(perComponent, state.history);
  }

  async scoreMany(states: readonly ShopperState[]): Promise<Float32Array> {
    this.requireWeights();
    if (this.served !== null) {
      // the served component alone, batched as it would be on its own
      const component = this.components[this.served].model;
      if (component.scoreMany) return component.scoreMany(states);
      const out = new Float32Array(states.length * this.itemCount);
      states.forEach((state, s) =>
        out.set(component.scoreAll(state).subarray(0, this.itemCount), s * this.itemCount),
      );
      return out;
    }
    const scores = await this.componentScores(states);
    const out = new Float32Array(states.length * this.itemCount);
    states.forEach((state, s) => {
      const perComponent = scores.map((all) => all.subarray(s * this.itemCount, (s + 1) * this.itemCount));
      out.set(this.blend(perComponent, state.history), s * this.itemCount);
    });
    return out;
  }

  recommend(state: ShopperState, k: number, filter?: RecommendFilter): ScoredItem[] {
    return topK(this.scoreAll(state), k, filter);
  }

  /** Item-to-item: the served component, or the one with the largest weight (a blend has no item space). */
  similarItems(item: number, k: number, filter?: RecommendFilter): ScoredItem[] {
    const weights = this.requireWeights().weights;
    if (this.served !== null) return this.components[this.served].model.similarItems(item, k, filter);
    let best = 0;
    weights.forEach((weight, c) => {
      if (weight > weights[best]) best = c;
    });
    return this.components[best].model.similarItems(item, k, filter);
  }

  save(): ModelSnapshot {
    const weights = this.requireWeights();
    const arrays: ModelSnapshot['arrays'] = { blend: Float32Array.from([...weights.weights, weights.bias]) };
    const configs: Record<string, unknown> = {};
    this.components.forEach(({ name, model }) => {
      const snapshot = model.save();
      configs[name] = snapshot.config;
      for (const [key, array] of Object.entries(snapshot.arrays)) arrays[`${name}/${key}`] = array;
    });
    return {
      name: 'hybrid',
      config: {
        components: this.components.map((c) => c.name),
        itemCount: this.itemCount,
        configs,
        servedBy: this.servedBy(),
      },
      arrays,
    };
  }

  load(snapshot: ModelSnapshot): void {
    const blend = snapshot.arrays.blend;
    const width = this.components.length;
    if (snapshot.name !== 'hybrid' || !blend || blend.length !== width + 1) {
      throw new RangeError('not a snapshot of this hybrid');
    }
    const configs = snapshot.config.configs as Record<string, Record<string, unknown>>;
    for (const { name, model } of this.components) {
      const arrays: ModelSnapshot['arrays'] = {};
      for (const [key, array] of Object.entries(snapshot.arrays)) {
        if (key.startsWith(`${name}/`)) arrays[key.slice(name.length + 1)] = array;
      }
      model.load({ name: model.name, config: configs[name], arrays });
    }
    this.itemCount = Number(snapshot.config.itemCount);
    this.weights = { weights: Array.from(blend.subarray(0, width)), bias: blend[width] };
    const served = this.components.findIndex(({ name }) => name === snapshot.config.servedBy);
    this.served = served < 0 ? null : served;
  }

  dispose(): void {
    for (const { model } of this.components) model.dispose();
  }

  private requireWeights(): HybridWeights {
    if (!this.weights) throw new Error('hybrid: the blend is not fitted yet (fit, then fitBlend)');
    return this.weights;
  }
}

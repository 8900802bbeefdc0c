// The registry's `hybrid`: the storefront's learned blend (logisticBlend.ts) over research models. Each
// component model trains on the split's training part; then a logistic regression
// (trainLogisticRanker) learns one weight per component from the split's **validation** fold —
// pairs of each sampled validation user's held-out item against a negative from the components'
// candidate pool or from the whole catalogue (the feature difference, both ways round: a pairwise
// ranking fit) — never from the test fold.
//
// Scoring: every component scores every item; each component's scores are min-max scaled with the
// low and span it has over the candidate pool (the union of each component's top `candidates`,
// history excluded), and the blend is w · scaled + b for **every** item. Items outside the pool
// keep their place on each component's line (they may scale below 0), so full ranking and
// fixed or sampled negatives rank a target the pool missed by the same blend, never as −∞.
import { evaluatedUsers, shopperState, type EvalFold } from '../eval';
import { userRow, type InteractionMatrix } from '../interactions';
import {
  topK,
  type ModelSnapshot,
  type RecommendFilter,
  type Recommender,
  type ScoredItem,
  type ShopperState,
  type TrainOptions,
  type TrainProgress,
} from '../recommender';
import { createRng, sampleWithoutReplacement } from '../random';
import {
  blendScores,
  minMaxOver,
  minMaxScaled,
  trainLogisticRanker,
  unionOfTopK,
  type HybridWeights,
  type RankerTrainingOptions,
} from './logisticBlend';

export interface BlendComponent {
  name: string;
  model: Recommender;
}

export interface BlendOptions {
  /** candidates each component proposes to the pool that sets the scaling */
  candidates: number;
  /** validation users the blend is fitted on (seeded sample when there are more) */
  blendUsers: number;
  /** per case: negatives from the pool (hard) and from the whole catalogue (easy) */
  poolNegatives: number;
  randomNegatives: number;
  seed: number;
  ranker?: RankerTrainingOptions;
}

export const defaultBlendOptions: BlendOptions = {
  candidates: 40,
  blendUsers: 2000,
  poolNegatives: 0,
  randomNegatives: 40,
  seed: 0,
};

/**
 * What a researcher sees of the blend, w · (component score, min-max scaled over the candidate
 * pool) + bias: each component's learned weight and training time.
 */
export interface BlendSummary {
  /** in the config's order; trainMs is that component's training (part of the hybrid's trainMs) */
  components: { name: string; weight: number; trainMs: number }[];
  bias: number;
  /** validation users the weights were fitted on, and examples (two per target–negative pair) */
  cases: number;
  examples: number;
  fitMs: number;
}

/** Users scored at a time when a component has a batched scorer (as the evaluation does). */
const BATCH = 64;

export class LabHybrid implements Recommender {
  readonly name = 'hybrid' as const;
  private weights: HybridWeights | null = null;
  private readonly trainMs: number[];
  private fitted = { cases: 0, examples: 0, fitMs: 0 };
  private itemCount = 0;
  /** per-component training progress, for the lab's progress line (not an epoch of the hybrid) */
  onComponentProgress?: (component: string, progress: TrainProgress) => void;

  constructor(
    private readonly components: readonly BlendComponent[],
    private readonly options: BlendOptions = defaultBlendOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (components.length === 0) throw new RangeError('hybrid needs at least one component');
    this.trainMs = components.map(() => 0);
  }

  /** Trains every component on `data`, one after another (each with its own config's epochs). */
  async fit(data: InteractionMatrix, options: TrainOptions = {}): Promise<void> {
    this.itemCount = data.itemCount;
    this.weights = null;
    for (const [index, { name, model }] of this.components.entries()) {
      const start = this.now();
      await model.fit(data, {
        signal: options.signal,
        onProgress: (progress) => this.onComponentProgress?.(name, progress),
      });
      this.trainMs[index] = this.now() - start;
    }
  }

  /**
   * Fits the blend weights on a validation fold: each evaluated user's first held-out item against
   * pool and catalogue negatives, features scaled as scoring scales them.
   */
  async fitBlend(fold: EvalFold, signal?: AbortSignal): Promise<HybridWeights> {
    const start = this.now();
    const { candidates, blendUsers, poolNegatives, randomNegatives, seed } = this.options;
    const rng = createRng(seed);
    // a seeded sample picks the users when there are more than blendUsers
    const chosen = sampleWithoutReplacement(Array.from(evaluatedUsers(fold)), blendUsers, rng).sort(
      (a, b) => a - b,
    );
    const width = this.components.length;
    const rows: number[] = [];
    const labels: number[] = [];
    const itemCount = fold.targets.itemCount;
    for (let at = 0; at < chosen.length; at += BATCH) {
      signal?.throwIfAborted();
      const block = chosen.slice(at, at + BATCH);
      const states = block.map((user) => shopperState(fold, user, userRow(fold.history, user)));
      const scores = await this.componentScores(states);
      block.forEach((user, b) => {
        const target = userRow(fold.targets, user)[0];
        const seen = new Set<number>(userRow(fold.seen, user));
        const perComponent = scores.map((all) => all.subarray(b * itemCount, (b + 1) * itemCount));
        const pool = unionOfTopK(perComponent, candidates, { exclude: seen });
        const scale = perComponent.map((scores) => minMaxOver(scores, pool));
        const picked = sampleWithoutReplacement(
          pool.filter((item) => item !== target),
          poolNegatives,
          rng,
        );
        // catalogue negatives: what the fixed and sampled protocols rank against
        for (let tries = 0, drawn = 0; drawn < randomNegatives && tries < randomNegatives * 10; tries++) {
          const item = rng.nextInt(itemCount);
          if (item === target || seen.has(item)) continue;
          picked.push(item);
          drawn++;
        }
        // pairwise: the ranker learns which of (target, negative) comes first from their feature
        // difference, both ways round — a ranking objective, not a guess of absolute relevance (a
        // pointwise fit is pulled towards a negative weight for a component whose pool candidates
        // outscore the target as often as the catalogue's random items fall below it)
        const positive = perComponent.map((scores, c) => minMaxScaled(scores, target, scale[c]));
        for (const item of picked) {
          for (const sign of [1, -1]) {
            for (let c = 0; c < width; c++) {
              rows.push(sign * (positive[c] - minMaxScaled(perComponent[c], item, scale[c])));
            }
            labels.push(sign > 0 ? 1 : 0);
          }
        }
      });
    }
    const fitted = trainLogisticRanker(
      { rows: Float32Array.from(rows), labels: Uint8Array.from(labels) },
      this.options.ranker,
    );
    // kept at float32, as save() stores them, so a reloaded hybrid scores exactly as this one
    this.weights = {
      weights: fitted.weights.map((weight) => Math.fround(weight)),
      bias: Math.fround(fitted.bias),
    };
    this.fitted = { cases: chosen.length, examples: labels.length, fitMs: this.now() - start };
    return this.weights;
  }

  /** The learned weights by component; null before fitBlend. */
  summary(): BlendSummary | null {
    const weights = this.weights;
    if (!weights) return null;
    return {
      components: this.components.map(({ name }, c) => ({
        name,
        weight: weights.weights[c],
        trainMs: this.trainMs[c],
      })),
      bias: weights.bias,
      ...this.fitted,
    };
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
    const perComponent = this.components.map(({ model }) => model.scoreAll(state));
    return this.blend(perComponent, state.history);
  }

  async scoreMany(states: readonly ShopperState[]): Promise<Float32Array> {
    this.requireWeights();
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

  /** Item-to-item: the component with the largest weight answers (a blend has no item space). */
  similarItems(item: number, k: number, filter?: RecommendFilter): ScoredItem[] {
    const weights = this.requireWeights().weights;
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
      config: { components: this.components.map((c) => c.name), itemCount: this.itemCount, configs },
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
  }

  dispose(): void {
    for (const { model } of this.components) model.dispose();
  }

  private requireWeights(): HybridWeights {
    if (!this.weights) throw new Error('hybrid: the blend is not fitted yet (fit, then fitBlend)');
    return this.weights;
  }
}

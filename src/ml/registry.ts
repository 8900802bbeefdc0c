// Every model the lab and the headless runner can evaluate, by name. One place turns a name and a
// (partial, possibly user-written) config into a Recommender, so the page, the worker and
// `npm run eval` can never disagree on what "mf" or its defaults mean.
import { defaultItemKnnConfig, ItemKnnRecommender, type ItemKnnConfig } from './baselines/itemKnn';
import { PopularityRecommender } from './baselines/popularity';
import type { SearchSpace } from './eval/tuning';
import { createLearnedModel, defaultGruConfig, defaultMfConfig, defaultSasrecConfig } from './models';
import type { Recommender } from './recommender';

export const modelNames = ['popularity', 'itemknn', 'mf', 'sasrec', 'gru'] as const;

export type RegisteredModelName = (typeof modelNames)[number];

/** A model config as it travels through postMessage and JSON files: plain values only. */
export type ModelConfig = Record<string, number | string | boolean>;

/** Plain (JSON-able) fields of a config; typed arrays such as MF's item features are left out. */
function plainFields(config: object): ModelConfig {
  const plain: ModelConfig = {};
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')
      plain[key] = value;
  }
  return plain;
}

/** Each model's defaults; a user config may override any of these keys and no others. */
export const defaultModelConfigs: Readonly<Record<RegisteredModelName, Readonly<ModelConfig>>> = {
  popularity: {},
  itemknn: plainFields(defaultItemKnnConfig),
  mf: plainFields(defaultMfConfig),
  sasrec: plainFields(defaultSasrecConfig),
  gru: plainFields(defaultGruConfig),
};

/** Models that train in epochs (a loss curve and early stopping make sense for these only). */
export const iterativeModels: ReadonlySet<RegisteredModelName> = new Set(['mf', 'sasrec', 'gru']);

/** A modest search space per model for the lab's tuning, over the knobs that matter most. */
export const defaultSearchSpaces: Readonly<Record<RegisteredModelName, SearchSpace>> = {
  popularity: {},
  itemknn: {
    neighbours: [50, 200],
    shrink: [10, 30, 100],
    proximityDecay: [1, 0.7, 0.5],
    historyDecay: [1, 0.5],
  },
  mf: {
    dim: [32, 64],
    learningRate: { min: 1e-3, max: 2e-2, log: true },
    l2: { min: 1e-6, max: 1e-3, log: true },
  },
  sasrec: {
    hidden: [32, 50, 64],
    dropout: [0.1, 0.2, 0.5],
    learningRate: { min: 5e-4, max: 5e-3, log: true },
  },
  gru: { hidden: [32, 64, 100], dropout: [0, 0.1, 0.3], learningRate: { min: 5e-4, max: 5e-3, log: true } },
};

export function isModelName(name: string): name is RegisteredModelName {
  return (modelNames as readonly string[]).includes(name);
}

/** Throws a message that lists the known names, for a typo on the command line or in a form. */
export function assertModelName(name: string): asserts name is RegisteredModelName {
  if (!isModelName(name)) {
    throw new RangeError(`unknown model "${name}"; known models: ${modelNames.join(', ')}`);
  }
}

/**
 * The defaults overlaid with `overrides`, checked: an unknown key or a value of the wrong type is
 * an error naming the key, because a silently ignored typo ("learningrate") would make a run look
 * tuned when it was not.
 */
export function resolveModelConfig(name: string, overrides: Record<string, unknown> = {}): ModelConfig {
  assertModelName(name);
  const defaults = defaultModelConfigs[name];
  const resolved: ModelConfig = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in defaults)) {
      const known = Object.keys(defaults);
      throw new RangeError(
        `${name} has no setting "${key}"` +
          (known.length ? ` (settings: ${known.join(', ')})` : ' (it has no settings)'),
      );
    }
    if (typeof value !== typeof defaults[key]) {
      throw new TypeError(`${name}.${key} must be a ${typeof defaults[key]}, got ${JSON.stringify(value)}`);
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`${name}.${key} must be a finite number`);
    }
    resolved[key] = value as number | string | boolean;
  }
  return resolved;
}

/** A fresh, untrained model. The config is checked by resolveModelConfig first. */
export function createRecommender(name: string, overrides: Record<string, unknown> = {}): Recommender {
  // resolveModelConfig checked every key and type against the model's own defaults
  const config: object = resolveModelConfig(name, overrides);
  switch (name as RegisteredModelName) {
    case 'popularity':
      return new PopularityRecommender();
    case 'itemknn':
      return new ItemKnnRecommender(config as Partial<ItemKnnConfig>);
    case 'mf':
    case 'sasrec':
    case 'gru':
      // one factory for the learned models: the store's worker and the lab use the same one
      return createLearnedModel(name as 'mf' | 'sasrec' | 'gru', config);
  }
}

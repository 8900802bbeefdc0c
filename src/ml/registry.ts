// Every model the lab and the headless runner can evaluate, by name. One place turns a name and a
// (partial, possibly user-written) config into a Recommender, so the page, the worker and
// `npm run eval` can never disagree on what "mf" or its defaults mean.
import { defaultEaseConfig, EaseRecommender, type EaseConfig } from './baselines/ease';
import { defaultItemKnnConfig, ItemKnnRecommender, type ItemKnnConfig } from './baselines/itemKnn';
import { PopularityRecommender } from './baselines/popularity';
import type { SearchSpace } from './eval/tuning';
import type { ItemAttributes } from './io/itemAttributes';
import {
  createLearnedModel,
  defaultGruConfig,
  defaultMfConfig,
  defaultSasrecConfig,
  type MfConfig,
} from './models';
import type { Recommender } from './recommender';

export const modelNames = ['popularity', 'itemknn', 'ease', 'mf', 'sasrec', 'gru', 'hybrid'] as const;

export type RegisteredModelName = (typeof modelNames)[number];

/** The models that stand alone: everything but `hybrid`, which blends some of them. */
export type StandaloneModelName = Exclude<RegisteredModelName, 'hybrid'>;
export const standaloneModelNames: readonly StandaloneModelName[] = modelNames.filter(
  (name): name is StandaloneModelName => name !== 'hybrid',
);

/**
 * Models made of other models. The registry knows their names and configs, but builds only the
 * standalone ones: `hybrid`'s blend lives in recs/ (recs/labHybrid.ts), which ml/ may not import,
 * so the lab constructs it (worker/lab/labModels.ts).
 */
export const composedModels: ReadonlySet<RegisteredModelName> = new Set(['hybrid']);

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
  ease: plainFields(defaultEaseConfig),
  // useAttributes: item attributes as MF's feature embeddings (the lab's attributes file)
  mf: { ...plainFields(defaultMfConfig), useAttributes: false },
  sasrec: plainFields(defaultSasrecConfig),
  gru: plainFields(defaultGruConfig),
  // the blend (recs/labHybrid.ts): components trained on the training part, weights fitted on the
  // validation fold. A component's own settings go in as "component.setting", e.g. "mf.epochs".
  hybrid: {
    components: 'itemknn,popularity,mf,sasrec',
    /** candidates each component proposes; the pool's min-max scales every component's scores */
    candidates: 40,
    /** validation users the blend is fitted on (a seeded sample when there are more) */
    blendUsers: 2000,
    /**
     * per validation user: negatives drawn uniformly from the catalogue, and from the candidate pool.
     * Pool negatives are off by default: they are each component's own top items, so the target
     * loses to them on that component's score by selection, and the fit turns the component's
     * weight negative (popularity's did, on Last.fm: HR@10 .27 against .29 for popularity alone)
     */
    randomNegatives: 40,
    poolNegatives: 0,
    seed: 0,
  },
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
  // with item attributes, defaultSearchSpace adds attributeWeight
  ease: { l2: [100, 300, 1000, 3000] },
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
  hybrid: {},
};

/**
 * The search space a model is tuned over unless the run declares one: the registry's, plus, for
 * ease on a run with item attributes, how much weight the attributes get (0 = none).
 */
export function defaultSearchSpace(name: string, hasItemAttributes: boolean): SearchSpace {
  assertModelName(name);
  const space = defaultSearchSpaces[name];
  if (name === 'ease' && hasItemAttributes) return { ...space, attributeWeight: [0, 5, 20, 50] };
  return space;
}

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
  if (name === 'hybrid') return resolveHybridConfig(overrides);
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

const isStandalone = (name: string): name is StandaloneModelName =>
  (standaloneModelNames as readonly string[]).includes(name);

/**
 * The hybrid's own settings checked like any model's, plus its components' settings as flat
 * "component.setting" keys (or, for convenience, a nested `{"mf": {"epochs": 3}}`, flattened), each
 * checked against that component's defaults. The result stays flat and JSON-plain.
 */
function resolveHybridConfig(overrides: Record<string, unknown>): ModelConfig {
  const own: Record<string, unknown> = {};
  const byComponent = new Map<string, Record<string, unknown>>();
  const addComponentSetting = (component: string, key: string, value: unknown) => {
    if (!isStandalone(component)) {
      throw new RangeError(
        `hybrid has no setting "${component}.${key}" (components: ${standaloneModelNames.join(', ')})`,
      );
    }
    byComponent.set(component, { ...byComponent.get(component), [key]: value });
  };
  for (const [key, value] of Object.entries(overrides)) {
    const dot = key.indexOf('.');
    if (dot > 0) addComponentSetting(key.slice(0, dot), key.slice(dot + 1), value);
    else if (isStandalone(key) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value)) addComponentSetting(key, inner, innerValue);
    } else own[key] = value;
  }
  const defaults = defaultModelConfigs.hybrid;
  const resolved: ModelConfig = { ...defaults };
  for (const [key, value] of Object.entries(own)) {
    if (!(key in defaults)) {
      throw new RangeError(
        `hybrid has no setting "${key}" (settings: ${Object.keys(defaults).join(', ')}, and "component.setting" such as "mf.epochs")`,
      );
    }
    if (typeof value !== typeof defaults[key]) {
      throw new TypeError(`hybrid.${key} must be a ${typeof defaults[key]}, got ${JSON.stringify(value)}`);
    }
    if (typeof value === 'number' && !(Number.isInteger(value) && value >= 0)) {
      throw new TypeError(`hybrid.${key} must be a whole number ≥ 0`);
    }
    resolved[key] = value as number | string | boolean;
  }
  const components = parseComponents(String(resolved.components));
  for (const [component, settings] of byComponent) {
    if (!components.includes(component as StandaloneModelName)) {
      throw new RangeError(`hybrid: settings for ${component}, which is not among its components`);
    }
    // checked against the component's own defaults; only the overrides are kept in the config
    resolveModelConfig(component, settings);
    for (const [key, value] of Object.entries(settings)) resolved[`${component}.${key}`] = value as number;
  }
  return resolved;
}

function parseComponents(text: string): StandaloneModelName[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) throw new RangeError('hybrid needs at least one component');
  for (const name of names) {
    if (!isStandalone(name)) {
      throw new RangeError(
        `hybrid: unknown component "${name}" (components: ${standaloneModelNames.join(', ')})`,
      );
    }
  }
  if (new Set(names).size !== names.length) throw new RangeError(`hybrid: a component is listed twice`);
  return names as StandaloneModelName[];
}

/**
 * A resolved hybrid config as its components: each one's name and overrides (its "name.setting"
 * keys, and the hybrid's seed where the component has one and was not given its own).
 */
export function hybridComponents(
  config: ModelConfig,
): { name: StandaloneModelName; overrides: Record<string, number | string | boolean> }[] {
  return parseComponents(String(config.components)).map((name) => {
    const overrides: Record<string, number | string | boolean> = {};
    for (const [key, value] of Object.entries(config)) {
      if (key.startsWith(`${name}.`)) overrides[key.slice(name.length + 1)] = value;
    }
    if ('seed' in defaultModelConfigs[name] && !('seed' in overrides) && typeof config.seed === 'number') {
      overrides.seed = config.seed;
    }
    return { name, overrides };
  });
}

/**
 * Whether training or scoring this model touches TensorFlow.js: the epoch-trained models do, and
 * a hybrid does when one of its components does. Popularity, item-kNN and EASE are plain JavaScript.
 */
export function usesTensorFlow(name: string, overrides: Record<string, unknown> = {}): boolean {
  if (name === 'hybrid') {
    return hybridComponents(resolveModelConfig(name, overrides)).some((component) =>
      iterativeModels.has(component.name),
    );
  }
  return iterativeModels.has(name as RegisteredModelName);
}

/**
 * MF's config from the registry's: with useAttributes, each item's attributes become its feature
 * embeddings (an item is its own embedding plus the mean of its attributes', ml/models/mf.ts).
 */
function mfConfig({ useAttributes, ...config }: ModelConfig, context: ModelContext): Partial<MfConfig> {
  if (!useAttributes) return config as Partial<MfConfig>;
  const attributes = context.itemAttributes;
  if (!attributes)
    throw new RangeError('mf.useAttributes needs item attributes (an attributes file with the dataset)');
  return {
    ...(config as Partial<MfConfig>),
    itemFeatureOffsets: attributes.offsets,
    itemFeatureIds: attributes.attributeIds,
    featureCount: attributes.attributeNames.length,
  };
}

/** What a model may be given besides its config: the dataset's side information. */
export interface ModelContext {
  /** the items' attributes (tags), when the run has an attributes file; ease uses them */
  itemAttributes?: ItemAttributes;
}

/** A fresh, untrained model. The config is checked by resolveModelConfig first. */
export function createRecommender(
  name: string,
  overrides: Record<string, unknown> = {},
  context: ModelContext = {},
): Recommender {
  // resolveModelConfig checked every key and type against the model's own defaults
  const config: object = resolveModelConfig(name, overrides);
  switch (name as RegisteredModelName) {
    case 'hybrid':
      throw new RangeError(
        'hybrid blends other models and is built by the lab (createLabModel in worker/lab/labModels.ts)',
      );
    case 'popularity':
      return new PopularityRecommender();
    case 'itemknn':
      return new ItemKnnRecommender(config as Partial<ItemKnnConfig>);
    case 'ease':
      return new EaseRecommender(config as Partial<EaseConfig>, context.itemAttributes);
    case 'mf':
      return createLearnedModel('mf', mfConfig(config as ModelConfig, context));
    case 'sasrec':
    case 'gru':
      // one factory for the learned models: the store's worker and the lab use the same one
      return createLearnedModel(name as 'sasrec' | 'gru', config);
  }
}

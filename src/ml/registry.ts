// Every model, by name, in one table: how to build it, its defaults, its tuning space, whether it
// trains in epochs. The store, the lab, the benchmark and `npm run eval` all build models through
// createRecommender, so they can never disagree on what "mf" or its defaults mean; the model-name
// types are derived from the table.
import { LabHybrid, type BlendOptions } from './blend/labHybrid';
import { defaultEaseConfig, EaseRecommender, type EaseConfig } from './baselines/ease';
import { defaultItemKnnConfig, ItemKnnRecommender, type ItemKnnConfig } from './baselines/itemKnn';
import { PopularityRecommender } from './baselines/popularity';
import type { SearchSpace } from './eval/tuning';
import type { ItemAttributes } from './io/itemAttributes';
import {
  defaultImportedConfig,
  ImportedRecommender,
  type ImportedConfig,
  type ItemVectors,
} from './models/imported';
import {
  createGru,
  createMf,
  createProfileEncoder,
  createSasrec,
  defaultGruConfig,
  defaultMfConfig,
  defaultProfileEncoderConfig,
  defaultSasrecConfig,
  type GruConfig,
  type ItemAttributeTargets,
  type MfConfig,
  type ProfileEncoderConfig,
  type SasrecConfig,
} from './models';
import type { Recommender } from './recommender';

/** A model config as it travels through postMessage and JSON files: plain values only. */
export type ModelConfig = Record<string, number | string | boolean>;

/** Items' features as compressed rows: item i has ids[offsets[i]] … ids[offsets[i + 1] − 1]. */
export interface ItemFeatureCsr {
  offsets: Uint32Array;
  ids: Int32Array;
  featureCount: number;
}

/** What a model may be given besides its config: side information about the items. */
export interface ModelContext {
  /** the items' attributes (tags), when a lab run has an attributes file: ease's tf-idf, mf's features */
  itemAttributes?: ItemAttributes;
  /** features MF embeds with useAttributes when there is no attributes file (the store's catalogue) */
  itemFeatures?: ItemFeatureCsr;
  /**
   * what profileEncoder's heads learn to predict of the next item: its genres and price band (the
   * store's catalogue). Without it, an attributes file's tags stand in for the genres.
   */
  profileTargets?: ItemAttributeTargets;
  /**
   * a community model's item vectors, read from its file and laid out on the run's items
   * (ml/io/models/): what "imported" scores with
   */
  importedItemVectors?: ItemVectors;
}

export interface ModelEntry {
  /** a fresh, untrained model from a config resolveModelConfig has checked */
  create(config: ModelConfig, context: ModelContext): Recommender;
  /** every setting and its default; a user config may override these keys and no others */
  defaults: Readonly<ModelConfig>;
  /** a modest search space for the lab's tuning, over the knobs that matter most */
  searchSpace: SearchSpace;
  /** trains in epochs with tfjs: a loss curve and early stopping make sense for these only */
  iterative: boolean;
  /** blends other models of the table; its weights are fitted on a validation fold */
  composite: boolean;
}

/** Plain (JSON-able) fields of a config; typed arrays such as MF's item features are left out. */
function plainFields(config: object): ModelConfig {
  const plain: ModelConfig = {};
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')
      plain[key] = value;
  }
  return plain;
}

/** profileEncoder's settings: its head sizes come with the item targets, so they are no setting. */
const {
  genreCount: _genres,
  priceBandCount: _bands,
  ...profileEncoderSettings
} = defaultProfileEncoderConfig;

export const registry = {
  popularity: {
    create: (): Recommender => new PopularityRecommender(),
    defaults: {},
    searchSpace: {},
    iterative: false,
    composite: false,
  },
  itemknn: {
    create: (config: ModelConfig): Recommender => new ItemKnnRecommender(config as Partial<ItemKnnConfig>),
    defaults: plainFields(defaultItemKnnConfig),
    searchSpace: {
      neighbours: [50, 200],
      shrink: [10, 30, 100],
      proximityDecay: [1, 0.7, 0.5],
      historyDecay: [1, 0.5],
    },
    iterative: false,
    composite: false,
  },
  ease: {
    create: (config: ModelConfig, context: ModelContext): Recommender =>
      new EaseRecommender(config as Partial<EaseConfig>, context.itemAttributes),
    defaults: plainFields(defaultEaseConfig),
    // with item attributes, defaultSearchSpace adds attributeWeight
    searchSpace: { l2: [100, 300, 1000, 3000] },
    iterative: false,
    composite: false,
  },
  mf: {
    create: (config: ModelConfig, context: ModelContext): Recommender => createMf(mfConfig(config, context)),
    // useAttributes: item attributes (the lab's attributes file, the store's catalogue) as feature embeddings
    defaults: { ...plainFields(defaultMfConfig), useAttributes: false },
    searchSpace: {
      dim: [32, 64],
      learningRate: { min: 1e-3, max: 2e-2, log: true },
      l2: { min: 1e-6, max: 1e-3, log: true },
    },
    iterative: true,
    composite: false,
  },
  sasrec: {
    create: (config: ModelConfig): Recommender => createSasrec(config as Partial<SasrecConfig>),
    defaults: plainFields(defaultSasrecConfig),
    searchSpace: {
      hidden: [32, 50, 64],
      dropout: [0.1, 0.2, 0.5],
      learningRate: { min: 5e-4, max: 5e-3, log: true },
    },
    iterative: true,
    composite: false,
  },
  gru: {
    create: (config: ModelConfig): Recommender => createGru(config as Partial<GruConfig>),
    defaults: plainFields(defaultGruConfig),
    searchSpace: {
      hidden: [32, 64, 100],
      dropout: [0, 0.1, 0.3],
      learningRate: { min: 5e-4, max: 5e-3, log: true },
    },
    iterative: true,
    composite: false,
  },
  // the GRU plus heads predicting the next item's genre mix and price band (ml/models/profileEncoder.ts)
  profileEncoder: {
    create: (config: ModelConfig, context: ModelContext): Recommender =>
      createProfileEncoder({
        ...(config as Partial<ProfileEncoderConfig>),
        ...profileTargetsOf(context),
      }),
    // the head sizes come with the targets (the context), not from a setting
    defaults: plainFields(profileEncoderSettings),
    searchSpace: {
      hidden: [32, 64],
      genreLossWeight: [0.5, 1, 2],
      learningRate: { min: 5e-4, max: 5e-3, log: true },
    },
    iterative: true,
    composite: false,
  },
  // a community model trained elsewhere (Spark ALS, implicit, PyTorch): its item vectors come in
  // the context, the shopper's vector is folded in from their history (ml/models/imported.ts)
  imported: {
    create: (config: ModelConfig, context: ModelContext): Recommender =>
      new ImportedRecommender(config as Partial<ImportedConfig>, context.importedItemVectors),
    defaults: plainFields(defaultImportedConfig),
    searchSpace: { regularization: [0.01, 0.1, 1, 10], alpha: [1, 10, 40] },
    iterative: false,
    composite: false,
  },
  // the blend (ml/blend/labHybrid.ts): components trained on the training part, weights fitted on
  // the validation fold. A component's own settings go in as "component.setting", e.g. "mf.epochs".
  hybrid: {
    create: (config: ModelConfig, context: ModelContext): Recommender => createHybrid(config, context),
    defaults: {
      components: 'itemknn,popularity,mf,sasrec',
      /** candidates each component proposes; the pool's min-max scales every component's scores */
      candidates: 40,
      /**
       * validation users the blend is fitted on, and at most as many (the validation fold's other
       * half) that the safety rule judges it on against each component alone
       */
      blendUsers: 2000,
      /**
       * with a component given a patience (it chooses its epoch on validation users): the most of
       * the validation users, in percent (1–99), that fitting and judging the blend may take; the
       * epoch choice gets the rest. Beauty's 22,363: the blend 4,000, the epochs 18,363; Last.fm's
       * 1,090: halves (545 each)
       */
      blendMaxPercent: 50,
      /**
       * per validation user: negatives drawn uniformly from the catalogue, and from the candidate
       * pool. Pool pairs count only for users whose target is in the pool (rankFit's selection
       * guard): without it, a target the pool missed loses to every pool item on every component by
       * selection and the fit turns the weights negative
       */
      randomNegatives: 20,
      poolNegatives: 20,
      seed: 0,
    },
    // tune the components, then set them in the hybrid's config
    searchSpace: {},
    iterative: false,
    composite: true,
  },
} satisfies Record<string, ModelEntry>;

type Registry = typeof registry;

export type ModelName = keyof Registry;

/** The models that train in epochs. */
export type IterativeModelName = {
  [N in ModelName]: Registry[N]['iterative'] extends true ? N : never;
}[ModelName];

/** The models made of other models (`hybrid`). */
export type CompositeModelName = {
  [N in ModelName]: Registry[N]['composite'] extends true ? N : never;
}[ModelName];

/** The models that stand alone, and so may be a composite's components. */
export type StandaloneModelName = Exclude<ModelName, CompositeModelName>;

/** A named subset of the models, e.g. the ones the store trains; a name not in the table fails to compile. */
export type ModelNamesAmong<Names extends ModelName> = Names;

export const modelNames = Object.keys(registry) as readonly ModelName[];

export const standaloneModelNames = modelNames.filter(
  (name): name is StandaloneModelName => !registry[name].composite,
);

export function isModelName(name: string): name is ModelName {
  return Object.hasOwn(registry, name);
}

/** Throws a message that lists the known names, for a typo on the command line or in a form. */
export function assertModelName(name: string): asserts name is ModelName {
  if (!isModelName(name)) {
    throw new RangeError(`unknown model "${name}"; known models: ${modelNames.join(', ')}`);
  }
}

/** A model's entry, read through the interface every entry meets. */
export function modelEntry(name: string): ModelEntry {
  assertModelName(name);
  return registry[name];
}

export function isIterative(name: string): name is IterativeModelName {
  return isModelName(name) && registry[name].iterative;
}

export function isComposite(name: string): name is CompositeModelName {
  return isModelName(name) && registry[name].composite;
}

/** What a sequence model's sampled softmax may draw per batch, when it is tuned with that loss. */
export const sampledNegativesSpace = [128, 256, 512] as const;

/** The models with the sequence models' 'sampledSoftmax' loss (mf's own sampled softmax is another loss). */
const sampledSoftmaxModels: readonly string[] = ['sasrec', 'gru', 'profileEncoder'] satisfies ModelName[];

/**
 * The search space a model is tuned over unless the run declares one: the table's, plus, for
 * ease on a run with item attributes, how much weight the attributes get (0 = none), and for a
 * sequence model configured with the sampled softmax, how many negatives it draws (a setting the
 * other losses ignore, so searching it under them would only repeat trials).
 */
export function defaultSearchSpace(
  name: string,
  hasItemAttributes: boolean,
  config: Record<string, unknown> = {},
): SearchSpace {
  const space = modelEntry(name).searchSpace;
  if (name === 'ease' && hasItemAttributes) return { ...space, attributeWeight: [0, 5, 20, 50] };
  if (sampledSoftmaxModels.includes(name) && config.loss === 'sampledSoftmax')
    return { ...space, sampledNegatives: sampledNegativesSpace };
  return space;
}

/**
 * The defaults overlaid with `overrides`, checked: an unknown key or a value of the wrong type is
 * an error naming the key, because a silently ignored typo ("learningrate") would make a run look
 * tuned when it was not.
 */
export function resolveModelConfig(name: string, overrides: Record<string, unknown> = {}): ModelConfig {
  assertModelName(name);
  if (name === 'hybrid') return resolveHybridConfig(overrides);
  const defaults = modelEntry(name).defaults;
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
  isModelName(name) && !registry[name].composite;

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
  const defaults: Readonly<ModelConfig> = registry.hybrid.defaults;
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
  const blendMaxPercent = Number(resolved.blendMaxPercent);
  if (!(blendMaxPercent >= 1 && blendMaxPercent <= 99)) {
    throw new RangeError(`hybrid.blendMaxPercent is a percent in 1–99, got ${blendMaxPercent}`);
  }
  const components = parseComponents(String(resolved.components));
  for (const [component, { [componentPatienceKey]: patience, ...settings }] of byComponent) {
    if (!components.includes(component as StandaloneModelName)) {
      throw new RangeError(`hybrid: settings for ${component}, which is not among its components`);
    }
    // checked against the component's own defaults; only the overrides are kept in the config
    resolveModelConfig(component, settings);
    for (const [key, value] of Object.entries(settings)) resolved[`${component}.${key}`] = value as number;
    if (patience !== undefined)
      resolved[`${component}.${componentPatienceKey}`] = checkedPatience(component, patience);
  }
  return resolved;
}

/**
 * A learned component's "component.patience": validated after every epoch on the hybrid's
 * validation fold, it stops once this many epochs in a row brought no better NDCG@10 and keeps
 * its best epoch (ml/epochTrajectory.ts). A hybrid setting, not the component's own.
 */
export const componentPatienceKey = 'patience';

function checkedPatience(component: string, patience: unknown): number {
  if (!isIterative(component)) {
    throw new RangeError(
      `hybrid: ${component} does not train in epochs; "${componentPatienceKey}" applies to ${modelNames.filter(isIterative).join(', ')}`,
    );
  }
  if (!(typeof patience === 'number' && Number.isInteger(patience) && patience >= 1)) {
    throw new RangeError(
      `hybrid: ${component}.${componentPatienceKey} must be a whole number of epochs ≥ 1, got ${JSON.stringify(patience)}`,
    );
  }
  return patience;
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
export function hybridComponents(config: ModelConfig): {
  name: StandaloneModelName;
  overrides: Record<string, number | string | boolean>;
  /** validated per epoch with this patience (see componentPatienceKey) */
  patience?: number;
}[] {
  return parseComponents(String(config.components)).map((name) => {
    const settings: Record<string, number | string | boolean> = {};
    for (const [key, value] of Object.entries(config)) {
      if (key.startsWith(`${name}.`)) settings[key.slice(name.length + 1)] = value;
    }
    const { [componentPatienceKey]: patience, ...overrides } = settings;
    if ('seed' in registry[name].defaults && !('seed' in overrides) && typeof config.seed === 'number') {
      overrides.seed = config.seed;
    }
    return { name, overrides, ...(patience === undefined ? {} : { patience: Number(patience) }) };
  });
}

/**
 * Whether training or scoring this model touches TensorFlow.js: the epoch-trained models do, and
 * a hybrid does when one of its components does. Popularity, item-kNN and EASE are plain JavaScript.
 */
export function usesTensorFlow(name: string, overrides: Record<string, unknown> = {}): boolean {
  if (name === 'hybrid') {
    return hybridComponents(resolveModelConfig(name, overrides)).some((component) =>
      isIterative(component.name),
    );
  }
  return isIterative(name);
}

/**
 * MF's config from the table's: with useAttributes, each item's attributes become its feature
 * embeddings (an item is its own embedding plus the mean of its attributes', ml/models/mf.ts).
 */
function mfConfig({ useAttributes, ...config }: ModelConfig, context: ModelContext): Partial<MfConfig> {
  if (!useAttributes) return config as Partial<MfConfig>;
  const features =
    context.itemFeatures ?? (context.itemAttributes && attributeFeatures(context.itemAttributes));
  if (!features)
    throw new RangeError('mf.useAttributes needs item attributes (an attributes file with the dataset)');
  return {
    ...(config as Partial<MfConfig>),
    itemFeatureOffsets: features.offsets,
    itemFeatureIds: features.ids,
    featureCount: features.featureCount,
  };
}

/** The store's genres and price bands, or an attributes file's tags as the "genres"; none without either. */
function profileTargetsOf(context: ModelContext): Partial<ItemAttributeTargets> {
  if (context.profileTargets) return context.profileTargets;
  const attributes = context.itemAttributes;
  if (!attributes) return {};
  return {
    genreCount: attributes.attributeNames.length,
    itemGenreOffsets: attributes.offsets,
    itemGenreIds: attributes.attributeIds,
  };
}

function attributeFeatures(attributes: ItemAttributes): ItemFeatureCsr {
  return {
    offsets: attributes.offsets,
    ids: attributes.attributeIds,
    featureCount: attributes.attributeNames.length,
  };
}

/** The hybrid: each component is the table's own model with its overrides, under one blend. */
function createHybrid(config: ModelConfig, context: ModelContext): LabHybrid {
  const components = hybridComponents(config).map(({ name, overrides, patience }) => ({
    name,
    model: createRecommender(name, overrides, context),
    config: resolveModelConfig(name, overrides),
    patience,
  }));
  return new LabHybrid(components, hybridBlendOptions(config));
}

function hybridBlendOptions(config: ModelConfig): BlendOptions {
  return {
    candidates: Number(config.candidates),
    blendUsers: Number(config.blendUsers),
    blendMaxPercent: Number(config.blendMaxPercent),
    poolNegatives: Number(config.poolNegatives),
    randomNegatives: Number(config.randomNegatives),
    seed: Number(config.seed),
  };
}

/** A fresh, untrained model; the overrides are checked by resolveModelConfig first. */
export function createRecommender(
  name: string,
  overrides: Record<string, unknown> = {},
  context: ModelContext = {},
): Recommender {
  const config = resolveModelConfig(name, overrides);
  return modelEntry(name).create(config, context);
}

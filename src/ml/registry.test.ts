import { describe, expect, it } from 'vitest';
import { leaveOneOutSplit } from './eval';
import { fromSequences } from './interactions';
import { LabHybrid } from './blend/labHybrid';
import {
  createRecommender,
  hybridComponents,
  defaultSearchSpace,
  isComposite,
  isIterative,
  isModelName,
  modelNames,
  registry,
  resolveModelConfig,
  standaloneModelNames,
  usesTensorFlow,
  type ModelContext,
} from './registry';
import type { ProfileEncoder } from './models';
import { gridPoints, sampleParams } from './eval/tuning';
import { createRng } from './random';
import type { ItemAttributes } from './io/itemAttributes';

/** Four items with one attribute each, alternating: items 0 and 2 have "a", items 1 and 3 "b". */
const itemAttributes: ItemAttributes = {
  offsets: Uint32Array.from([0, 1, 2, 3, 4]),
  attributeIds: Int32Array.from([0, 1, 0, 1]),
  counts: Float32Array.from([1, 1, 1, 1]),
  attributeNames: ['a', 'b'],
  itemsCovered: 4,
  itemsUnknown: 0,
};

describe('model registry', () => {
  it('creates every model of the table under its own name', () => {
    expect(modelNames).toEqual([
      'popularity',
      'itemknn',
      'ease',
      'mf',
      'sasrec',
      'gru',
      'profileEncoder',
      'imported',
      'hybrid',
    ]);
    for (const name of modelNames) {
      const model = createRecommender(name);
      expect(model.name).toBe(name);
      model.dispose();
    }
  });

  it("builds the hybrid from the table's own models, each with its overrides", async () => {
    const data = fromSequences(
      Array.from({ length: 12 }, (_, user) => [user % 4, (user + 1) % 4, (user + 2) % 4]),
      4,
    );
    const hybrid = createRecommender('hybrid', { components: 'itemknn,mf', 'mf.dim': 3, 'mf.epochs': 1 });
    expect(hybrid).toBeInstanceOf(LabHybrid);
    await hybrid.fit(data);
    const summary = await hybrid.fitOnValidation!(leaveOneOutSplit(data).test);
    expect(summary.components.map((c) => c.name)).toEqual(['itemknn', 'mf']);
    const configs = hybrid.save().config.configs as Record<string, Record<string, unknown>>;
    expect(configs.mf).toMatchObject({ dim: 3, epochs: 1, seed: 0 }); // the hybrid's seed, passed on
    hybrid.dispose();
  });

  it('tells iterative and composite models apart, and which may be components', () => {
    expect(modelNames.filter(isIterative)).toEqual(['mf', 'sasrec', 'gru', 'profileEncoder']);
    expect(modelNames.filter(isComposite)).toEqual(['hybrid']);
    // every model but the composite, in the table's order (pinned by the first test)
    expect(standaloneModelNames).toEqual(modelNames.filter((name) => name !== 'hybrid'));
    expect(isIterative('bert4rec')).toBe(false);
  });

  it('refuses an unknown model and lists the known ones', () => {
    expect(isModelName('bert4rec')).toBe(false);
    expect(() => createRecommender('bert4rec')).toThrow(/unknown model "bert4rec".*popularity, itemknn/);
  });

  it('overlays a partial config on the defaults', () => {
    const config = resolveModelConfig('itemknn', { neighbours: 5 });
    expect(config).toEqual({ ...registry.itemknn.defaults, neighbours: 5 });
    expect(registry.itemknn.defaults.neighbours).not.toBe(5); // the defaults are not mutated
  });

  it('names a misspelt setting or a value of the wrong type instead of ignoring it', () => {
    expect(() => resolveModelConfig('mf', { learningrate: 0.1 })).toThrow(/mf has no setting "learningrate"/);
    expect(() => resolveModelConfig('mf', { dim: '64' })).toThrow(/mf.dim must be a number/);
    expect(() => resolveModelConfig('popularity', { k: 1 })).toThrow(/it has no settings/);
    expect(() => resolveModelConfig('sasrec', { epochs: Infinity })).toThrow(/finite/);
    expect(() => resolveModelConfig('sasrec', { sampledNegativs: 256 })).toThrow(
      /sasrec has no setting "sampledNegativs"/,
    );
  });

  it('refuses a sequence loss the models do not have, naming the ones they do', () => {
    for (const name of ['sasrec', 'gru', 'profileEncoder'] as const) {
      expect(() => createRecommender(name, { loss: 'sampled_softmax' })).toThrow(
        new RegExp(`${name}: unknown loss "sampled_softmax" \\(losses: bce, softmax, sampledSoftmax\\)`),
      );
      createRecommender(name, { loss: 'sampledSoftmax', sampledNegatives: 128 }).dispose();
    }
  });

  it('searches the sampled softmax’s negatives only where the model is configured with it', () => {
    expect(defaultSearchSpace('sasrec', false)).not.toHaveProperty('sampledNegatives');
    expect(defaultSearchSpace('gru', false, { loss: 'softmax' })).not.toHaveProperty('sampledNegatives');
    expect(defaultSearchSpace('sasrec', false, { loss: 'sampledSoftmax' })).toEqual({
      ...registry.sasrec.searchSpace,
      sampledNegatives: [128, 256, 512],
    });
    expect(defaultSearchSpace('mf', false, { loss: 'sampledSoftmax' })).toEqual(registry.mf.searchSpace);
  });

  it('keeps only JSON-able defaults, so a config survives postMessage and a JSON file', () => {
    for (const name of modelNames) {
      const config = registry[name].defaults;
      expect(JSON.parse(JSON.stringify(config))).toEqual(config);
    }
    expect(registry.mf.defaults).not.toHaveProperty('itemFeatureIds');
  });

  it("checks a hybrid config and its components' settings, kept flat", () => {
    const config = resolveModelConfig('hybrid', {
      components: 'itemknn, mf',
      'itemknn.neighbours': 20,
      mf: { epochs: 2 },
      seed: 5,
    });
    expect(config).toEqual({
      ...registry.hybrid.defaults,
      components: 'itemknn, mf',
      'itemknn.neighbours': 20,
      'mf.epochs': 2,
      seed: 5,
    });
    expect(hybridComponents(config)).toEqual([
      { name: 'itemknn', overrides: { neighbours: 20 } },
      { name: 'mf', overrides: { epochs: 2, seed: 5 } },
    ]);
    expect(hybridComponents(resolveModelConfig('hybrid')).map((c) => c.name)).toEqual([
      'itemknn',
      'popularity',
      'mf',
      'sasrec',
    ]);
    expect(() => resolveModelConfig('hybrid', { 'mf.learningrate': 1 })).toThrow(
      /mf has no setting "learningrate"/,
    );
    expect(() => resolveModelConfig('hybrid', { components: 'mf,mf' })).toThrow(/twice/);
    // the blend's share of the validation users when a component chooses its epoch: a percent
    expect(resolveModelConfig('hybrid', { blendMaxPercent: 70 }).blendMaxPercent).toBe(70);
    expect(() => resolveModelConfig('hybrid', { blendMaxPercent: 0 })).toThrow(/1–99, got 0/);
    expect(() => resolveModelConfig('hybrid', { blendMaxPercent: 100 })).toThrow(/1–99, got 100/);
    expect(() => resolveModelConfig('hybrid', { components: 'hybrid' })).toThrow(
      /unknown component "hybrid"/,
    );
    expect(() => resolveModelConfig('hybrid', { candidates: -1 })).toThrow(/whole number/);
    expect(() => resolveModelConfig('hybrid', { weights: 1 })).toThrow(/hybrid has no setting "weights"/);
    // a learned component's patience is the hybrid's setting, kept apart from the component's own
    const validated = resolveModelConfig('hybrid', {
      components: 'itemknn,sasrec',
      sasrec: { epochs: 30, patience: 3 },
    });
    expect(validated['sasrec.patience']).toBe(3);
    expect(hybridComponents(validated)[1]).toEqual({
      name: 'sasrec',
      overrides: { epochs: 30, seed: 0 },
      patience: 3,
    });
    expect(() => resolveModelConfig('hybrid', { components: 'itemknn', 'itemknn.patience': 3 })).toThrow(
      /itemknn does not train in epochs/,
    );
    expect(() => resolveModelConfig('hybrid', { components: 'mf', 'mf.patience': 0 })).toThrow(
      /mf.patience must be a whole number of epochs ≥ 1, got 0/,
    );
  });

  it('a configured itemknn really uses its config', async () => {
    // users 0-2 share items 0 and 1; item 2 is seen with 0 once
    const data = fromSequences(
      [
        [0, 1],
        [0, 1],
        [0, 1, 2],
      ],
      3,
    );
    const model = createRecommender('itemknn', { neighbours: 1, shrink: 0 });
    await model.fit(data);
    // with one neighbour per item, item 0's only neighbour is item 1
    expect(model.similarItems(0, 5).map((s) => s.item)).toEqual([1]);
  });

  it('declares search spaces only over settings the model has', () => {
    for (const name of modelNames) {
      const space = registry[name].searchSpace;
      for (const key of Object.keys(space)) expect(registry[name].defaults).toHaveProperty(key);
      const point = sampleParams(space, createRng(1));
      expect(() => resolveModelConfig(name, point)).not.toThrow();
    }
    expect(gridPoints(registry.itemknn.searchSpace)).toHaveLength(2 * 3 * 3 * 2);
    // ease searches its attributes' weight only where the run has attributes
    expect(defaultSearchSpace('ease', false)).not.toHaveProperty('attributeWeight');
    expect(defaultSearchSpace('ease', true)).toMatchObject({ attributeWeight: [0, 5, 20, 50] });
    expect(defaultSearchSpace('itemknn', true)).toEqual(registry.itemknn.searchSpace);
  });

  it("gives mf the run's item attributes as feature embeddings when asked", async () => {
    const data = fromSequences(
      [
        [0, 1],
        [1, 2],
        [2, 3],
        [0, 3],
      ],
      4,
    );
    const scores = async (useAttributes: boolean) => {
      const model = createRecommender('mf', { dim: 4, epochs: 1, useAttributes }, { itemAttributes });
      await model.fit(data);
      const out = model.scoreAll({ history: [0] });
      model.dispose();
      return Array.from(out);
    };
    const tagged = await scores(true);
    expect(tagged.every(Number.isFinite)).toBe(true);
    expect(tagged).not.toEqual(await scores(false));
    expect(() => createRecommender('mf', { useAttributes: true })).toThrow(/needs item attributes/);
  });

  it("gives profileEncoder the store's genres and price bands, or a run's tags as its genres", async () => {
    const data = fromSequences(
      [
        [0, 1, 2],
        [1, 2, 3],
        [3, 0, 1],
      ],
      4,
    );
    const profileTargets = {
      genreCount: 3,
      itemGenreOffsets: Uint32Array.from([0, 1, 2, 3, 4]),
      itemGenreIds: Int32Array.from([0, 1, 2, 0]),
      priceBandCount: 2,
      itemPriceBands: Int32Array.from([0, 1, 1, -1]),
    };
    const headSizes = async (context: ModelContext) => {
      const model = createRecommender('profileEncoder', { hidden: 4, maxLen: 3, epochs: 1 }, context);
      await model.fit(data);
      const { genreMix, priceBand } = (model as ProfileEncoder).encode([0, 1]);
      model.dispose();
      return [genreMix.length, priceBand.length];
    };
    expect(await headSizes({ profileTargets, itemAttributes })).toEqual([3, 2]);
    expect(await headSizes({ itemAttributes })).toEqual([2, 0]);
    expect(await headSizes({})).toEqual([0, 0]);
    // the head sizes come with the targets: they are no setting
    expect(() => createRecommender('profileEncoder', { genreCount: 3 })).toThrow(/no setting "genreCount"/);
  });

  it('knows which models need TensorFlow.js', () => {
    expect(usesTensorFlow('popularity')).toBe(false);
    expect(usesTensorFlow('itemknn')).toBe(false);
    expect(usesTensorFlow('ease')).toBe(false);
    expect(usesTensorFlow('mf')).toBe(true);
    expect(usesTensorFlow('sasrec')).toBe(true);
    expect(usesTensorFlow('hybrid')).toBe(true); // default components include mf and sasrec
    expect(usesTensorFlow('hybrid', { components: 'itemknn,popularity' })).toBe(false);
    expect(usesTensorFlow('hybrid', { components: 'itemknn,gru' })).toBe(true);
  });
});

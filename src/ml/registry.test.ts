import { describe, expect, it } from 'vitest';
import { fromSequences } from './interactions';
import {
  composedModels,
  createRecommender,
  hybridComponents,
  defaultModelConfigs,
  defaultSearchSpace,
  defaultSearchSpaces,
  isModelName,
  iterativeModels,
  modelNames,
  resolveModelConfig,
  usesTensorFlow,
} from './registry';
import { gridPoints, sampleParams } from './eval/tuning';
import { createRng } from './random';
import type { ItemAttributes } from './io/itemAttributes';

describe('model registry', () => {
  it('creates every registered model under its own name (the hybrid in the lab)', () => {
    for (const name of modelNames) {
      if (composedModels.has(name)) {
        expect(() => createRecommender(name)).toThrow(/built by the lab/);
        continue;
      }
      const model = createRecommender(name);
      expect(model.name).toBe(name);
      model.dispose();
    }
  });

  it('refuses an unknown model and lists the known ones', () => {
    expect(isModelName('bert4rec')).toBe(false);
    expect(() => createRecommender('bert4rec')).toThrow(/unknown model "bert4rec".*popularity, itemknn/);
  });

  it('overlays a partial config on the defaults', () => {
    const config = resolveModelConfig('itemknn', { neighbours: 5 });
    expect(config).toEqual({ ...defaultModelConfigs.itemknn, neighbours: 5 });
    expect(defaultModelConfigs.itemknn.neighbours).not.toBe(5); // the defaults are not mutated
  });

  it('names a misspelt setting or a value of the wrong type instead of ignoring it', () => {
    expect(() => resolveModelConfig('mf', { learningrate: 0.1 })).toThrow(/mf has no setting "learningrate"/);
    expect(() => resolveModelConfig('mf', { dim: '64' })).toThrow(/mf.dim must be a number/);
    expect(() => resolveModelConfig('popularity', { k: 1 })).toThrow(/it has no settings/);
    expect(() => resolveModelConfig('sasrec', { epochs: Infinity })).toThrow(/finite/);
  });

  it('keeps only JSON-able defaults, so a config survives postMessage and a JSON file', () => {
    for (const name of modelNames) {
      const config = defaultModelConfigs[name];
      expect(JSON.parse(JSON.stringify(config))).toEqual(config);
    }
    expect(defaultModelConfigs.mf).not.toHaveProperty('itemFeatureIds');
  });

  it("checks a hybrid config and its components' settings, kept flat", () => {
    const config = resolveModelConfig('hybrid', {
      components: 'itemknn, mf',
      'itemknn.neighbours': 20,
      mf: { epochs: 2 },
      seed: 5,
    });
    expect(config).toEqual({
      ...defaultModelConfigs.hybrid,
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
    expect(() => resolveModelConfig('hybrid', { components: 'hybrid' })).toThrow(
      /unknown component "hybrid"/,
    );
    expect(() => resolveModelConfig('hybrid', { candidates: -1 })).toThrow(/whole number/);
    expect(() => resolveModelConfig('hybrid', { weights: 1 })).toThrow(/hybrid has no setting "weights"/);
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
      const space = defaultSearchSpaces[name];
      for (const key of Object.keys(space)) expect(defaultModelConfigs[name]).toHaveProperty(key);
      const point = sampleParams(space, createRng(1));
      expect(() => resolveModelConfig(name, point)).not.toThrow();
    }
    expect(gridPoints(defaultSearchSpaces.itemknn)).toHaveLength(2 * 3 * 3 * 2);
    // ease searches its attributes' weight only where the run has attributes
    expect(defaultSearchSpace('ease', false)).not.toHaveProperty('attributeWeight');
    expect(defaultSearchSpace('ease', true)).toMatchObject({ attributeWeight: [0, 5, 20, 50] });
    expect(defaultSearchSpace('itemknn', true)).toEqual(defaultSearchSpaces.itemknn);
    expect([...iterativeModels].sort()).toEqual(['gru', 'mf', 'sasrec']);
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
    const itemAttributes: ItemAttributes = {
      offsets: Uint32Array.from([0, 1, 2, 3, 4]),
      attributeIds: Int32Array.from([0, 1, 0, 1]),
      counts: Float32Array.from([1, 1, 1, 1]),
      attributeNames: ['a', 'b'],
      itemsCovered: 4,
      itemsUnknown: 0,
    };
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

// The final fit on train + validation: what it retrains (the chosen epochs, no patience), on what
// data (each user minus only the test item), under which cache keys (never the standard fit's),
// and that the option changes no choice made on validation.
import { describe, expect, it } from 'vitest';
import { LabHybrid, defaultBlendOptions, type BlendSummary } from '../../ml/blend/labHybrid';
import { userRow, type InteractionMatrix } from '../../ml/interactions';
import { modelCacheKey, type Bytes, type ModelCacheStore } from '../../ml/modelCache';
import type { TrainOptions } from '../../ml/recommender';
import { createRecommender, type ModelConfig } from '../../ml/registry';
import type { BackendReport } from '../backend/types';
import { finalFitCacheScope, finalFitConfig } from './finalFit';
import { runLab } from './runLab';
import { validateRunSpec } from './runSpec';
import { ScriptedModel, scriptedDataset, scriptedRunSpec } from './scriptedModel';

const backend: BackendReport = { active: 'cpu', reason: 'test', adapter: null, attempts: [] };

const rows = (m: InteractionMatrix) =>
  Array.from({ length: m.userCount }, (_, u) => Array.from(userRow(m, u)));

/** A blend summary whose components are as given (only `name` and `epochs` matter here). */
const summaryWith = (components: Pick<BlendSummary['components'][number], 'name' | 'epochs'>[]) =>
  ({ components: components.map((c) => ({ ...c, weight: 1, trainMs: 0 })) }) as BlendSummary;

describe('finalFitConfig', () => {
  it("fixes a hybrid component's epochs at the one it kept, drops its patience, keeps the others' epochs", () => {
    const chosen: ModelConfig = {
      components: 'itemknn,sasrec,mf',
      'sasrec.epochs': 30,
      'sasrec.patience': 3,
      'mf.epochs': 5,
      'itemknn.neighbours': 50,
      seed: 0,
    };
    const blend = summaryWith([
      { name: 'itemknn' },
      {
        name: 'sasrec',
        epochs: {
          validationNdcg10: [0.1, 0.3, 0.2, 0.2, 0.2],
          keptEpoch: 2,
          stoppedEarly: true,
          trainedNow: 5,
        },
      },
      { name: 'mf' },
    ]);
    const { config, epochs } = finalFitConfig('hybrid', chosen, { blend });
    expect(config).toEqual({
      components: 'itemknn,sasrec,mf',
      'sasrec.epochs': 2,
      'mf.epochs': 5,
      'itemknn.neighbours': 50,
      seed: 0,
    });
    expect(epochs).toEqual([
      { name: 'sasrec', epochs: 2 },
      { name: 'mf', epochs: 5 },
    ]);
    // the chosen config itself is left as it was (it is the standard fit's, reported as such)
    expect(chosen['sasrec.patience']).toBe(3);
  });

  it("takes a model's kept epoch when early stopping chose one, its configured epochs otherwise", () => {
    expect(finalFitConfig('sasrec', { epochs: 30, hidden: 64 }, { keptEpoch: 13 })).toEqual({
      config: { epochs: 13, hidden: 64 },
      epochs: [{ name: 'sasrec', epochs: 13 }],
    });
    expect(finalFitConfig('sasrec', { epochs: 12 }, {}).epochs).toEqual([{ name: 'sasrec', epochs: 12 }]);
    expect(finalFitConfig('itemknn', { neighbours: 50 }, {})).toEqual({
      config: { neighbours: 50 },
      epochs: [],
    });
  });

  it('refuses a hybrid component with a patience and no chosen epoch', () => {
    expect(() =>
      finalFitConfig('hybrid', { components: 'sasrec', 'sasrec.patience': 3 }, { blend: summaryWith([]) }),
    ).toThrow(/reported no chosen epoch/);
  });
});

describe('finalFitCacheScope', () => {
  it('gives the same component on the same data a different cache key than the standard fit', () => {
    const store: ModelCacheStore = { get: () => Promise.resolve(undefined), put: () => Promise.resolve() };
    const scope = { store, data: 'abc | {"kind":"leave-one-out"} | seed 0 | fold 0' };
    const final = finalFitCacheScope(scope);
    expect(final.store).toBe(store);
    expect(final.data).toBe(`${scope.data} | trained on train+validation`);
    const key = (data: string) => modelCacheKey({ data, model: 'sasrec', config: { epochs: 12 } });
    expect(key(final.data)).not.toBe(key(scope.data));
  });
});

/** An in-memory model cache that remembers the keys written. */
function memoryCache(): ModelCacheStore & { entries: Map<string, Bytes> } {
  const entries = new Map<string, Bytes>();
  return {
    entries,
    get: (key) => Promise.resolve(entries.get(key)),
    put: (key, bytes) => {
      entries.set(key, bytes);
      return Promise.resolve();
    },
  };
}

describe('a lab run with a final fit on train + validation', () => {
  /**
   * A hybrid of a scripted learned model (good only at epoch 2, so with patience 2 it keeps epoch
   * 2 of 4) and real popularity; each scripted model records the data it was fitted on.
   */
  async function runHybrid(finalFit: boolean) {
    const { dataset, info, nextItem } = await scriptedDataset();
    const scripted: { model: ScriptedModel; data?: InteractionMatrix }[] = [];
    const spec = scriptedRunSpec('toy', [
      { name: 'hybrid', config: { components: 'mf,popularity', 'mf.epochs': 6, 'mf.patience': 2 } },
    ]);
    if (finalFit) spec.finalFit = 'train+validation';
    const result = await runLab(spec, {
      dataset,
      info,
      backend,
      createModel: (name, config) => {
        if (name !== 'hybrid') return createRecommender(name, config);
        const epochs = Number(config['mf.epochs']);
        const model = new ScriptedModel([false, true, false, false, false, false], nextItem, epochs);
        const record = { model };
        scripted.push(record);
        const fit = model.fit.bind(model);
        model.fit = (data: InteractionMatrix, options?: TrainOptions) => {
          Object.assign(record, { data });
          return fit(data, options);
        };
        const patience = config['mf.patience'] === undefined ? undefined : Number(config['mf.patience']);
        return new LabHybrid(
          [
            { name: 'mf', model, config: { epochs }, patience },
            { name: 'popularity', model: createRecommender('popularity') },
          ],
          { ...defaultBlendOptions, seed: Number(config.seed) },
        );
      },
    });
    return { result: result.models[0], scripted, dataset };
  }

  it('makes every choice as without it, then retrains the chosen epochs on each user minus the test item', async () => {
    const standard = await runHybrid(false);
    const withFinal = await runHybrid(true);
    const { finalFit, ...chosen } = withFinal.result;
    // the standard result, choices included (config, epoch curve and kept epoch, weights, decision),
    // is the same to the last digit with the option; trainMs and fitMs are clock readings
    const withoutTimes = (r: typeof chosen) => ({
      ...r,
      trainMs: 0,
      evalMs: 0,
      blend: { ...r.blend!, fitMs: 0, components: r.blend!.components.map((c) => ({ ...c, trainMs: 0 })) },
    });
    expect(withoutTimes(chosen)).toEqual(withoutTimes(standard.result));
    expect(chosen.blend!.components[0].epochs).toMatchObject({ keptEpoch: 2, stoppedEarly: true });

    expect(finalFit).toBeDefined();
    expect(finalFit!.training).toBe('train+validation');
    expect(finalFit!.config).toMatchObject({ components: 'mf,popularity', 'mf.epochs': 2 });
    expect(finalFit!.config).not.toHaveProperty('mf.patience');
    expect(finalFit!.epochs).toEqual([{ name: 'mf', epochs: 2 }]);
    expect(finalFit!.servedBy).toBe(chosen.blend!.servedBy);

    // two hybrids were made: the standard one, trained on train (4 of each user's 6 items), and the
    // final one, trained 2 epochs (no early stopping) on the first 5 items: validation item included
    expect(withFinal.scripted).toHaveLength(2);
    const [first, last] = withFinal.scripted;
    const { dataset } = withFinal;
    const firstItems = (n: number) =>
      Array.from({ length: dataset.matrix.userCount }, (_, u) =>
        Array.from(userRow(dataset.matrix, u).subarray(0, n)),
      );
    expect(rows(first.data!)).toEqual(firstItems(4));
    expect(rows(last.data!)).toEqual(firstItems(5));
    expect(last.model.trainedEpochs).toBe(2);
    // epoch 2 is the good one: the final fit ranks each test user's next item first
    expect(finalFit!.metrics['NDCG@10'].mean).toBe(1);
    expect(Object.keys(finalFit!.differences)).toEqual(['HR@10', 'NDCG@10']);
    expect(finalFit!.differences['NDCG@10'].mean).toBeCloseTo(1 - chosen.metrics['NDCG@10'].mean, 12);
  });

  it('keeps the two fits apart in the model cache, and reads both back on a second run', async () => {
    const { dataset, info } = await scriptedDataset();
    const cache = memoryCache();
    const spec = {
      ...scriptedRunSpec('toy', [{ name: 'hybrid', config: { components: 'itemknn,popularity' } }]),
      finalFit: 'train+validation' as const,
    };
    const first = await runLab(spec, { dataset, info, backend, modelCache: cache });
    // itemknn and popularity, once per fit: four entries, no key shared by the two fits
    expect(cache.entries.size).toBe(4);
    expect(first.models[0].finalFit!.cached).toEqual([]);
    const second = await runLab(spec, { dataset, info, backend, modelCache: cache });
    expect(cache.entries.size).toBe(4);
    expect(second.models[0].finalFit!.cached).toEqual(['itemknn', 'popularity']);
    expect(second.models[0].blend!.components.every((c) => c.cached)).toBe(true);
    expect(second.models[0].finalFit!.metrics).toEqual(first.models[0].finalFit!.metrics);
  });

  it('is refused where there is no validation fold to add back', async () => {
    const { dataset, info } = await scriptedDataset();
    const spec = (over: object) => ({ ...scriptedRunSpec('toy', [{ name: 'popularity' }]), ...over });
    expect(() =>
      validateRunSpec(spec({ finalFit: 'train+validation', split: { kind: 'k-fold', folds: 3 } })),
    ).toThrow(/k-fold has none/);
    expect(() => validateRunSpec(spec({ finalFit: 'everything' }))).toThrow(/unknown final fit "everything"/);
    await expect(
      runLab(spec({ finalFit: 'train+validation', split: { kind: 'random', testFraction: 0.2 } }), {
        dataset,
        info,
        backend,
      }),
    ).rejects.toThrow(/random split holds one out only for a tuned, early-stopped or hybrid model/);
  });
});

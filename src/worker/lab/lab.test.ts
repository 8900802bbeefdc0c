import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { leaveOneOutSplit, type EvalFold } from '../../ml/eval';
import { userRow } from '../../ml/interactions';
import { LabHybrid } from '../../ml/blend/labHybrid';
import { chunksOf, DatasetParseError, parseItemAttributesFile, parseNegativesFile } from '../../ml/io';
import type { BackendReport } from '../backend/types';
import type { LabDatasetInfo, LabImportSpec, LabRunSpec } from './protocol';
import { ChunkQueue } from './chunkQueue';
import { fromDatasetRecord, packText, toDatasetRecord, unpackText } from './datasetCodec';
import { datasetKey, describeDataset, parseDataset } from './importDataset';
import { modelCacheData, runLab } from './runLab';
import { validateRunSpec } from './runSpec';
import { datasetPath } from '../../ml/testSupport/sharedDatasets';

const backend: BackendReport = { active: 'cpu', reason: 'test', adapter: null, attempts: [] };

/** 30 users over 8 items; user u walks items u%8, u%8+1, … so the data has structure. */
function sequenceText(users = 30, length = 6): string {
  const lines: string[] = [];
  for (let u = 0; u < users; u++) {
    lines.push(`u${u} ${Array.from({ length }, (_, i) => `i${(u + i) % 8}`).join(' ')}`);
  }
  return lines.join('\n') + '\n';
}

async function imported(text = sequenceText(), spec: LabImportSpec = { format: 'sequences', name: 'toy' }) {
  const dataset = await parseDataset(chunksOf(text, 7), spec);
  return { dataset, info: describeDataset(dataset, spec, 'test') };
}

const baseSpec = (info: LabDatasetInfo, overrides: Partial<LabRunSpec> = {}): LabRunSpec => ({
  dataset: info.key,
  models: [{ name: 'popularity' }],
  split: { kind: 'leave-one-out' },
  protocol: { kind: 'full' },
  ks: [5, 10],
  seed: 1,
  backend: 'cpu',
  bootstrapResamples: 50,
  ...overrides,
});

describe('ChunkQueue', () => {
  it('yields chunks pushed before and after the reader waits, then ends', async () => {
    const queue = new ChunkQueue();
    queue.push('a');
    const read = (async () => {
      const seen: string[] = [];
      for await (const chunk of queue) seen.push(chunk);
      return seen;
    })();
    await new Promise((resolve) => setTimeout(resolve, 1));
    queue.push('b');
    queue.end();
    expect(await read).toEqual(['a', 'b']);
  });

  it('makes the reader throw when failed', async () => {
    const queue = new ChunkQueue();
    const read = (async () => {
      for await (const _ of queue) void _;
    })();
    queue.fail(new Error('cancelled'));
    await expect(read).rejects.toThrow('cancelled');
  });
});

describe('importing for the lab', () => {
  it('names the line and the problem of a malformed file', async () => {
    const error = await parseDataset(chunksOf('u1 a b\nu2\n'), { format: 'sequences', name: 'bad' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatasetParseError);
    expect((error as DatasetParseError).lineNumber).toBe(2);
    expect((error as Error).message).toMatch(/line 2: user "u2" has no items/);
  });

  it('reads a CSV through its column mapping and keys it by mapping as well as content', async () => {
    const text = 'who,what,when\nA,x,2\nA,y,1\nB,x,3\n';
    const spec: LabImportSpec = {
      format: 'csv',
      name: 'c',
      csv: { user: 'who', item: 'what', time: 'when' },
    };
    const { dataset, info } = await imported(text, spec);
    expect(dataset.itemIds).toEqual(['x', 'y']);
    expect(Array.from(dataset.matrix.items.subarray(0, 2))).toEqual([1, 0]); // sorted by time
    expect(info.stats).toMatchObject({ users: 2, items: 2, interactions: 3, hasTimestamps: true });
    expect(info.key).not.toBe(info.contentHash);
    expect(datasetKey(info.contentHash, { format: 'sequences', name: 'x' })).toBe(info.contentHash);
  });

  it('refuses a CSV import without a mapping', async () => {
    await expect(parseDataset(chunksOf('a,b\n'), { format: 'csv', name: 'c' })).rejects.toThrow(
      /column mapping/,
    );
  });

  it('stores and restores a dataset through the datasets table shape', async () => {
    const text =
      'session_id;user_id;item_id;timeframe;eventdate\n1;NA;9;5;2016-05-09\n1;NA;8;1;2016-05-09\n2;NA;9;0;2016-05-10\n';
    const { dataset, info } = await imported(text, { format: 'sessions', name: 's' });
    const record = structuredClone(toDatasetRecord(dataset, info, 123));
    expect(record).toMatchObject({ hash: info.key, userCount: 2, itemCount: 2, interactionCount: 3 });
    const restored = fromDatasetRecord(record);
    expect(restored.info).toEqual(info);
    expect(restored.dataset.userIds).toEqual(dataset.userIds);
    expect(restored.dataset.itemIds).toEqual(dataset.itemIds);
    expect(Array.from(restored.dataset.matrix.items)).toEqual(Array.from(dataset.matrix.items));
    expect(Array.from(restored.dataset.timestamps!)).toEqual(Array.from(dataset.timestamps!));
    expect(unpackText(packText('é ✓ x'))).toBe('é ✓ x');
  });
});

describe('runLab', () => {
  it('evaluates popularity leave-one-out on full ranking with intervals and top lists', async () => {
    const { dataset, info } = await imported();
    const stages = new Set<string>();
    const result = await runLab(baseSpec(info, { topK: 3 }), {
      dataset,
      info,
      backend,
      onProgress: (p) => stages.add(p.stage),
    });
    const [popularity] = result.models;
    expect(result.protocol).toMatch(/full ranking/);
    expect(popularity.users).toHaveLength(30);
    for (const name of ['HR@5', 'HR@10', 'NDCG@10', 'MRR']) {
      const { mean, lower, upper } = popularity.metrics[name];
      expect(lower).toBeLessThanOrEqual(mean);
      expect(upper).toBeGreaterThanOrEqual(mean);
    }
    // 8 items, 5 seen of 6 with one target: at most 3 candidates, so HR@10 is 1 for everyone
    expect(popularity.metrics['HR@10'].mean).toBe(1);
    expect(popularity.beyondAccuracy).toHaveProperty('coverage@10');
    expect(popularity.topLists).toHaveLength(30);
    const first = popularity.topLists![0];
    expect(first.user).toBe('u0');
    expect(first.targets).toEqual(['i5']);
    // history masked: none of u0's first five items may be recommended
    for (const item of ['i0', 'i1', 'i2', 'i3', 'i4']) expect(first.items).not.toContain(item);
    expect([...stages]).toEqual(expect.arrayContaining(['split', 'training', 'evaluation']));
    expect(result.dataset.contentHash).toBe(dataset.contentHash);
  });

  it('pools k-fold users and fails fast on a bad spec', async () => {
    const { dataset, info } = await imported();
    const result = await runLab(baseSpec(info, { split: { kind: 'k-fold', folds: 3 } }), {
      dataset,
      info,
      backend,
    });
    expect(new Set(result.models[0].users).size).toBe(30);
    expect(() => validateRunSpec(baseSpec(info, { models: [{ name: 'nope' }] }))).toThrow(/unknown model/);
    expect(() => validateRunSpec(baseSpec(info, { ks: [0] }))).toThrow(/cut-offs/);
    expect(() =>
      validateRunSpec(
        baseSpec(info, {
          split: { kind: 'k-fold', folds: 3 },
          models: [{ name: 'itemknn', tuning: { strategy: 'grid' } }],
        }),
      ),
    ).toThrow(/validation fold/);
    await expect(
      runLab(baseSpec(info, { split: { kind: 'temporal', testFraction: 0.2 } }), { dataset, info, backend }),
    ).rejects.toThrow(/timestamps/);
  });

  it('tunes on the validation fold and stops the search once patience runs out', async () => {
    const { dataset, info } = await imported();
    const spec = baseSpec(info, {
      models: [
        {
          name: 'itemknn',
          tuning: { strategy: 'grid', space: { neighbours: [1, 2, 3, 4, 5, 6], shrink: [0] }, patience: 2 },
        },
      ],
    });
    const result = await runLab(spec, { dataset, info, backend });
    const [knn] = result.models;
    expect(knn.trials!.length).toBeGreaterThanOrEqual(3);
    expect(knn.trials!.length).toBeLessThan(6);
    const best = Math.max(...knn.trials!.map((t) => t.validationNdcg10));
    const chosen = knn.trials!.find((t) => t.validationNdcg10 === best)!;
    expect(knn.config.neighbours).toBe(chosen.params.neighbours);
    expect(knn.validationNdcg10).toBeUndefined(); // not re-scored: the best trial already was
    // no epochs: neither the trials nor the result speak of them, and the config gains no `epochs`
    expect(knn.trials!.every((t) => t.bestEpoch === undefined && t.epochsTrained === undefined)).toBe(true);
    expect(knn).not.toHaveProperty('keptEpoch');
    expect(knn.config).not.toHaveProperty('epochs');
  });

  it('cross-validates trials on user folds of the training part, never the test fold', async () => {
    const { dataset, info } = await imported();
    const space = { neighbours: [1, 5], shrink: [0] };
    const spec = baseSpec(info, {
      split: { kind: 'random', testFraction: 0.2 },
      models: [
        { name: 'itemknn', tuning: { strategy: 'grid', space, scoring: 'cross-validation', folds: 3 } },
      ],
    });
    const result = await runLab(spec, { dataset, info, backend });
    const [knn] = result.models;
    expect(knn.trials).toHaveLength(2);
    for (const trial of knn.trials!) {
      expect(trial.folds).toHaveLength(3);
      const mean = trial.folds!.reduce((sum, fold) => sum + fold.validationNdcg10, 0) / 3;
      expect(trial.validationNdcg10).toBeCloseTo(mean, 12);
      expect(trial.bestEpoch).toBeUndefined();
    }
    const best = knn.trials!.reduce((a, b) => (b.validationNdcg10 > a.validationNdcg10 ? b : a));
    expect(knn.config.neighbours).toBe(best.params.neighbours);
    // no validation share was held out: the final fit trained on the same data as an untuned run
    // with the chosen config, so every user's results are identical
    const untuned = await runLab(
      baseSpec(info, { split: spec.split, models: [{ name: 'itemknn', config: knn.config }] }),
      { dataset, info, backend },
    );
    expect(Array.from(knn.users)).toEqual(Array.from(untuned.models[0].users));
    expect(Array.from(knn.perUser['NDCG@10'])).toEqual(Array.from(untuned.models[0].perUser['NDCG@10']));
  });

  it('is cancelled by its signal', async () => {
    const { dataset, info } = await imported();
    const controller = new AbortController();
    controller.abort(new DOMException('cancelled', 'AbortError'));
    await expect(
      runLab(baseSpec(info), { dataset, info, backend, signal: controller.signal }),
    ).rejects.toThrow(/cancelled/);
  });

  it('fails with the reason when no user can be evaluated, instead of empty metrics', async () => {
    // 30 users with one item each: leave-one-out has nothing to hold out
    const { dataset, info } = await imported(sequenceText(30, 1));
    await expect(runLab(baseSpec(info), { dataset, info, backend })).rejects.toThrow(
      "no user could be evaluated: leave-one-out holds out each user's last item and needs users with at least 2 items, but each of the 30 users has one item",
    );
    // a random split holds out a share of each user's items, none of one
    await expect(
      runLab(baseSpec(info, { split: { kind: 'random', testFraction: 0.2 } }), { dataset, info, backend }),
    ).rejects.toThrow(
      'no user could be evaluated: the random, 20% of each user for test split left no user with a test item (30 users, one item each)',
    );
  });

  it('refuses a negatives file that does not cover the evaluated users', async () => {
    const { dataset, info } = await imported();
    const negatives = await parseNegativesFile(chunksOf('u0 i1 i2\n'));
    await expect(
      runLab(
        baseSpec(info, { protocol: { kind: 'fixed', negatives: { kind: 'text', name: 'n', text: '' } } }),
        {
          dataset,
          info,
          backend,
          negatives,
        },
      ),
    ).rejects.toThrow(/no line for 29 evaluated user/);
  });

  it("gives ease the run's item attributes, reports them, and tunes their weight", async () => {
    const { dataset, info } = await imported();
    // odd items share tag "odd", even items "even"; item i9 is not in the data
    const text = JSON.stringify(
      Object.fromEntries([
        ...Array.from({ length: 8 }, (_, i) => [`i${i}`, [i % 2 ? 'odd' : 'even']]),
        ['i9', ['x']],
      ]),
    );
    const itemAttributes = await parseItemAttributesFile(chunksOf(text));
    const ease = (config: Record<string, unknown>) => baseSpec(info, { models: [{ name: 'ease', config }] });
    const tagged = await runLab(ease({ l2: 1, attributeWeight: 20 }), {
      dataset,
      info,
      backend,
      itemAttributes,
    });
    expect(tagged.itemAttributes).toEqual({
      hash: itemAttributes.contentHash,
      itemsCovered: 8,
      attributes: 2,
      itemsUnknown: 1,
    });
    const plain = await runLab(ease({ l2: 1 }), { dataset, info, backend, itemAttributes });
    expect(plain.models[0].perUser['NDCG@10']).not.toEqual(tagged.models[0].perUser['NDCG@10']);
    await expect(runLab(ease({ attributeWeight: 20 }), { dataset, info, backend })).rejects.toThrow(
      /needs item attributes/,
    );
    const tuned = await runLab(baseSpec(info, { models: [{ name: 'ease', tuning: { strategy: 'grid' } }] }), {
      dataset,
      info,
      backend,
      itemAttributes,
    });
    const weights = new Set(tuned.models[0].trials!.map((trial) => trial.params.attributeWeight));
    expect([...weights].sort((x, y) => x - y)).toEqual([0, 5, 20, 50]);
  });

  it('lands popularity on LastFM near the published PopRec numbers with the fixed negatives', async () => {
    const read = (name: string) => readFileSync(datasetPath('lastfm', name), 'utf8');
    const { dataset, info } = await imported(read('LastFM.txt'));
    const negatives = await parseNegativesFile(chunksOf(read('LastFM_sample.txt'), 1 << 16));
    const result = await runLab(
      baseSpec(info, {
        ks: [10],
        protocol: { kind: 'fixed', negatives: { kind: 'text', name: 'n', text: '' } },
      }),
      { dataset, info, backend, negatives },
    );
    const { metrics } = result.models[0];
    expect(result.models[0].users).toHaveLength(1090);
    // published .3037 / .1687 (popularity counted on the whole file; ours counts training only)
    expect(metrics['HR@10'].mean).toBeGreaterThan(0.25);
    expect(metrics['HR@10'].mean).toBeLessThan(0.35);
    expect(metrics['NDCG@10'].lower).toBeLessThan(metrics['NDCG@10'].mean);
  });
});

describe('the page-side model list', () => {
  it('fits the hybrid on the validation targets only and reports its weights', async () => {
    const { dataset, info } = await imported(sequenceText(40, 7));
    const fitBlend = vi.spyOn(LabHybrid.prototype, 'fitBlend');
    try {
      const spec = baseSpec(info, {
        models: [{ name: 'hybrid', config: { components: 'itemknn,popularity', itemknn: { shrink: 0 } } }],
      });
      const result = await runLab(spec, { dataset, info, backend });
      expect(fitBlend).toHaveBeenCalledTimes(1);
      const fold = fitBlend.mock.calls[0][0] as EvalFold;
      const expected = leaveOneOutSplit(dataset.matrix, { maxHistoryLength: 50 });
      // every fitted target is the user's second-to-last item, and no test target reached the fit
      expect(Array.from(fold.targets.items)).toEqual(Array.from(expected.validation!.targets.items));
      for (let user = 0; user < dataset.matrix.userCount; user++) {
        const row = userRow(dataset.matrix, user);
        expect(Array.from(userRow(fold.targets, user))).toEqual([row[row.length - 2]]);
        expect(Array.from(userRow(fold.history, user))).not.toContain(row[row.length - 1]);
      }
      const [hybrid] = result.models;
      expect(hybrid.config).toMatchObject({ components: 'itemknn,popularity', 'itemknn.shrink': 0, seed: 1 });
      const blend = hybrid.blend!;
      expect(blend.components.map((c) => c.name)).toEqual(['itemknn', 'popularity']);
      // 40 validation users: 20 fit the weights, the other 20 judge the blend against each component
      expect(blend.cases).toBe(20);
      expect(blend.decision.users).toBe(20);
      expect(blend.decision.components.map((c) => c.name)).toEqual(['itemknn', 'popularity']);
      // the run ranks fully, so the decision's figures are full-ranking NDCG@10 and HR@10, in [0, 1]
      expect(blend.decision.blend.hr).toBeGreaterThanOrEqual(blend.decision.blend.ndcg.mean);
      for (const c of blend.components) {
        expect(Number.isFinite(c.weight)).toBe(true);
        expect(c.trainMs).toBeGreaterThanOrEqual(0);
      }
      // the walks make the next item predictable from the last: item-kNN outweighs popularity
      expect(blend.components[0].weight).toBeGreaterThan(blend.components[1].weight);
      expect(hybrid.metrics['HR@10'].mean).toBeGreaterThan(0);
      // plain JSON: the export (ui/lab/results.ts) copies it as is
      expect(JSON.parse(JSON.stringify(blend))).toEqual(blend);
    } finally {
      fitBlend.mockRestore();
    }
  });

  it('refuses a hybrid on k-fold (no validation fold), tuned, or with an unknown component', () => {
    const spec = (over: Partial<LabRunSpec>) => ({ ...baseSpec({ key: 'k' } as LabDatasetInfo), ...over });
    expect(() =>
      validateRunSpec(spec({ models: [{ name: 'hybrid' }], split: { kind: 'k-fold', folds: 3 } })),
    ).toThrow(/validation fold/);
    expect(() =>
      validateRunSpec(spec({ models: [{ name: 'hybrid', tuning: { strategy: 'grid' } }] })),
    ).toThrow(/tune its components/);
    expect(() =>
      validateRunSpec(spec({ models: [{ name: 'hybrid', config: { components: 'bert4rec' } }] })),
    ).toThrow(/unknown component "bert4rec"/);
    expect(() =>
      validateRunSpec(spec({ models: [{ name: 'hybrid', config: { 'gru.hidden': 8 } }] })),
    ).toThrow(/not among its components/);
  });

  it('matches the registry', async () => {
    const { labModelNames } = await import('./describe');
    const { modelNames } = await import('../../ml/registry');
    expect([...labModelNames]).toEqual([...modelNames]);
  });
});

describe('modelCacheData', () => {
  it('names the dataset key, the split (whatever the order of its fields), the seed and any side files', () => {
    const info = { key: '0123456789abcdef' };
    const split = { kind: 'leave-one-out' as const, maxHistory: 50 };
    const text = modelCacheData(info, { split, seed: 42 });
    expect(text).toBe('0123456789abcdef | {"kind":"leave-one-out","maxHistory":50} | seed 42');
    expect(modelCacheData(info, { split: { maxHistory: 50, kind: 'leave-one-out' }, seed: 42 })).toBe(text);
    expect(modelCacheData(info, { split, seed: 43 })).not.toBe(text);
    expect(modelCacheData(info, { split: { ...split, maxHistory: 200 }, seed: 42 })).not.toBe(text);
    expect(modelCacheData(info, { split, seed: 42 }, { attributesHash: 'feedc0de' })).toBe(
      `${text} | attributes feedc0de`,
    );
    expect(modelCacheData(info, { split, seed: 42 }, { modelFileHashes: ['aa', 'bb'] })).toBe(
      `${text} | model files aa,bb`,
    );
  });
});

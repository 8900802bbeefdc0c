import { describe, expect, it } from 'vitest';
import * as tf from '../../ml/tf';
import { chunksOf } from '../../ml/io';
import { recboleHeader } from '../../ml/io/export/recbole';
import type { BackendReport } from '../backend/types';
import type { LabImportSpec, LabRunSpec } from './protocol';
import { describeDataset, parseDataset } from './importDataset';
import { recboleFilesFor } from './recboleExport';
import { runLab } from './runLab';

const backend: BackendReport = { active: 'cpu', reason: 'test', adapter: null, attempts: [] };

async function imported(text: string) {
  const spec: LabImportSpec = { format: 'sequences', name: 'toy.txt' };
  const dataset = await parseDataset(chunksOf(text, 7), spec);
  return { dataset, info: describeDataset(dataset, spec, 'test') };
}

const spec = (dataset: string, overrides: Partial<LabRunSpec> = {}): LabRunSpec => ({
  dataset,
  models: [{ name: 'popularity' }],
  split: { kind: 'leave-one-out' },
  protocol: { kind: 'full' },
  ks: [5],
  seed: 1,
  backend: 'cpu',
  bootstrapResamples: 20,
  ...overrides,
});

describe('RecBole files of a run spec', () => {
  it('writes the leave-one-out split a run of the spec uses, named after the dataset', async () => {
    const { dataset, info } = await imported('u1 a b c\nu2 b c\n');
    const files = recboleFilesFor(spec(info.key), dataset, info);
    expect(files.map((file) => file.name)).toEqual([
      'toy.inter',
      'toy.train.inter',
      'toy.valid.inter',
      'toy.test.inter',
    ]);
    const text = (name: string) => files.find((file) => file.name === name)!.text;
    expect(text('toy.train.inter')).toBe(`${recboleHeader}\nu1\ta\t0\nu2\tb\t0\n`);
    expect(text('toy.valid.inter')).toBe(`${recboleHeader}\nu1\tb\t1\n`);
    expect(text('toy.test.inter')).toBe(`${recboleHeader}\nu1\tc\t2\nu2\tc\t1\n`);
  });

  it('refuses k-fold, which is several splits', async () => {
    const { dataset, info } = await imported('u1 a b c\nu2 b c\n');
    expect(() =>
      recboleFilesFor(spec(info.key, { split: { kind: 'k-fold', folds: 2 } }), dataset, info),
    ).toThrow("RecBole's benchmark files hold one split, and k-fold makes 2");
  });
});

describe('item embeddings of a lab run', () => {
  it('keeps a trained mf’s item vectors with the dataset’s item ids, and no tensors', async () => {
    const lines = Array.from(
      { length: 12 },
      (_, u) => `u${u} ${[0, 1, 2, 3].map((i) => `i${(u + i) % 6}`).join(' ')}`,
    );
    const { dataset, info } = await imported(lines.join('\n') + '\n');
    const before = tf.memory().numTensors;
    const result = await runLab(
      spec(info.key, { models: [{ name: 'mf', config: { dim: 3, epochs: 1 } }, { name: 'popularity' }] }),
      { dataset, info, backend },
    );
    expect(tf.memory().numTensors).toBe(before);
    const [mf, popularity] = result.models;
    expect(mf.itemEmbeddings).toMatchObject({
      architecture: 'mf',
      rows: 6,
      dim: 3,
      itemIds: dataset.itemIds,
    });
    expect(mf.itemEmbeddings!.values).toHaveLength(18);
    expect(popularity.itemEmbeddings).toBeUndefined();
  });
});

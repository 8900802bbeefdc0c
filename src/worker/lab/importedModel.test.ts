// "imported" in a lab run: the model's file is read, laid on the dataset's items (counting what
// did not match), evaluated like any model, and the result names the file by its SHA-256.
import { describe, expect, it } from 'vitest';
import { chunksOf } from '../../ml/io';
import { readModelFiles } from '../../ml/io/models/readModel';
import { safetensorsBytes } from '../../ml/io/models/testSupport';
import type { BackendReport } from '../backend/types';
import { describeDataset, parseDataset } from './importDataset';
import type { LabRunSpec } from './protocol';
import { runLab } from './runLab';

const backend: BackendReport = { active: 'cpu', reason: 'test', adapter: null, attempts: [] };

/** 30 users walking a ring of 8 items i0…i7, six steps each. */
const text =
  Array.from(
    { length: 30 },
    (_, u) => `u${u} ${Array.from({ length: 6 }, (_, i) => `i${(u + i) % 8}`).join(' ')}`,
  ).join('\n') + '\n';

/** Items on a circle (neighbours on the ring are near), i7 left out, one id the dataset lacks. */
const ids = ['i0', 'i1', 'i2', 'i3', 'i4', 'i5', 'i6', 'zz'];
const vectors = ids.flatMap((_, k) => [Math.cos((2 * Math.PI * k) / 8), Math.sin((2 * Math.PI * k) / 8)]);
const manifest = {
  format: 'aisle-model',
  version: 1,
  architecture: 'mf',
  source: 'PyTorch 2.3',
  itemTensor: 'item.weight',
  itemIds: ids,
  config: { dim: 2 },
};
const files = [
  { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(manifest)) },
  {
    name: 'model.safetensors',
    bytes: safetensorsBytes({ 'item.weight': { shape: [8, 2], values: vectors } }),
  },
];

async function toyRun(models: LabRunSpec['models'], withModel = true) {
  const spec = { format: 'sequences', name: 'ring' } as const;
  const dataset = await parseDataset(chunksOf(text, 64), spec);
  const info = describeDataset(dataset, spec, 'test');
  const run: LabRunSpec = {
    dataset: info.key,
    models,
    split: { kind: 'leave-one-out' },
    protocol: { kind: 'sampled', negatives: 5, sampling: 'uniform' },
    ks: [1, 3],
    seed: 1,
    backend: 'cpu',
    bootstrapResamples: 50,
  };
  return runLab(run, {
    dataset,
    info,
    backend,
    importedModel: withModel ? await readModelFiles(files) : undefined,
  });
}

describe('an imported model in a lab run', () => {
  it('is evaluated beside popularity with intervals, and the result says what matched and which file it was', async () => {
    const result = await toyRun([{ name: 'popularity' }, { name: 'imported' }]);
    const row = result.models.find((model) => model.model === 'imported')!;
    const hr = row.metrics['HR@3'];
    expect(hr.lower).toBeLessThanOrEqual(hr.mean);
    expect(hr.upper).toBeGreaterThanOrEqual(hr.mean);
    // the paired test needs per-user values for the same users as popularity's
    expect(Array.from(row.users)).toEqual(Array.from(result.models[0].users));
    expect(result.importedModel).toMatchObject({
      source: 'PyTorch 2.3',
      format: 'safetensors',
      rank: 2,
      matched: 7,
      missing: 1,
      unknown: 1,
    });
    expect(result.importedModel!.files.map((file) => file.sha256)).toHaveLength(2);
    expect(result.importedModel!.files[1].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('asks for the file when "imported" runs without one', async () => {
    await expect(toyRun([{ name: 'imported' }], false)).rejects.toThrow('"imported" needs a model file');
  });
});

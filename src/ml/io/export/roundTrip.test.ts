// What Aisle exports, Aisle's importer reads back: the manifest is one format for both sides,
// so a model sent to PyTorch in these files can come back the same way.
import { describe, expect, it } from 'vitest';
import type { ModelSnapshot } from '../../recommender';
import { parseManifest } from '../models/manifest';
import { readSafetensorsModel } from '../models/safetensors';
import { itemEmbeddingsOf, modelExportFiles } from './modelExport';

describe('export then import', () => {
  it('gives back the same item vectors under the same ids', () => {
    const snapshot: ModelSnapshot = {
      name: 'gru',
      config: { hidden: 2, itemCount: 3 },
      // row 0 is the padding row, dropped by the export
      arrays: { itemEmbedding: Float32Array.from([7, 7, 0.5, -1, 2, 0.25, -3, 4]) },
    };
    const { safetensors, manifest } = modelExportFiles(itemEmbeddingsOf(snapshot), ['x', 'y', 'z'], {
      createdAt: new Date('2026-12-02T00:00:00Z'),
    });
    const read = readSafetensorsModel(
      safetensors,
      'gru.safetensors',
      parseManifest(JSON.stringify(manifest)),
    );
    expect(read).toMatchObject({ format: 'safetensors', architecture: 'gru', rank: 2, ids: ['x', 'y', 'z'] });
    expect(Array.from(read.vectors)).toEqual([0.5, -1, 2, 0.25, -3, 4]);
    expect(read.settings).toEqual({ hidden: 2, itemCount: 3 });
  });
});

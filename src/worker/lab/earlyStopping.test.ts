// Per-epoch validation and early stopping in a lab run, with a scripted model whose quality per
// epoch we choose: good epochs rank each user's true next item first, bad ones tie everything
// (pessimistic ties put the target last among the few unseen items).
import { describe, expect, it } from 'vitest';
import { chunksOf } from '../../ml/io';
import type { InteractionMatrix } from '../../ml/interactions';
import type { ModelSnapshot, Recommender, ShopperState, TrainOptions } from '../../ml/recommender';
import type { BackendReport, LabRunSpec } from '../protocol';
import { describeDataset, parseDataset } from './importDataset';
import { runLab, validateRunSpec } from './runLab';

const backend: BackendReport = { active: 'cpu', reason: 'test', adapter: null, attempts: [] };

/** user u walks items i(u % 8), i(u % 8 + 1), … (mod 8) */
const text =
  Array.from(
    { length: 30 },
    (_, u) => `u${u} ${Array.from({ length: 6 }, (_, i) => `i${(u + i) % 8}`).join(' ')}`,
  ).join('\n') + '\n';

class ScriptedModel implements Recommender {
  readonly name = 'mf' as const;
  epoch = 0;
  readonly loadedEpochs: number[] = [];

  constructor(
    private readonly goodEpochs: boolean[],
    private readonly nextItem: Int32Array,
  ) {}

  async fit(_data: InteractionMatrix, options: TrainOptions = {}): Promise<void> {
    const epochs = this.goodEpochs.length;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      this.epoch = epoch;
      options.onProgress?.({ epoch, epochs, loss: 1 / epoch, interactionsPerSec: 0, etaSec: 0 });
      if ((await options.onEpochEnd?.(epoch, this)) === 'stop') return;
    }
  }

  scoreAll(state: ShopperState): Float32Array {
    const scores = new Float32Array(this.nextItem.length);
    const last = state.history[state.history.length - 1];
    if (this.goodEpochs[this.epoch - 1] && last !== undefined) scores[this.nextItem[last]] = 1;
    return scores;
  }

  recommend(): never {
    throw new Error('not used');
  }
  similarItems(): never {
    throw new Error('not used');
  }
  save(): ModelSnapshot {
    return { name: 'mf', config: { epoch: this.epoch }, arrays: {} };
  }
  load(snapshot: ModelSnapshot): void {
    this.epoch = snapshot.config.epoch as number;
    this.loadedEpochs.push(this.epoch);
  }
  dispose(): void {}
}

async function runScripted(goodEpochs: boolean[], config: Record<string, unknown>) {
  const spec = { format: 'sequences' as const, name: 'toy' };
  const dataset = await parseDataset(chunksOf(text, 64), spec);
  const indexOf = new Map(dataset.itemIds.map((id, index) => [id, index]));
  const nextItem = Int32Array.from(dataset.itemIds, (id) =>
    indexOf.get(`i${(Number(id.slice(1)) + 1) % 8}`)!,
  );
  const made: ScriptedModel[] = [];
  const runSpec: LabRunSpec = {
    dataset: 'toy',
    models: [{ name: 'mf', config }],
    split: { kind: 'leave-one-out' },
    protocol: { kind: 'full' },
    ks: [10],
    seed: 1,
    backend: 'cpu',
    bootstrapResamples: 20,
  };
  const progress: { stage: string; validation?: number }[] = [];
  const result = await runLab(runSpec, {
    dataset,
    info: describeDataset(dataset, spec, 'test'),
    backend,
    createModel: () => {
      const model = new ScriptedModel(goodEpochs, nextItem);
      made.push(model);
      return model;
    },
    onProgress: (p) => progress.push({ stage: p.stage, validation: p.validationNdcg10 }),
  });
  return { model: result.models[0], made, progress };
}

describe('per-epoch validation and early stopping', () => {
  const script = [false, true, false, false, false, false];

  it('scores validation NDCG@10 after every epoch and reports it as it goes (the live curve)', async () => {
    const { model, made, progress } = await runScripted(script, {});
    expect(model.curve.map((point) => point.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    const validation = model.curve.map((point) => point.validationNdcg10!);
    expect(validation[1]).toBeGreaterThan(0.9);
    expect(validation[0]).toBeLessThan(validation[1]);
    expect(progress.filter((p) => p.validation !== undefined)).toHaveLength(6);
    // no patience: the last epoch's (bad) model is the one evaluated
    expect(made[0].loadedEpochs).toEqual([]);
    expect(model.validationNdcg10).toBe(validation[5]);
    expect(model.metrics['NDCG@10'].mean).toBeLessThan(0.9);
  });

  it('stops after `patience` epochs without improvement and restores the best epoch', async () => {
    const { model, made } = await runScripted(script, { earlyStoppingPatience: 2 });
    expect(model.curve.map((point) => point.epoch)).toEqual([1, 2, 3, 4]);
    expect(made[0].loadedEpochs).toEqual([2]);
    expect(model.validationNdcg10).toBe(model.curve[1].validationNdcg10);
    expect(model.metrics['NDCG@10'].mean).toBeGreaterThan(0.9);
    // the lab setting is not passed on as a model setting
    expect(model.config).not.toHaveProperty('earlyStoppingPatience');
  });

  it('refuses a bad patience or one on a model without epochs', () => {
    const spec = (name: string, config: Record<string, unknown>): LabRunSpec => ({
      dataset: 'toy',
      models: [{ name, config }],
      split: { kind: 'leave-one-out' },
      protocol: { kind: 'full' },
      ks: [10],
      seed: 1,
      backend: 'cpu',
    });
    expect(() => validateRunSpec(spec('mf', { earlyStoppingPatience: 0 }))).toThrow(/whole number/);
    expect(() => validateRunSpec(spec('popularity', { earlyStoppingPatience: 2 }))).toThrow(/epochs/);
    expect(() => validateRunSpec(spec('mf', { earlyStoppingPatience: 2 }))).not.toThrow();
  });
});

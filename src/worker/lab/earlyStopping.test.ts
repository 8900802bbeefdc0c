// Per-epoch validation and early stopping in a lab run, in the final fit and in every tuning
// trial, with a scripted model whose quality per epoch we choose (scriptedModel.ts): good epochs
// rank each user's true next item first (validation NDCG@10 exactly 1), bad ones rank it last.
import { describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../ml/registry';
import type { BackendReport } from '../backend/types';
import type { LabModelSpec, LabRunSpec } from './protocol';
import { runLab } from './runLab';
import { validateRunSpec } from './runSpec';
import { ScriptedModel, scriptedDataset, scriptedRunSpec } from './scriptedModel';

const backend: BackendReport = { active: 'cpu', reason: 'test', adapter: null, attempts: [] };

/**
 * On a bad epoch the target scores below every other candidate: leave-one-out validation masks the
 * user's first four items, so the target ranks 4th of the 4 unseen: NDCG@10 = 1 / log2(5).
 */
const bad = expect.closeTo(1 / Math.log2(5), 12);

type Script = (config: ModelConfig, index: number) => boolean[];

async function runScripted(script: boolean[] | Script, model: Omit<LabModelSpec, 'name'> = {}) {
  const { dataset, info, nextItem } = await scriptedDataset();
  const made: ScriptedModel[] = [];
  const runSpec = scriptedRunSpec('toy', [{ name: 'mf', ...model }]);
  const progress: { stage: string; validation?: number }[] = [];
  const result = await runLab(runSpec, {
    dataset,
    info,
    backend,
    createModel: (_name, config) => {
      // the script's epochs, or fewer when the config asks (tuning's chosen epochs do); mf's default is 20
      const goodEpochs = typeof script === 'function' ? script(config, made.length) : script;
      const fake = new ScriptedModel(
        goodEpochs,
        nextItem,
        Math.min(config.epochs as number, goodEpochs.length),
      );
      made.push(fake);
      return fake;
    },
    onProgress: (p) => progress.push({ stage: p.stage, validation: p.validationNdcg10 }),
  });
  return { model: result.models[0], result, made, progress };
}

describe('per-epoch validation and early stopping', () => {
  const script = [false, true, false, false, false, false];

  it('scores validation NDCG@10 after every epoch and reports it as it goes (the live curve)', async () => {
    const { model, made, progress } = await runScripted(script);
    expect(model.curve.map((point) => point.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    const validation = model.curve.map((point) => point.validationNdcg10!);
    expect(validation[1]).toBeGreaterThan(0.9);
    expect(validation[0]).toBeLessThan(validation[1]);
    expect(progress.filter((p) => p.validation !== undefined)).toHaveLength(6);
    // no patience: the last epoch's (bad) model is the one evaluated
    expect(made[0].loadedEpochs).toEqual([]);
    expect(model.validationNdcg10).toBe(validation[5]);
    expect(model.metrics['NDCG@10'].mean).toBeLessThan(0.9);
    expect(model).toMatchObject({ epochsTrained: 6, keptEpoch: 6, stoppedEarly: false });
  });

  it('stops after `patience` epochs without improvement and restores the best epoch', async () => {
    const { model, made } = await runScripted(script, { config: { earlyStoppingPatience: 2 } });
    expect(model.curve.map((point) => point.epoch)).toEqual([1, 2, 3, 4]);
    expect(made[0].trainedEpochs).toBe(4);
    expect(model).toMatchObject({ epochsTrained: 4, keptEpoch: 2, stoppedEarly: true });
    expect(model.curve.map((point) => point.validationNdcg10)).toEqual([bad, 1, bad, bad]);
    expect(made[0].loadedEpochs).toEqual([2]);
    expect(model.validationNdcg10).toBe(model.curve[1].validationNdcg10);
    expect(model.metrics['NDCG@10'].mean).toBeGreaterThan(0.9);
    // the lab setting is not passed on as a model setting
    expect(model.config).not.toHaveProperty('earlyStoppingPatience');
  });

  it('refuses a bad patience or one on a model without epochs', () => {
    const spec = (name: string, config: Record<string, unknown>) =>
      scriptedRunSpec('toy', [{ name, config }]);
    expect(() => validateRunSpec(spec('mf', { earlyStoppingPatience: 0 }))).toThrow(/whole number/);
    expect(() => validateRunSpec(spec('popularity', { earlyStoppingPatience: 2 }))).toThrow(/epochs/);
    expect(() => validateRunSpec(spec('mf', { earlyStoppingPatience: 2 }))).not.toThrow();
  });
});

describe('tuning trials stop early per epoch', () => {
  // dim 8 peaks at epoch 2 of 6; dim 16 is never good (its first epoch stays its best)
  const byDim: Script = (config) =>
    config.dim === 8 ? [false, true, false, false, false, false] : [false, false, false, false, false, false];

  it('scores each trial by its best epoch, records it, stops the trial, and trains the winner that many epochs', async () => {
    const { model, made, progress } = await runScripted(byDim, {
      config: { epochs: 6 },
      tuning: { strategy: 'grid', space: { dim: [8, 16] }, earlyStoppingPatience: 2 },
    });
    expect(model.trials).toEqual([
      { params: { dim: 8 }, validationNdcg10: 1, bestEpoch: 2, epochsTrained: 4, stoppedEarly: true },
      {
        params: { dim: 16 },
        validationNdcg10: bad,
        bestEpoch: 1,
        epochsTrained: 3,
        stoppedEarly: true,
      },
    ]);
    // two trials, then the final fit; the trials really stopped (6 epochs were configured)
    expect(made.map((fake) => fake.trainedEpochs)).toEqual([4, 3, 2]);
    expect(made.slice(0, 2).every((fake) => fake.loadedEpochs.length === 0)).toBe(true); // no restore in trials
    // the configuration kept is the best trial's, with its best epoch as the epochs to train
    expect(model.config).toMatchObject({ dim: 8, epochs: 2 });
    expect(model).toMatchObject({ epochsTrained: 2, keptEpoch: 2, stoppedEarly: false, validationNdcg10: 1 });
    expect(model.metrics['NDCG@10'].mean).toBe(1);
    expect(model.curve.map((point) => point.validationNdcg10)).toEqual([bad, 1]);
    // the live validation curve shows one point per trial, then the final fit's epochs
    expect(progress.filter((p) => p.validation !== undefined).map((p) => p.validation)).toEqual([
      1,
      bad,
      bad,
      1,
    ]);
  });

  it("falls back to the model config's patience, and without any still scores the best epoch", async () => {
    const tuning = { strategy: 'grid' as const, space: { dim: [8] } };
    const fromConfig = await runScripted(byDim, { config: { earlyStoppingPatience: 1 }, tuning });
    expect(fromConfig.model.trials![0]).toMatchObject({ bestEpoch: 2, epochsTrained: 3, stoppedEarly: true });
    const unlimited = await runScripted(byDim, { tuning });
    expect(unlimited.model.trials).toEqual([
      { params: { dim: 8 }, validationNdcg10: 1, bestEpoch: 2, epochsTrained: 6, stoppedEarly: false },
    ]);
    expect(unlimited.model.config.epochs).toBe(2);
  });

  it('cross-validates on folds of the training part: mean of best-epoch scores, lower median of best epochs', async () => {
    // the three fold models peak at epochs 2, 4 and 3; the final fit (the 4th model) at 3.
    // With patience 3 the first fold stops after epoch 5; the others reach the 6th.
    const peaks = [2, 4, 3, 3];
    const script: Script = (_config, index) => Array.from({ length: 6 }, (_, e) => e + 1 === peaks[index]);
    const { model, made } = await runScripted(script, {
      tuning: {
        strategy: 'grid',
        space: { dim: [8] },
        scoring: 'cross-validation',
        folds: 3,
        earlyStoppingPatience: 3,
      },
    });
    const [trial] = model.trials!;
    expect(trial.folds).toEqual([
      { validationNdcg10: 1, bestEpoch: 2, epochsTrained: 5, stoppedEarly: true },
      { validationNdcg10: 1, bestEpoch: 4, epochsTrained: 6, stoppedEarly: false },
      { validationNdcg10: 1, bestEpoch: 3, epochsTrained: 6, stoppedEarly: false },
    ]);
    expect(trial).toMatchObject({ validationNdcg10: 1, bestEpoch: 3 });
    expect(made.map((fake) => fake.trainedEpochs)).toEqual([5, 6, 6, 3]);
    expect(model.config.epochs).toBe(3);
    expect(model).toMatchObject({ epochsTrained: 3, keptEpoch: 3, stoppedEarly: false });
  });

  it('checks the tuning spec before any work', () => {
    const spec = (
      tuning: LabModelSpec['tuning'],
      split: LabRunSpec['split'] = { kind: 'leave-one-out' },
    ): LabRunSpec => ({ ...scriptedRunSpec('toy', [{ name: 'mf', tuning }]), split });
    expect(() => validateRunSpec(spec({ strategy: 'grid', earlyStoppingPatience: 0 }))).toThrow(/epochs/);
    expect(() => validateRunSpec(spec({ strategy: 'grid', folds: 3 }))).toThrow(/cross-validation/);
    expect(() => validateRunSpec(spec({ strategy: 'grid', scoring: 'cross-validation', folds: 1 }))).toThrow(
      /at least 2 folds/,
    );
    expect(() =>
      validateRunSpec(spec({ strategy: 'grid', scoring: 'cross-validation' }, { kind: 'k-fold', folds: 3 })),
    ).toThrow(/other folds test on/);
    expect(() =>
      validateRunSpec(spec({ strategy: 'random', scoring: 'cross-validation', earlyStoppingPatience: 2 })),
    ).not.toThrow();
  });
});

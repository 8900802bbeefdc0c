import { describe, expect, it } from 'vitest';
import type { CheckpointRecord, ModelRecord } from '../../data/records';
import type { ModelName, ModelSnapshot } from '../../ml/recommender';
import { obtainModel, type ModelPlan, type ModelRepository, type TrainRequest } from './orchestrator';

/** The models and checkpoints tables as two Maps, with a log of writes. */
function fakeRepository(failCheckpoints = false) {
  const models = new Map<ModelName, ModelRecord>();
  const checkpoints = new Map<ModelName, CheckpointRecord>();
  const writes: string[] = [];
  const repository: ModelRepository = {
    getModel: async (name) => models.get(name),
    getCheckpoint: async (name) => checkpoints.get(name),
    putCheckpoint: async (checkpoint) => {
      if (failCheckpoints) throw new Error('QuotaExceededError');
      writes.push(`checkpoint ${checkpoint.epoch}`);
      checkpoints.set(checkpoint.name, checkpoint);
    },
    completeTraining: async (model) => {
      writes.push('complete');
      models.set(model.name, model);
      checkpoints.delete(model.name);
    },
  };
  return { repository, models, checkpoints, writes };
}

const identity = { dataHash: 'abc', fingerprint: 'plan-1' };

/**
 * A stand-in trainer: the "parameter" counts epochs, so a resumed run's result shows where it
 * started. `stopAfter` simulates the tab closing after that epoch.
 */
function counterTrainer(epochs: number, stopAfter = Infinity) {
  const calls: { resumedFrom: number | null; optimizerStep?: number }[] = [];
  const train = async ({ resumeFrom, onProgress, onCheckpoint }: TrainRequest): Promise<ModelSnapshot> => {
    calls.push({ resumedFrom: resumeFrom?.epochsDone ?? null, optimizerStep: resumeFrom?.optimizer?.step });
    const value = Float32Array.from(resumeFrom?.params.counter ?? [0]);
    let step = resumeFrom?.optimizer?.step ?? 0;
    for (let epoch = (resumeFrom?.epochsDone ?? 0) + 1; epoch <= epochs; epoch++) {
      value[0] += 1;
      step += 10;
      onProgress({ epoch, epochs, loss: 1 / epoch, interactionsPerSec: 100, etaSec: 0 });
      await onCheckpoint({
        epochsDone: epoch,
        params: { counter: Float32Array.from(value) },
        optimizer: {
          step,
          moments: { counter: { first: Float32Array.of(step), second: Float32Array.of(step * step) } },
        },
      });
      if (epoch >= stopAfter) throw new Error('tab closed');
    }
    return { name: 'mf', config: {}, arrays: { counter: value } };
  };
  return { train, calls };
}

const plan = (train: ModelPlan['train'], overrides: Partial<ModelPlan> = {}): ModelPlan => ({
  name: 'mf',
  identity,
  epochs: 3,
  backend: 'webgpu',
  eventsUsed: 0,
  config: { dim: 8 },
  train,
  evaluate: async (snapshot) => ({ 'HR@10': snapshot.arrays.counter[0] / 10 }),
  now: () => 1000,
  ...overrides,
});

describe('obtaining a store model', () => {
  it('trains from scratch, checkpointing after every epoch but the last, then stores model and card', async () => {
    const { repository, models, checkpoints, writes } = fakeRepository();
    const trainer = counterTrainer(3);
    const obtained = await obtainModel(repository, plan(trainer.train));
    expect(obtained.origin).toBe('trained');
    expect(trainer.calls).toEqual([{ resumedFrom: null, optimizerStep: undefined }]);
    expect(writes).toEqual(['checkpoint 1', 'checkpoint 2', 'complete']);
    expect(checkpoints.size).toBe(0);
    const stored = models.get('mf')!;
    expect(stored).toMatchObject({
      backend: 'webgpu',
      dataHash: 'abc',
      trainedAt: 1000,
      metrics: { 'HR@10': 0.3 },
    });
    expect(stored.config).toMatchObject({ dim: 8, fingerprint: 'plan-1' });
  });

  it('resumes after the last checkpointed epoch when the tab was closed mid-training', async () => {
    const { repository, checkpoints } = fakeRepository();
    const interrupted = counterTrainer(3, 2);
    await expect(obtainModel(repository, plan(interrupted.train))).rejects.toThrow('tab closed');
    expect(checkpoints.get('mf')).toMatchObject({ epoch: 2, optimizer: { step: 20 } });
    expect(checkpoints.get('mf')?.optimizer?.moments.counter.second).toEqual(Float32Array.of(400));

    const progress: (number | undefined)[] = [];
    const resumed = counterTrainer(3);
    const obtained = await obtainModel(
      repository,
      plan(resumed.train, { onProgress: (_p, from) => progress.push(from) }),
    );
    // the optimizer's state comes back with the parameters
    expect(resumed.calls).toEqual([{ resumedFrom: 2, optimizerStep: 20 }]);
    expect(obtained).toMatchObject({ origin: 'resumed', resumedFromEpoch: 2 });
    // two epochs before the break, one after: the work was not repeated
    expect(obtained.record.snapshot.arrays.counter[0]).toBe(3);
    expect(obtained.record.config.resumedFromEpoch).toBe(2);
    expect(progress).toEqual([2]);
    expect(checkpoints.size).toBe(0);
  });

  it('resumes a checkpoint written before the optimizer state was kept, with fresh moments', async () => {
    const { repository, checkpoints } = fakeRepository();
    // the shape older builds wrote: an empty optimizerState, no optimizer
    const legacy = {
      name: 'mf' as const,
      snapshot: {
        name: 'mf' as const,
        config: { fingerprint: 'plan-1' },
        arrays: { counter: Float32Array.of(2) },
      },
      epoch: 2,
      epochs: 3,
      optimizerState: {},
      dataHash: 'abc',
      savedAt: 1,
    };
    checkpoints.set('mf', legacy);
    const resumed = counterTrainer(3);
    const obtained = await obtainModel(repository, plan(resumed.train));
    expect(resumed.calls).toEqual([{ resumedFrom: 2, optimizerStep: undefined }]);
    expect(obtained).toMatchObject({ origin: 'resumed', resumedFromEpoch: 2 });
    expect(obtained.record.snapshot.arrays.counter[0]).toBe(3);
  });

  it('loads a stored model trained on the same data and plan instead of training again', async () => {
    const { repository } = fakeRepository();
    await obtainModel(repository, plan(counterTrainer(3).train));
    const again = counterTrainer(3);
    const obtained = await obtainModel(repository, plan(again.train));
    expect(obtained.origin).toBe('stored');
    expect(again.calls).toEqual([]);
  });

  it('retrains when the data or the plan changed, ignoring stale models and checkpoints', async () => {
    const { repository, checkpoints } = fakeRepository();
    await obtainModel(repository, plan(counterTrainer(3).train));
    const newData = counterTrainer(3);
    expect(
      (await obtainModel(repository, plan(newData.train, { identity: { ...identity, dataHash: 'def' } })))
        .origin,
    ).toBe('trained');
    expect(newData.calls).toEqual([{ resumedFrom: null, optimizerStep: undefined }]);

    await expect(obtainModel(repository, plan(counterTrainer(3, 1).train))).rejects.toThrow();
    expect(checkpoints.get('mf')?.epoch).toBe(1);
    const otherPlan = counterTrainer(3);
    await obtainModel(
      repository,
      plan(otherPlan.train, { identity: { ...identity, fingerprint: 'plan-2' } }),
    );
    expect(otherPlan.calls).toEqual([{ resumedFrom: null, optimizerStep: undefined }]);
  });

  it('keeps training when a checkpoint cannot be written, and says why', async () => {
    const { repository, models } = fakeRepository(true);
    const warnings: string[] = [];
    const obtained = await obtainModel(
      repository,
      plan(counterTrainer(3).train, { onWarning: (message) => warnings.push(message) }),
    );
    expect(obtained.origin).toBe('trained');
    expect(models.has('mf')).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('QuotaExceededError');
  });
});

describe('obtainModel with damaged stored rows', () => {
  it('skips a stored model with NaN weights, says which entry, and trains again', async () => {
    const { repository, models } = fakeRepository();
    await obtainModel(repository, plan(counterTrainer(3).train));
    models.get('mf')!.snapshot.arrays.counter = Float32Array.of(NaN);
    const warnings: string[] = [];
    const again = counterTrainer(3);
    const obtained = await obtainModel(repository, plan(again.train, { onWarning: (m) => warnings.push(m) }));
    expect(obtained.origin).toBe('trained');
    expect(again.calls).toEqual([{ resumedFrom: null, optimizerStep: undefined }]);
    expect(warnings).toEqual([
      'The stored mf model is damaged (snapshot.arrays.counter[0]: is NaN); it was skipped and is trained again.',
    ]);
  });

  it('starts over from a checkpoint whose epoch is past its epochs, instead of resuming from nonsense', async () => {
    const { repository, checkpoints } = fakeRepository();
    await expect(obtainModel(repository, plan(counterTrainer(3, 1).train))).rejects.toThrow('tab closed');
    checkpoints.get('mf')!.epoch = 7;
    const warnings: string[] = [];
    const again = counterTrainer(3);
    await obtainModel(repository, plan(again.train, { onWarning: (m) => warnings.push(m) }));
    expect(again.calls).toEqual([{ resumedFrom: null, optimizerStep: undefined }]);
    expect(warnings).toEqual([
      'The stored mf checkpoint is damaged (epoch: is not a whole number from 0 to 3); it was skipped and is trained again.',
    ]);
  });

  it('trains when the stored row cannot even be read', async () => {
    const { repository } = fakeRepository();
    repository.getModel = () => Promise.reject(new Error('DataCloneError: the record is unreadable'));
    const warnings: string[] = [];
    const obtained = await obtainModel(
      repository,
      plan(counterTrainer(3).train, { onWarning: (m) => warnings.push(m) }),
    );
    expect(obtained.origin).toBe('trained');
    expect(warnings[0]).toBe(
      'The stored mf model could not be read (DataCloneError: the record is unreadable); it is trained again.',
    );
  });
});

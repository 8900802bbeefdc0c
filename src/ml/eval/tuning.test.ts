import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { EarlyStopping, combineFolds, gridPoints, gridSearch, randomSearch, sampleParams } from './tuning';

describe('gridPoints and gridSearch', () => {
  it('enumerates every combination, first parameter slowest', () => {
    expect(gridPoints({ factors: [16, 32], lr: [0.1, 0.01] })).toEqual([
      { factors: 16, lr: 0.1 },
      { factors: 16, lr: 0.01 },
      { factors: 32, lr: 0.1 },
      { factors: 32, lr: 0.01 },
    ]);
    expect(() => gridPoints({ lr: { min: 0.001, max: 0.1 } })).toThrow('needs a list of values');
  });

  it('sorts trials best first, ties and NaN handled', async () => {
    // objective: -(factors - 32)^2 / 100 + lr; NaN for factors 64 (a failed run)
    const result = await gridSearch({ factors: [16, 32, 64], lr: [0, 1] }, async ({ factors, lr }) =>
      factors === 64 ? NaN : -((factors - 32) ** 2) / 100 + lr,
    );
    // scores: (16,0) -2.56, (16,1) -1.56, (32,0) 0, (32,1) 1, (64,*) NaN
    expect(result.best).toEqual({ index: 3, params: { factors: 32, lr: 1 }, score: 1 });
    expect(result.trials.map((trial) => trial.index)).toEqual([3, 2, 1, 0, 4, 5]);
    expect(result.aborted).toBe(false);
  });

  it('stops when the signal fires and keeps the finished trials', async () => {
    const controller = new AbortController();
    const result = await gridSearch(
      { k: [1, 2, 3, 4] },
      async ({ k }, { signal }) => {
        if (k === 3) {
          controller.abort();
          signal?.throwIfAborted();
        }
        return k;
      },
      { signal: controller.signal },
    );
    expect(result.aborted).toBe(true);
    expect(result.trials.map((trial) => trial.params.k)).toEqual([2, 1]);
  });

  it('passes a real objective error through', async () => {
    await expect(
      gridSearch({ k: [1] }, async () => Promise.reject(new Error('out of memory'))),
    ).rejects.toThrow('out of memory');
  });
});

describe('sampleParams and randomSearch', () => {
  it('draws inside ranges, integers as integers, log ranges evenly per decade', () => {
    const random = createRng(8);
    const space = {
      lr: { min: 1e-4, max: 1e-1, log: true },
      factors: { min: 8, max: 64, int: true },
      dropout: [0.1, 0.3],
    };
    const draws = Array.from({ length: 3000 }, () => sampleParams(space, random));
    expect(draws.every((p) => p.lr >= 1e-4 && p.lr <= 1e-1)).toBe(true);
    expect(draws.every((p) => Number.isInteger(p.factors) && p.factors >= 8 && p.factors <= 64)).toBe(true);
    expect(new Set(draws.map((p) => p.dropout))).toEqual(new Set([0.1, 0.3]));
    // three decades: each should get about 1/3 of the draws (1000 ± 3 sd of 26)
    const belowMilli = draws.filter((p) => p.lr < 1e-3).length;
    expect(Math.abs(belowMilli - 1000)).toBeLessThan(80);
    // both ends of the integer range are reachable
    expect(draws.some((p) => p.factors === 8) && draws.some((p) => p.factors === 64)).toBe(true);
  });

  it('runs the requested number of seeded trials', async () => {
    const space = { x: { min: -1, max: 1 } };
    const objective = async ({ x }: Record<string, number>) => -(x * x);
    const a = await randomSearch(space, objective, { trials: 20, seed: 2 });
    const b = await randomSearch(space, objective, { trials: 20, seed: 2 });
    expect(a.trials).toHaveLength(20);
    expect(a.trials).toEqual(b.trials);
    expect(a.best!.score).toBe(Math.max(...a.trials.map((trial) => trial.score)));
  });
});

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement and keeps the best epoch', () => {
    const stopping = new EarlyStopping<string>({ patience: 2, minDelta: 0.001 });
    // validation NDCG@10 per epoch: 0.10, 0.12, 0.1205 (not > 0.121), 0.11 -> stop after epoch 3
    expect(stopping.report(0, 0.1, () => 'weights@0')).toEqual({ improved: true, shouldStop: false });
    expect(stopping.report(1, 0.12, () => 'weights@1')).toEqual({ improved: true, shouldStop: false });
    expect(stopping.report(2, 0.1205, () => 'weights@2')).toEqual({ improved: false, shouldStop: false });
    expect(stopping.report(3, 0.11, () => 'weights@3')).toEqual({ improved: false, shouldStop: true });
    expect([stopping.bestEpoch, stopping.bestScore, stopping.bestSnapshot]).toEqual([1, 0.12, 'weights@1']);
  });

  it('rejects a patience below one', () => {
    expect(() => new EarlyStopping({ patience: 0 })).toThrow('patience');
  });
});

describe('combineFolds', () => {
  it('averages the scores and takes the lower median of the best epochs', () => {
    expect(
      combineFolds([
        { score: 0.2, bestEpoch: 2 },
        { score: 0.4, bestEpoch: 4 },
        { score: 0.3, bestEpoch: 3 },
      ]),
    ).toEqual({ score: expect.closeTo(0.3, 12), bestEpoch: 3 });
    // an even count: the earlier of the two middle epochs, one some fold really chose
    expect(
      combineFolds([
        { score: 1, bestEpoch: 5 },
        { score: 0, bestEpoch: 2 },
      ]).bestEpoch,
    ).toBe(2);
    expect(
      combineFolds([
        { score: 1, bestEpoch: 5 },
        { score: 0, bestEpoch: 2 },
        { score: 0, bestEpoch: 9 },
        { score: 0, bestEpoch: 7 },
      ]).bestEpoch,
    ).toBe(5);
  });

  it('has no epoch unless every fold has one, and a failed fold fails the trial', () => {
    expect(combineFolds([{ score: 0.5 }, { score: 0.7 }])).toEqual({ score: 0.6 });
    expect(combineFolds([{ score: 0.5, bestEpoch: 1 }, { score: 0.7 }])).toEqual({ score: 0.6 });
    expect(combineFolds([{ score: 0.5 }, { score: NaN }]).score).toBeNaN();
    expect(() => combineFolds([])).toThrow(/no folds/);
  });
});

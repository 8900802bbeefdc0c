import { describe, expect, it } from 'vitest';
import { faultIsDue, trainingFaultFromQuery } from './faultHook';

describe('training fault hooks', () => {
  it('reads the two faults a test may ask for, with their epoch', () => {
    expect(trainingFaultFromQuery('?backend=webgpu&fault=lose-gpu-after-epoch-1&train=quick')).toEqual({
      kind: 'loseGpu',
      afterEpoch: 1,
    });
    expect(trainingFaultFromQuery('?fault=stall-after-epoch-12')).toEqual({ kind: 'stall', afterEpoch: 12 });
  });

  it('is inert without the parameter or with anything it does not know', () => {
    for (const search of [
      '',
      '?train=quick',
      '?fault=',
      '?fault=lose-gpu',
      '?fault=stall-after-epoch-0',
      '?fault=stall-after-epoch-1000',
      '?fault=explode-after-epoch-1',
      '?fault=stall-after-epoch-1x',
    ])
      expect(trainingFaultFromQuery(search), search).toBeUndefined();
  });

  it('acts only after the epoch it names', () => {
    const fault = { kind: 'stall' as const, afterEpoch: 2 };
    expect([1, 2, 3].map((epochsDone) => faultIsDue(fault, epochsDone))).toEqual([false, true, false]);
    expect(faultIsDue(undefined, 2)).toBe(false);
  });
});

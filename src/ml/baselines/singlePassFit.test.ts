import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrainProgress } from '../recommender';
import { reportSinglePassFit } from './singlePassFit';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('reportSinglePassFit', () => {
  it('reports one finished epoch with the throughput of the pass', () => {
    vi.spyOn(performance, 'now').mockReturnValue(3_000);
    const reports: TrainProgress[] = [];
    // 500 interactions in 3,000 − 1,000 ms = 2 s: 250 per second
    reportSinglePassFit({ onProgress: (progress) => reports.push(progress) }, 500, 1_000);
    expect(reports).toEqual([{ epoch: 1, epochs: 1, loss: 0, interactionsPerSec: 250, etaSec: 0 }]);
  });

  it('says 0 per second rather than dividing by a zero-length pass, and needs no listener', () => {
    vi.spyOn(performance, 'now').mockReturnValue(1_000);
    const reports: TrainProgress[] = [];
    reportSinglePassFit({ onProgress: (progress) => reports.push(progress) }, 500, 1_000);
    expect(reports[0].interactionsPerSec).toBe(0);
    expect(() => reportSinglePassFit(undefined, 500, 1_000)).not.toThrow();
  });
});

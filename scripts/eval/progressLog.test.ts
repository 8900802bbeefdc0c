import { describe, expect, it } from 'vitest';
import { progressLog } from './progressLog';

describe('progressLog', () => {
  it('writes every training line, and a counting line at most once per interval', () => {
    const log = progressLog(30_000);
    expect(log.due('hybrid: sasrec epoch 3/30, loss 7.1234', 0)).toBe(true);
    expect(log.due('hybrid: ranking for 64/22363 users', 1_000)).toBe(true);
    expect(log.due('hybrid: ranking for 128/22363 users', 20_000)).toBe(false);
    // a line that matters is never held back by the interval
    expect(log.due('hybrid: sasrec: epoch 4: validation NDCG@10 0.0512 (best: epoch 4)', 21_000)).toBe(true);
    expect(log.due('hybrid: ranking for 192/22363 users', 30_999)).toBe(false);
    expect(log.due('hybrid: ranking for 256/22363 users', 31_000)).toBe(true);
  });
});

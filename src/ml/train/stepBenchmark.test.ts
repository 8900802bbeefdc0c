import * as tf from '../tf';
import { describe, expect, it } from 'vitest';
import { benchmarkEmbeddingSteps } from './stepBenchmark';

// Realistic sizes only on request: they take tens of seconds on the cpu backend.
const realistic = process.env.AISLE_BENCH === '1';

const realisticSize = { userCount: 10000, itemCount: 6000, dim: 64, batchSize: 1024 };

describe('dense vs sparse embedding step', () => {
  // Must run first in this file: afterwards the linear kernel has replaced the stock one.
  // The stock kernel is O(rows × batch): at the realistic size a single step takes many
  // minutes, so it is timed on tables 10× smaller.
  it.runIf(realistic)(
    'times one dense step with the stock cpu UnsortedSegmentSum',
    async () => {
      const result = await benchmarkEmbeddingSteps({
        ...realisticSize,
        userCount: realisticSize.userCount / 10,
        itemCount: realisticSize.itemCount / 10,
        steps: 2,
        denseOnly: true,
        linearSegmentSum: false,
      });
      console.log('stock kernel', JSON.stringify(result));
      expect(result.denseMsPerStep).toBeGreaterThan(0);
    },
    600_000,
  );

  it('runs both paths without leaking tensors', async () => {
    const start = tf.memory().numTensors;
    const result = await benchmarkEmbeddingSteps(
      realistic
        ? { ...realisticSize, steps: 10 }
        : { userCount: 200, itemCount: 100, dim: 8, batchSize: 32, steps: 3 },
    );
    if (realistic) console.log(JSON.stringify(result));
    expect(result.denseMsPerStep).toBeGreaterThan(0);
    expect(result.sparseMsPerStep).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(start);
  }, 600_000);
});

import * as tf from '../../src/ml/tf';
import { describe, expect, it } from 'vitest';
import {
  benchmarkEmbeddingSteps,
  formatStepReport,
  stepCases,
  stepRowCells,
  type StepBenchmarkResult,
} from './embeddingStep';
import { parseBenchArgs } from './options';

const measured: StepBenchmarkResult = {
  userCount: 10_000,
  itemCount: 6_000,
  dim: 64,
  batchSize: 1_024,
  steps: 10,
  backend: 'cpu',
  denseMsPerStep: 250,
  sparseMsPerStep: 12.5,
};

describe('embedding step bench', () => {
  it('times both paths and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const result = await benchmarkEmbeddingSteps({
      userCount: 200,
      itemCount: 100,
      dim: 8,
      batchSize: 32,
      steps: 2,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(result).toMatchObject({ userCount: 200, steps: 2, backend: tf.getBackend() });
    expect(Number.isFinite(result.denseMsPerStep) && Number.isFinite(result.sparseMsPerStep)).toBe(true);
  });

  it('runs the stock-kernel case first, dense only, on tables a tenth the size', () => {
    const [stock, linear] = stepCases(true);
    expect(stock.options).toMatchObject({
      userCount: 100,
      itemCount: 60,
      denseOnly: true,
      linearSegmentSum: false,
    });
    expect(linear.options).toMatchObject({ userCount: 1_000, itemCount: 600, steps: 3 });
    expect(linear.options.denseOnly).toBeUndefined();
    expect(stepCases(false)[1].options).toMatchObject({
      userCount: 10_000,
      itemCount: 6_000,
      dim: 64,
      steps: 10,
    });
  });

  it('shows sizes, times and the dense ÷ lazy ratio', () => {
    // 250 / 12.5 = 20
    expect(stepRowCells({ label: 'linear', result: measured })).toEqual([
      'linear',
      '10,000 × 6,000 × 64',
      '1024',
      '10',
      '250',
      '12.5',
      '20.0×',
    ]);
    const denseOnly = { ...measured, sparseMsPerStep: NaN };
    expect(stepRowCells({ label: 'stock', result: denseOnly }).slice(4)).toEqual(['250', '—', '—']);
  });

  it('prints a titled, aligned table', () => {
    const lines = formatStepReport([{ label: 'linear', result: measured }]).split('\n');
    expect(lines[0]).toBe('embedding step: BPR matrix factorisation, tfjs cpu backend in Node');
    expect(lines[2].startsWith('case    users × items × dim  batch')).toBe(true);
    expect(lines[4]).toBe('linear  10,000 × 6,000 × 64  1024   10     250            12.5          20.0×');
  });

  it('is chosen with --step', () => {
    expect(parseBenchArgs(['--step', '--quick'], 'data.txt')).toMatchObject({ step: true, quick: true });
    expect(parseBenchArgs([], 'data.txt').step).toBe(false);
  });
});

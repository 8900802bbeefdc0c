import { describe, expect, it } from 'vitest';
import { deviceRowSpecs, parseRowList, positiveOption } from './rowSpecs';

describe('the device runner’s rows', () => {
  const options = {
    dataPath: '/data/Beauty.txt',
    datasetName: 'amazon-beauty',
    models: ['mf', 'sasrec'],
    backends: ['webgpu', 'wasm'] as const,
    epochs: 2,
    budgetSec: 90,
    rowTimeoutSec: 150,
  };

  it('puts every webgpu row before any wasm row, models in the asked order', () => {
    const rows = deviceRowSpecs(options).map((spec) => `${spec.model}/${spec.backend}`);
    expect(rows).toEqual(['mf/webgpu', 'sasrec/webgpu', 'mf/wasm', 'sasrec/wasm']);
  });

  it('reads the file path as the dataset and names a thinned slice as the bench does', () => {
    const [first] = deviceRowSpecs({ ...options, maxUsers: 500 });
    expect(first.dataset).toEqual({
      name: 'amazon-beauty[500 users]',
      url: '/data/Beauty.txt',
      maxUsers: 500,
    });
    expect(first).toMatchObject({ epochs: 2, trainBudgetSec: 90, timeoutSec: 150, latencySamples: 100 });
    // no config override: each model trains with the registry's default, as in the bench's table
    expect(first.config).toBeUndefined();
  });

  it('splits a comma list, ignoring spaces and empty parts', () => {
    expect(parseRowList(' mf, sasrec,,gru ')).toEqual(['mf', 'sasrec', 'gru']);
  });

  it('refuses a number option that is not positive, naming it', () => {
    expect(positiveOption('epochs', '3')).toBe(3);
    expect(positiveOption('epochs', undefined)).toBeUndefined();
    expect(() => positiveOption('epochs', '0')).toThrow('--epochs must be a positive number, not "0"');
    expect(() => positiveOption('budget', 'ten')).toThrow('--budget must be a positive number, not "ten"');
  });
});

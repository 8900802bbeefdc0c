import { describe, expect, it } from 'vitest';
import type { LabRunSpec } from '../../worker/lab/protocol';
import {
  formLabels,
  parseConfig,
  parseKs,
  RunSpecError,
  toRunSpec,
  type RunFormFields,
  type RunFormLabels,
} from './runSpecForm';
import { defaultRunSpec, defaultTuning } from './testSupport';

/** The page's starting form: popularity, leave-one-out, full ranking, K 5,10,20, seed 0. */
const base: RunFormFields = {
  dataset: 'abc123',
  models: ['popularity'],
  configs: {},
  split: { kind: 'leave-one-out', maxHistory: 50, testFraction: 0.2, folds: 5 },
  protocol: { kind: 'full', negatives: 99, sampling: 'uniform' },
  ks: '5,10,20',
  seed: 0,
  backend: 'auto',
  keepTopLists: false,
};

const baseSpec: LabRunSpec = defaultRunSpec('abc123');

const errorOf = (fields: RunFormFields, labels?: RunFormLabels): RunSpecError => {
  try {
    toRunSpec(fields, labels);
  } catch (error) {
    if (error instanceof RunSpecError) return error;
    throw error;
  }
  throw new Error('expected a RunSpecError');
};

describe('toRunSpec', () => {
  it('turns the starting form into a leave-one-out full-ranking run', () => {
    expect(toRunSpec(base)).toStrictEqual(baseSpec);
  });

  it.each([
    [
      { kind: 'leave-one-out', maxHistory: 200 },
      { kind: 'leave-one-out', maxHistory: 200 },
    ],
    [
      { kind: 'temporal', testFraction: 0.1 },
      { kind: 'temporal', testFraction: 0.1 },
    ],
    [
      { kind: 'random', testFraction: '0.25' },
      { kind: 'random', testFraction: 0.25 },
    ],
    [
      { kind: 'k-fold', folds: 4 },
      { kind: 'k-fold', folds: 4 },
    ],
  ] as const)('split %j -> %j, other entries ignored', (split, expected) => {
    const fields = { ...base, split: { maxHistory: 7, testFraction: 0.5, folds: 9, ...split } };
    expect(toRunSpec(fields).split).toStrictEqual(expected);
  });

  it('fills blank split entries with the defaults', () => {
    const blank = { maxHistory: undefined, testFraction: '', folds: null };
    const splitOf = (kind: RunFormFields['split']['kind']) =>
      toRunSpec({ ...base, split: { kind, ...blank } }).split;
    expect(splitOf('leave-one-out')).toStrictEqual({ kind: 'leave-one-out', maxHistory: 50 });
    expect(splitOf('temporal')).toStrictEqual({ kind: 'temporal', testFraction: 0.2 });
    expect(splitOf('k-fold')).toStrictEqual({ kind: 'k-fold', folds: 5 });
  });

  it('builds each protocol', () => {
    const negatives = { kind: 'text', name: 'LastFM_sample.txt', text: '1 5 6\n' } as const;
    const protocolOf = (protocol: RunFormFields['protocol']) => toRunSpec({ ...base, protocol }).protocol;
    expect(protocolOf({ kind: 'full', negatives: 3, negativesFile: negatives })).toStrictEqual({
      kind: 'full',
    });
    expect(protocolOf({ kind: 'sampled', negatives: 100, sampling: 'popularity' })).toStrictEqual({
      kind: 'sampled',
      negatives: 100,
      sampling: 'popularity',
    });
    expect(protocolOf({ kind: 'sampled' })).toStrictEqual({
      kind: 'sampled',
      negatives: 99,
      sampling: 'uniform',
    });
    expect(protocolOf({ kind: 'fixed', negativesFile: negatives })).toStrictEqual({
      kind: 'fixed',
      negatives,
    });
  });

  it('gives every chosen model its own config and the same tuning, random search with all its entries', () => {
    const spec = toRunSpec({
      ...base,
      models: ['mf', 'itemknn'],
      configs: { mf: '{"epochs": 5, "dim": 32}', itemknn: '  ', sasrec: '{"ignored": true}' },
      tuning: {
        strategy: 'random',
        trials: 8,
        patience: 3,
        epochPatience: 2,
        scoring: 'validation',
        folds: 3,
      },
    });
    const tuning = defaultTuning;
    expect(spec.models).toStrictEqual([
      { name: 'mf', config: { epochs: 5, dim: 32 }, tuning },
      { name: 'itemknn', config: undefined, tuning },
    ]);
    expect(spec.models[0].tuning).not.toBe(spec.models[1].tuning);
  });

  it('tunes a grid without trials, cross-validated with its folds, and reads 0 epoch patience as none', () => {
    const spec = toRunSpec({
      ...base,
      tuning: {
        strategy: 'grid',
        trials: 8,
        patience: '',
        epochPatience: 0,
        scoring: 'cross-validation',
        folds: '4',
      },
    });
    expect(spec.models[0].tuning).toStrictEqual({
      strategy: 'grid',
      trials: undefined,
      patience: undefined,
      earlyStoppingPatience: undefined,
      scoring: 'cross-validation',
      folds: 4,
    });
  });

  it('leaves blank tuning entries to the worker defaults', () => {
    const spec = toRunSpec({ ...base, tuning: { strategy: 'random' } });
    expect(spec.models[0].tuning).toStrictEqual({
      strategy: 'random',
      trials: undefined,
      patience: undefined,
      earlyStoppingPatience: undefined,
      scoring: undefined,
      folds: undefined,
    });
  });

  it('carries K, seed, backend, top lists, bootstrap and the attributes file', () => {
    const attributes = { kind: 'url', url: '/files/attributes' } as const;
    const spec = toRunSpec({
      ...base,
      ks: ' 10, 20 50 ',
      seed: '7',
      backend: 'wasm',
      keepTopLists: true,
      bootstrapResamples: '50',
      itemAttributes: attributes,
    });
    expect(spec).toStrictEqual({
      ...baseSpec,
      ks: [10, 20, 50],
      seed: 7,
      backend: 'wasm',
      topK: 100,
      bootstrapResamples: 50,
      itemAttributes: attributes,
    });
  });

  it('reads a blank seed as 0', () => {
    expect(toRunSpec({ ...base, seed: undefined }).seed).toBe(0);
  });
});

describe('toRunSpec validation', () => {
  it('names a bad number by its form label', () => {
    expect(errorOf({ ...base, seed: 1.5 })).toMatchObject({
      field: 'seed',
      message: 'seed must be a whole number, got "1.5"',
    });
    expect(errorOf({ ...base, split: { kind: 'temporal', testFraction: 'a fifth' } })).toMatchObject({
      field: 'testFraction',
      message: 'test fraction must be a number, got "a fifth"',
    });
    expect(errorOf({ ...base, protocol: { kind: 'sampled', negatives: '99.5' } })).toMatchObject({
      field: 'negatives',
      message: 'negatives must be a whole number, got "99.5"',
    });
    expect(errorOf({ ...base, tuning: { strategy: 'random', trials: 'many' } })).toMatchObject({
      field: 'trials',
      message: 'trials must be a whole number, got "many"',
    });
  });

  it('names it by the caller labels (the command line names its flags)', () => {
    const flags: RunFormLabels = { ...formLabels, ks: '--k', config: () => 'config file mf.json' };
    expect(errorOf({ ...base, ks: '10,x' }, flags).message).toBe('--k must be a whole number, got "x"');
    expect(errorOf({ ...base, configs: { popularity: '[1]' } }, flags).message).toBe(
      'config file mf.json must be a JSON object such as {"epochs": 5}',
    );
  });

  it('asks for a negatives file for the fixed protocol', () => {
    expect(errorOf({ ...base, protocol: { kind: 'fixed' } })).toMatchObject({
      field: 'negativesFile',
      message: 'the fixed protocol needs a negatives file (e.g. LastFM_sample.txt)',
    });
  });

  it('refuses an empty K and a config that is not a JSON object', () => {
    expect(errorOf({ ...base, ks: ' , ' }).message).toBe('K needs at least one cut-off, e.g. 10');
    expect(errorOf({ ...base, configs: { popularity: '{"dim": ' } })).toMatchObject({ field: 'config' });
    expect(errorOf({ ...base, configs: { popularity: '{"dim": ' } }).message).toMatch(
      /^the popularity config: /,
    );
    expect(errorOf({ ...base, configs: { popularity: 'null' } }).message).toBe(
      'the popularity config must be a JSON object such as {"epochs": 5}',
    );
  });
});

describe('parseKs and parseConfig', () => {
  it('split K on commas and spaces', () => {
    expect(parseKs('5,10,20')).toStrictEqual([5, 10, 20]);
    expect(parseKs('10 20,,50')).toStrictEqual([10, 20, 50]);
  });

  it('read blank config text as no overrides', () => {
    expect(parseConfig('mf', undefined)).toBeUndefined();
    expect(parseConfig('mf', ' \n')).toBeUndefined();
    expect(parseConfig('mf', '{"l2": 0.01}')).toStrictEqual({ l2: 0.01 });
  });
});

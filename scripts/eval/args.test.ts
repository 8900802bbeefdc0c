import { describe, expect, it } from 'vitest';
import { toImportSpec } from '../../src/ui/lab/importSpecForm';
import { RunSpecError, toRunSpec } from '../../src/ui/lab/runSpecForm';
import { defaultRunSpec } from '../../src/ui/lab/testSupport';
import {
  checkInputFileSize,
  choosePresets,
  evalRunFields,
  maxInputFileBytes,
  flagLabels,
  parseEvalArgs,
  presetConfigText,
  usage,
  UsageError,
  type EvalArgs,
  type EvalSideFiles,
} from './args';

const required = ['--data', 'LastFM.txt', '--format', 'sequences', '--model', 'popularity'];

function parsed(argv: string[]): EvalArgs {
  const args = parseEvalArgs(argv);
  if (args.kind !== 'run') throw new Error('expected a run');
  return args;
}

/** argv -> the spec the runner sends, as eval.ts builds it (side files served under /f/). */
function specOf(argv: string[], sideFiles: EvalSideFiles = {}) {
  const args = parsed(argv);
  return toRunSpec(evalRunFields(args, sideFiles, 'key'), flagLabels(args.files.config));
}

const usageError = (argv: string[]) => () => parseEvalArgs(argv);

describe('parseEvalArgs', () => {
  it('reads the three required flags and leaves everything else at its default', () => {
    expect(parsed(required)).toStrictEqual({
      kind: 'run',
      files: {
        data: 'LastFM.txt',
        config: undefined,
        negatives: undefined,
        attributes: undefined,
        scoreTopk: undefined,
      },
      dataImport: {
        format: 'sequences',
        csv: { user: '', item: '', time: '', rating: '', minRating: '', delimiter: '', hasHeader: true },
        interMinRating: '',
      },
      models: ['popularity'],
      presets: {},
      split: { kind: 'leave-one-out', maxHistory: undefined },
      protocol: { kind: 'full' },
      ks: '5,10,20',
      seed: undefined,
      backend: 'auto',
      bootstrap: undefined,
      tuning: undefined,
      outputs: { json: undefined, csv: undefined, topLists: undefined, recboleDir: undefined },
      modelCacheDir: undefined,
    });
  });

  it('reads the export and scoring flags, and keeps top lists to score against', () => {
    const args = parsed([...required, '--export-recbole', 'out/recbole', '--score-topk', 'recbole.tsv']);
    expect(args.outputs.recboleDir).toBe('out/recbole');
    expect(args.files.scoreTopk).toBe('recbole.tsv');
    expect(evalRunFields(args, {}).keepTopLists).toBe(true);
    expect(evalRunFields(parsed(required), {}).keepTopLists).toBe(false);
  });

  it('reads the model cache folder, which is off unless named', () => {
    expect(parsed([...required, '--model-cache', '/tmp/models']).modelCacheDir).toBe('/tmp/models');
    expect(parsed(required).modelCacheDir).toBeUndefined();
  });

  it('reads the final fit, which is off unless named and has one kind', () => {
    expect(parsed([...required, '--final-fit', 'train+validation']).finalFit).toBe('train+validation');
    expect(parsed(required).finalFit).toBeUndefined();
    expect(() => parseEvalArgs([...required, '--final-fit', 'train'])).toThrow(
      'unknown final fit "train" (train+validation)',
    );
    expect(() => parseEvalArgs([...required, '--final-fit'])).toThrow('--final-fit needs a value');
    expect(usage).toContain('--final-fit train+validation');
  });

  it('answers --help before checking anything else', () => {
    expect(parseEvalArgs(['--help'])).toStrictEqual({ kind: 'help' });
    expect(parseEvalArgs(['--model', 'mf', '--help'])).toStrictEqual({ kind: 'help' });
  });

  it('reads every file, output and run flag', () => {
    const args = parsed([
      ...['--data', 'd.txt', '--format', 'sequences', '--model', 'mf,itemknn'],
      ...['--config', 'mf.json', '--negatives', 'neg.txt', '--attributes', 'tags.json'],
      ...['--split', 'kfold:4', '--k', '10,20', '--seed', '3', '--backend', 'wasm', '--bootstrap', '50'],
      ...['--json', 'out.json', '--csv', 'out.csv'],
      ...['--tune', 'random', '--trials', '6', '--patience', '2', '--epoch-patience', '1', '--tune-cv', '3'],
    ]);
    expect(args).toMatchObject({
      files: { data: 'd.txt', config: 'mf.json', negatives: 'neg.txt', attributes: 'tags.json' },
      models: ['mf', 'itemknn'],
      split: { kind: 'k-fold', folds: '4' },
      protocol: { kind: 'fixed' },
      ks: '10,20',
      seed: '3',
      backend: 'wasm',
      bootstrap: '50',
      tuning: {
        strategy: 'random',
        trials: '6',
        patience: '2',
        epochPatience: '1',
        scoring: 'cross-validation',
        folds: '3',
      },
      outputs: { json: 'out.json', csv: 'out.csv', topLists: undefined },
    });
  });

  it.each([
    [['--split', 'loo', '--max-history', '200'], { kind: 'leave-one-out', maxHistory: '200' }],
    [['--split', 'leave-one-out'], { kind: 'leave-one-out', maxHistory: undefined }],
    [['--split', 'temporal:0.1'], { kind: 'temporal', testFraction: '0.1' }],
    [['--split', 'random'], { kind: 'random', testFraction: undefined }],
    [['--split', 'k-fold:5'], { kind: 'k-fold', folds: '5' }],
  ])('%j splits as %j', (flags, split) => {
    expect(parsed([...required, ...flags]).split).toStrictEqual(split);
  });

  it.each([
    [['--protocol', 'full', '--negatives', 'neg.txt'], { kind: 'full' }],
    [['--protocol', 'sampled:100'], { kind: 'sampled', negatives: '100', sampling: 'uniform' }],
    [['--protocol', 'sampled:100:popularity'], { kind: 'sampled', negatives: '100', sampling: 'popularity' }],
    [['--protocol', 'sampled'], { kind: 'sampled', negatives: undefined, sampling: 'uniform' }],
    [['--protocol', 'fixed'], { kind: 'fixed' }],
    [['--negatives', 'neg.txt'], { kind: 'fixed' }],
  ])('%j ranks with protocol %j', (flags, protocol) => {
    expect(parsed([...required, ...flags]).protocol).toStrictEqual(protocol);
  });

  it('maps a CSV file, reading \\t as a tab, and gives .inter its minimum rating', () => {
    const csv = parsed([
      ...['--data', 'r.csv', '--format', 'csv', '--model', 'mf', '--csv-user', 'userId', '--csv-item', '1'],
      ...['--csv-time', 'ts', '--csv-rating', '2', '--min-rating', '4', '--delimiter', '\\t', '--no-header'],
    ]);
    expect(toImportSpec(csv.dataImport, 'r.csv')).toStrictEqual({
      format: 'csv',
      name: 'r.csv',
      csv: {
        user: 'userId',
        item: 1,
        delimiter: '\t',
        hasHeader: false,
        time: 'ts',
        rating: 2,
        minRating: 4,
      },
    });
    const inter = parsed(['--data', 'm.inter', '--format', 'inter', '--model', 'mf', '--min-rating', '3']);
    expect(toImportSpec(inter.dataImport, 'm.inter')).toStrictEqual({
      format: 'inter',
      name: 'm.inter',
      minRating: 3,
    });
  });
});

describe('parseEvalArgs refuses', () => {
  it.each([
    [['popularity'], 'unexpected argument "popularity"'],
    [[...required, '--epochs', '3'], 'unknown option --epochs'],
    [[...required, '--seed'], '--seed needs a value'],
    [[...required, '--k', '--seed', '1'], '--k needs a value'],
    [['--format', 'sequences', '--model', 'mf'], '--data is required'],
    [['--data', 'd.txt', '--model', 'mf'], '--format is required'],
    [['--data', 'd.txt', '--format', 'sequences'], '--model is required'],
    [
      ['--data', 'd.txt', '--format', 'tsv', '--model', 'mf'],
      'unknown format "tsv" (sequences, pairs, inter, csv, sessions)',
    ],
    [[...required, '--backend', 'metal'], 'unknown backend "metal" (auto, webgpu, webgl, wasm, cpu)'],
    [['--data', 'd.txt', '--format', 'sequences', '--model', ','], '--model needs at least one model name'],
    [[...required, '--trials', '4'], '--trials needs --tune grid|random'],
    [[...required, '--tune-cv', '3'], '--tune-cv needs --tune grid|random'],
    [[...required, '--tune', 'bayes'], 'unknown search "bayes" (grid, random)'],
    [[...required, '--model', 'mf,gru', '--topk-out', 't.tsv'], '--topk-out takes one model at a time'],
    [[...required, '--model', 'mf,gru', '--score-topk', 't.tsv'], '--score-topk takes one model at a time'],
    [[...required, '--export-recbole'], '--export-recbole needs a value'],
    [
      ['--data', 'r.csv', '--format', 'csv', '--model', 'mf', '--csv-user', 'u'],
      '--format csv needs --csv-user and --csv-item',
    ],
    [
      [...required, '--split', 'holdout:0.2'],
      'unknown split "holdout:0.2" (loo, temporal:F, random:F, kfold:K)',
    ],
    [[...required, '--protocol', 'sampled:99:recent'], 'sampling must be uniform or popularity'],
    [[...required, '--protocol', 'popular'], 'unknown protocol "popular" (full, sampled:N, fixed)'],
  ])('%j: %s', (argv, message) => {
    expect(usageError(argv)).toThrow(new UsageError(message));
  });
});

describe('the runner spec', () => {
  it('is the default leave-one-out full-ranking run for the required flags', () => {
    expect(specOf(required)).toStrictEqual(defaultRunSpec('key'));
  });

  it('gives every model the config file, the tuning, the served side files and top-100 lists', () => {
    const negatives = { kind: 'url', url: '/f/negatives' } as const;
    const attributes = { kind: 'url', url: '/f/attributes' } as const;
    const spec = specOf(
      [
        ...['--data', 'd.txt', '--format', 'sequences', '--model', 'mf', '--config', 'mf.json'],
        ...['--negatives', 'neg.txt', '--attributes', 'tags.json', '--topk-out', 'top.tsv', '--k', '10'],
        ...[
          '--tune',
          'grid',
          '--epoch-patience',
          '1',
          '--seed',
          '3',
          '--bootstrap',
          '50',
          '--backend',
          'cpu',
        ],
      ],
      { configText: '{"epochs": 3}', negatives, attributes },
    );
    expect(spec).toStrictEqual({
      dataset: 'key',
      models: [
        {
          name: 'mf',
          config: { epochs: 3 },
          tuning: {
            strategy: 'grid',
            trials: undefined,
            patience: undefined,
            earlyStoppingPatience: 1,
            scoring: undefined,
            folds: undefined,
          },
        },
      ],
      split: { kind: 'leave-one-out', maxHistory: 50 },
      protocol: { kind: 'fixed', negatives },
      ks: [10],
      seed: 3,
      backend: 'cpu',
      topK: 100,
      bootstrapResamples: 50,
      itemAttributes: attributes,
    });
  });

  it('fills blank split and sampling numbers with the defaults', () => {
    expect(specOf([...required, '--split', 'temporal']).split).toStrictEqual({
      kind: 'temporal',
      testFraction: 0.2,
    });
    expect(specOf([...required, '--split', 'kfold']).split).toStrictEqual({ kind: 'k-fold', folds: 5 });
    expect(specOf([...required, '--protocol', 'sampled']).protocol).toStrictEqual({
      kind: 'sampled',
      negatives: 99,
      sampling: 'uniform',
    });
  });

  it.each([
    [['--seed', 'x'], '--seed must be a whole number, got "x"', 'seed'],
    [['--k', '10,2.5'], '--k must be a whole number, got "2.5"', 'ks'],
    [['--max-history', '5.5'], '--max-history must be a whole number, got "5.5"', 'maxHistory'],
    [['--split', 'kfold:two'], 'the number of folds must be a whole number, got "two"', 'folds'],
    [
      ['--protocol', 'sampled:lots'],
      'the number of negatives must be a whole number, got "lots"',
      'negatives',
    ],
    [['--protocol', 'fixed'], 'the fixed protocol needs --negatives FILE', 'negativesFile'],
    [['--bootstrap', '1e2.5'], '--bootstrap must be a whole number, got "1e2.5"', 'bootstrapResamples'],
    [['--tune', 'random', '--trials', 'ten'], '--trials must be a whole number, got "ten"', 'trials'],
    [['--tune', 'random', '--patience', '1.5'], '--patience must be a whole number, got "1.5"', 'patience'],
    [
      ['--tune', 'random', '--epoch-patience', 'x'],
      '--epoch-patience must be a whole number, got "x"',
      'epochPatience',
    ],
    [['--tune', 'random', '--tune-cv', 'x'], '--tune-cv must be a whole number, got "x"', 'tuneFolds'],
  ] as const)('%j: %s (%s)', (flags, message, field) => {
    expect(() => specOf([...required, ...flags])).toThrow(new RunSpecError(field, message));
  });

  it('names the config file in its errors', () => {
    const argv = [...required, '--config', 'knn.json'];
    expect(() => specOf(argv, { configText: '[100]' })).toThrow(
      'config file knn.json must be a JSON object such as {"epochs": 5}',
    );
    expect(() => specOf(argv, { configText: '{neighbours: 100}' })).toThrow(/^config file knn\.json: /);
  });
});

describe('presets', () => {
  const withData = ['--data', 'Beauty.txt', '--format', 'sequences'];

  it('runs sasrec and itemknn with their validated settings when the run sets nothing itself', () => {
    const args = parsed([...withData, '--model', 'sasrec,itemknn,popularity']);
    expect(args.presets).toStrictEqual({ sasrec: 'sasrec-beauty', itemknn: 'itemknn-beauty' });
    const spec = toRunSpec(evalRunFields(args, {}, 'key'), flagLabels(undefined));
    expect(spec.models.map((model) => model.name)).toEqual(['sasrec', 'itemknn', 'popularity']);
    // the lab settings (earlyStoppingPatience) leave the model config, as with a config file
    expect(spec.models[0].config).toMatchObject({ loss: 'softmax', hidden: 64, dropout: 0.5, epochs: 12 });
    expect(spec.models[1].config).toStrictEqual({
      neighbours: 50,
      shrink: 100,
      proximityDecay: 0.7,
      historyDecay: 0.5,
    });
    expect(spec.models[2].config).toBeUndefined(); // popularity has no preset: the registry's defaults
  });

  it('names a paper preset with --preset, and a config file overrides its settings', () => {
    const paper = parsed([...withData, '--model', 'sasrec', '--preset', 'sasrec-paper']);
    expect(paper.presets).toStrictEqual({ sasrec: 'sasrec-paper' });
    expect(
      specOf([...withData, '--model', 'gru', '--preset', 'gru4rec-paper']).models[0].config,
    ).toMatchObject({
      hidden: 64,
      loss: 'bce',
    });
    const overridden = specOf(
      [...withData, '--model', 'sasrec', '--preset', 'sasrec-paper', '--config', 'c.json'],
      {
        configText: '{"hidden": 32}',
      },
    );
    expect(overridden.models[0].config).toMatchObject({ hidden: 32, dropout: 0.2, loss: 'bce' });
  });

  it('leaves a config file or a tuning run on the registry defaults', () => {
    expect(parsed([...withData, '--model', 'sasrec', '--config', 'c.json']).presets).toStrictEqual({});
    expect(parsed([...withData, '--model', 'itemknn', '--tune', 'grid']).presets).toStrictEqual({});
    expect(choosePresets(['mf', 'gru'], undefined, false)).toStrictEqual({});
  });

  it('refuses an unknown preset, or one for a model the run does not have', () => {
    expect(usageError([...withData, '--model', 'sasrec', '--preset', 'sasrec-papr'])).toThrow(
      'unknown preset "sasrec-papr" (presets: sasrec-paper, gru4rec-paper, sasrec-beauty, itemknn-beauty, itemknn-plain)',
    );
    expect(usageError([...withData, '--model', 'sasrec', '--preset', 'gru4rec-paper'])).toThrow(
      '--preset gru4rec-paper is for gru, which --model does not run',
    );
    expect(usageError([...withData, '--model', 'sasrec', '--preset'])).toThrow(UsageError);
  });

  it('passes on a config file that is not a JSON object for the form to name', () => {
    expect(presetConfigText('itemknn-beauty', '[1]')).toBe('[1]');
    expect(presetConfigText('itemknn-beauty', '{oops')).toBe('{oops');
    expect(presetConfigText(undefined, '{"shrink": 5}')).toBe('{"shrink": 5}');
    expect(JSON.parse(presetConfigText('itemknn-beauty', '{"shrink": 5}')!)).toMatchObject({
      shrink: 5,
      neighbours: 50,
    });
  });
});

describe('checkInputFileSize', () => {
  it('refuses a file above the limit, naming it and both sizes, before the browser starts', () => {
    // 300 MB: the file that took the renderer to 2.9 GB and never finished
    expect(() => checkInputFileSize('data file', 'big.txt', 300_000_000)).toThrow(
      new UsageError(
        'data file big.txt is 286.1 MiB; the runner reads files up to 100.0 MiB: use a sample or a subset of it',
      ),
    );
  });

  it('accepts a file of exactly the limit and anything smaller', () => {
    expect(maxInputFileBytes).toBe(104_857_600);
    expect(() => checkInputFileSize('data file', 'ok.txt', maxInputFileBytes)).not.toThrow();
    expect(() => checkInputFileSize('negatives file', 'n.txt', maxInputFileBytes + 1)).toThrow(
      'negatives file n.txt is 100.0 MiB',
    );
  });
});

// `npm run eval` command line: argv into the same import and run entries the lab page's forms
// hold (src/ui/lab/importSpecForm.ts, runSpecForm.ts), so both build their specs one way.
// Pure: files are named here, read by the run.
import type { BackendPreference } from '../../src/data/records';
import { isPresetName, modelPreset, presetNames, validatedPresets } from '../../src/ml/presets';
import type { ModelName } from '../../src/ml/registry';
import type { LabDatasetFormat, LabFileSource } from '../../src/worker/lab/protocol';
import type { ImportFormFields } from '../../src/ui/lab/importSpecForm';
import {
  formLabels,
  runFormDefaults,
  type ProtocolFields,
  type RunFormFields,
  type RunFormLabels,
  type SplitFields,
  type TuningFields,
} from '../../src/ui/lab/runSpecForm';

export const evalFormats: readonly LabDatasetFormat[] = ['sequences', 'pairs', 'inter', 'csv', 'sessions'];
export const evalBackends: readonly BackendPreference[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

export const usage = `Usage: npm run eval -- --data FILE --format sequences|pairs|inter|csv|sessions --model NAME[,NAME]
  [--config FILE]                 JSON object of config overrides for the model
  [--preset NAME]                 named settings (${presetNames.join(', ')}); a config file overrides
                                  them. Without --config, --preset or --tune, sasrec and itemknn run
                                  with the settings validated on the shared datasets (docs/lab.md)
  [--protocol full|sampled:N[:popularity]]   default: fixed when --negatives is given, else full
  [--negatives FILE]              fixed negatives (userId neg1 … negN), e.g. LastFM_sample.txt
  [--attributes FILE]             item attributes (JSON item → ids, or lines itemId attr …), e.g.
                                  LastFM_item2attributes.json; used by ease's attributeWeight
  [--split loo|temporal:F|random:F|kfold:K]  default loo (leave-one-out)
  [--max-history N]               leave-one-out model input length (default 50)
  [--k 10,20]                     cut-offs (default 5,10,20)
  [--seed N]                      default 0
  [--backend webgpu|webgl|wasm|cpu|auto]     default auto
  [--tune grid|random] [--trials N] [--patience N]   patience: trials without a better validation NDCG@10
  [--epoch-patience N]            with --tune: stop a learned model's trial after N epochs without improvement
  [--tune-cv K]                   with --tune: score trials by K-fold cross-validation on the training part
  [--bootstrap N]                 bootstrap resamples for the 95% intervals (default 1000)
  [--json OUT] [--csv OUT] [--topk-out FILE]
  [--export-recbole DIR]          also write the dataset and the run's split as RecBole atomic files
                                  (NAME.inter, NAME.train.inter, NAME.valid.inter, NAME.test.inter)
  [--model-cache DIR]             keep a hybrid's trained components in DIR (one file each, keyed by
                                  dataset, split, seed and config) and load them on the next run, so
                                  its blend is refitted without retraining them
  [--final-fit train+validation]  after the standard run (every choice made on validation as
                                  usual), retrain the chosen config on each user's sequence minus
                                  only the test item, the chosen epochs and no early stopping, and
                                  score the test fold again: both printed and in the JSON (default off)
  [--score-topk FILE]             score another system's top-k file (user<TAB>targets<TAB>items, as
                                  --topk-out writes) beside the one --model, with a paired test
  CSV: --csv-user COL --csv-item COL [--csv-time COL] [--csv-rating COL] [--min-rating X] [--delimiter D] [--no-header]
  .inter: [--min-rating X]`;

export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The largest file the runner reads: the page holds a dataset as JavaScript strings and arrays
 * while it parses, several times the file's size (a 300 MB file took the renderer past 2.9 GB and
 * never finished). Refusing early says so instead of hanging; docs/lab.md states the limit.
 */
export const maxInputFileBytes = 100 * 1024 * 1024;

const mebibytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

/** Refuses a data, negatives or attributes file above maxInputFileBytes, naming it and both sizes. */
export function checkInputFileSize(
  what: string,
  path: string,
  bytes: number,
  limit = maxInputFileBytes,
): void {
  if (bytes > limit) {
    throw new UsageError(
      `${what} ${path} is ${mebibytes(bytes)}; the runner reads files up to ${mebibytes(limit)}: use a sample or a subset of it`,
    );
  }
}

/** A run from the command line: what to read, how to import it, what to run, where to write. */
export interface EvalArgs {
  kind: 'run';
  files: {
    data: string;
    /** JSON config overrides given to every model */
    config?: string;
    negatives?: string;
    attributes?: string;
    /** another system's top-k file, scored against the run's own top lists */
    scoreTopk?: string;
  };
  dataImport: ImportFormFields;
  models: string[];
  /** model name -> the preset its config starts from (--preset, or the model's validated one) */
  presets: Record<string, string>;
  split: SplitFields;
  /** the fixed protocol's file comes from files.negatives */
  protocol: Omit<ProtocolFields, 'negativesFile'>;
  ks: string;
  seed?: string;
  backend: BackendPreference;
  bootstrap?: string;
  tuning?: TuningFields;
  outputs: {
    json?: string;
    csv?: string;
    /** one top-100 line per evaluated user */
    topLists?: string;
    /** a folder for the dataset and split as RecBole atomic files */
    recboleDir?: string;
  };
  /** a folder where a hybrid's trained components are kept between runs */
  modelCacheDir?: string;
  /** also retrain the chosen configuration on train + validation and score it (LabRunSpec.finalFit) */
  finalFit?: 'train+validation';
}

export type ParsedEvalArgs = { kind: 'help' } | EvalArgs;

const switches = new Set(['no-header', 'help']);
const valued = new Set([
  'data',
  'format',
  'model',
  'config',
  'preset',
  'protocol',
  'negatives',
  'attributes',
  'split',
  'max-history',
  'k',
  'seed',
  'backend',
  'tune',
  'trials',
  'patience',
  'epoch-patience',
  'tune-cv',
  'bootstrap',
  'json',
  'csv',
  'topk-out',
  'export-recbole',
  'model-cache',
  'final-fit',
  'score-topk',
  'csv-user',
  'csv-item',
  'csv-time',
  'csv-rating',
  'min-rating',
  'delimiter',
]);
const needTune = ['trials', 'patience', 'epoch-patience', 'tune-cv'];

/** --name value pairs and bare switches; refuses positional arguments, unknown flags and missing values. */
function readFlags(argv: readonly string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const name = arg.slice(2);
    if (switches.has(name)) {
      flags.set(name, true);
      continue;
    }
    if (!valued.has(name)) throw new UsageError(`unknown option --${name}`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    flags.set(name, value);
    i++;
  }
  return flags;
}

function oneOf<T extends string>(text: string, known: readonly T[], what: string): T {
  if (!known.includes(text as T)) throw new UsageError(`unknown ${what} "${text}" (${known.join(', ')})`);
  return text as T;
}

/** loo | temporal:F | random:F | kfold:K; blank numbers are the form's defaults. */
export function parseSplit(text: string, maxHistory: string | undefined): SplitFields {
  const [kind, value] = text.split(':');
  if (kind === 'loo' || kind === 'leave-one-out') return { kind: 'leave-one-out', maxHistory };
  if (kind === 'temporal' || kind === 'random') return { kind, testFraction: value };
  if (kind === 'kfold' || kind === 'k-fold') return { kind: 'k-fold', folds: value };
  throw new UsageError(`unknown split "${text}" (loo, temporal:F, random:F, kfold:K)`);
}

/** full | sampled[:N[:uniform|popularity]] | fixed; without --protocol, fixed when a negatives file is given. */
export function parseProtocol(
  text: string | undefined,
  hasNegativesFile: boolean,
): Omit<ProtocolFields, 'negativesFile'> {
  if (text === undefined) return { kind: hasNegativesFile ? 'fixed' : 'full' };
  const [kind, negatives, sampling = 'uniform'] = text.split(':');
  if (text === 'full') return { kind: 'full' };
  if (kind === 'sampled') {
    if (sampling !== 'uniform' && sampling !== 'popularity') {
      throw new UsageError('sampling must be uniform or popularity');
    }
    return { kind: 'sampled', negatives, sampling };
  }
  if (kind === 'fixed') return { kind: 'fixed' };
  throw new UsageError(`unknown protocol "${text}" (full, sampled:N, fixed)`);
}

export function parseEvalArgs(argv: readonly string[]): ParsedEvalArgs {
  const flags = readFlags(argv);
  if (flags.has('help')) return { kind: 'help' };
  const value = (name: string): string | undefined => {
    const given = flags.get(name);
    return typeof given === 'string' ? given : undefined;
  };
  for (const required of ['data', 'format', 'model']) {
    if (!flags.has(required)) throw new UsageError(`--${required} is required`);
  }
  const format = oneOf(value('format')!, evalFormats, 'format');
  if (format === 'csv' && !(flags.has('csv-user') && flags.has('csv-item'))) {
    throw new UsageError('--format csv needs --csv-user and --csv-item');
  }
  const backend = oneOf(value('backend') ?? 'auto', evalBackends, 'backend');
  const models = value('model')!.split(',').filter(Boolean);
  if (models.length === 0) throw new UsageError('--model needs at least one model name');
  for (const name of needTune) {
    if (flags.has(name) && !flags.has('tune')) throw new UsageError(`--${name} needs --tune grid|random`);
  }
  for (const name of ['topk-out', 'score-topk']) {
    if (flags.has(name) && models.length > 1) throw new UsageError(`--${name} takes one model at a time`);
  }
  const strategy = flags.has('tune')
    ? oneOf(value('tune')!, ['grid', 'random'] as const, 'search')
    : undefined;
  const crossValidation = value('tune-cv');
  const presets = choosePresets(models, value('preset'), flags.has('config') || strategy !== undefined);
  return {
    kind: 'run',
    files: {
      data: value('data')!,
      config: value('config'),
      negatives: value('negatives'),
      attributes: value('attributes'),
      scoreTopk: value('score-topk'),
    },
    dataImport: {
      format,
      csv: {
        user: value('csv-user') ?? '',
        item: value('csv-item') ?? '',
        time: value('csv-time') ?? '',
        rating: value('csv-rating') ?? '',
        minRating: value('min-rating') ?? '',
        delimiter: value('delimiter') ?? '',
        hasHeader: !flags.has('no-header'),
      },
      interMinRating: value('min-rating') ?? '',
    },
    models,
    presets,
    split: parseSplit(value('split') ?? 'loo', value('max-history')),
    protocol: parseProtocol(value('protocol'), flags.has('negatives')),
    ks: value('k') ?? runFormDefaults.ks,
    seed: value('seed'),
    backend,
    bootstrap: value('bootstrap'),
    tuning: strategy && {
      strategy,
      trials: value('trials'),
      patience: value('patience'),
      epochPatience: value('epoch-patience'),
      scoring: crossValidation === undefined ? undefined : 'cross-validation',
      folds: crossValidation,
    },
    outputs: {
      json: value('json'),
      csv: value('csv'),
      topLists: value('topk-out'),
      recboleDir: value('export-recbole'),
    },
    modelCacheDir: value('model-cache'),
    ...(flags.has('final-fit')
      ? { finalFit: oneOf(value('final-fit')!, ['train+validation'] as const, 'final fit') }
      : {}),
  };
}

/**
 * Which model starts from which preset: the one named by --preset (its model must be run), or,
 * when the run sets nothing itself (no config file, no tuning), each model's validated preset.
 */
export function choosePresets(
  models: readonly string[],
  named: string | undefined,
  configuredElsewhere: boolean,
): Record<string, string> {
  if (named !== undefined) {
    if (!isPresetName(named))
      throw new UsageError(`unknown preset "${named}" (presets: ${presetNames.join(', ')})`);
    const { model } = modelPreset(named);
    if (!models.includes(model))
      throw new UsageError(`--preset ${named} is for ${model}, which --model does not run`);
    return { [model]: named };
  }
  if (configuredElsewhere) return {};
  const chosen: Record<string, string> = {};
  for (const model of models) {
    const preset = validatedPresets[model as ModelName];
    if (preset) chosen[model] = preset;
  }
  return chosen;
}

/**
 * A model's config text: its preset's settings overlaid with the config file's (a file that is not
 * a JSON object is passed on as it is, for the run form to name what is wrong with it).
 */
export function presetConfigText(
  preset: string | undefined,
  configText: string | undefined,
): string | undefined {
  if (preset === undefined) return configText;
  const base = modelPreset(preset).config;
  if (configText === undefined || configText.trim() === '') return JSON.stringify(base);
  let overrides: unknown;
  try {
    overrides = JSON.parse(configText);
  } catch {
    return configText;
  }
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) return configText;
  return JSON.stringify({ ...base, ...overrides });
}

/** Errors name the flag the entry came from. */
export function flagLabels(configFile: string | undefined): RunFormLabels {
  return {
    ...formLabels,
    maxHistory: '--max-history',
    testFraction: 'the test fraction',
    folds: 'the number of folds',
    negatives: 'the number of negatives',
    negativesFile: '--negatives FILE',
    ks: '--k',
    seed: '--seed',
    bootstrapResamples: '--bootstrap',
    trials: '--trials',
    patience: '--patience',
    epochPatience: '--epoch-patience',
    tuneFolds: '--tune-cv',
    config: () => `config file ${configFile}`,
  };
}

/** The side files as the page's origin serves them, and the config file's text. */
export interface EvalSideFiles {
  configText?: string;
  negatives?: LabFileSource;
  attributes?: LabFileSource;
}

/** The run entries of the command line, with the dataset key filled in once the data is imported. */
export function evalRunFields(args: EvalArgs, sideFiles: EvalSideFiles, dataset = ''): RunFormFields {
  return {
    dataset,
    models: args.models,
    configs: Object.fromEntries(
      args.models.map((name) => [name, presetConfigText(args.presets[name], sideFiles.configText)]),
    ),
    split: args.split,
    protocol: { ...args.protocol, negativesFile: sideFiles.negatives },
    ks: args.ks,
    seed: args.seed,
    backend: args.backend,
    // scoring another system's file needs our own lists: they carry the split's users and targets
    keepTopLists: args.outputs.topLists !== undefined || args.files.scoreTopk !== undefined,
    bootstrapResamples: args.bootstrap,
    itemAttributes: sideFiles.attributes,
    tuning: args.tuning,
  };
}

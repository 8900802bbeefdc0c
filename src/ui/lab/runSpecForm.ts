// From what a person chose (the lab page's form, or `npm run eval`'s flags) to the LabRunSpec the
// lab worker runs. One pure function for both, so the page and the command line cannot drift apart:
// it reads the entries as typed, applies the defaults and names a bad entry by its label (a form
// label on the page, a flag on the command line). Range checks (a fraction in (0, 1), at least two
// folds…) stay in the worker, which refuses any spec, however it was built.
import type { BackendPreference } from '../../data/records';
import type {
  LabFileSource,
  LabProtocolSpec,
  LabRunSpec,
  LabSplitSpec,
  LabTuningSpec,
} from '../../worker/lab/protocol';
import { defaultMaxHistory } from '../../worker/lab/describe';

/** A number as entered: a flag's text, or a number input's value (undefined or null when empty). */
export type NumberEntry = number | string | null | undefined;

export interface SplitFields {
  kind: LabSplitSpec['kind'];
  /** leave-one-out */
  maxHistory?: NumberEntry;
  /** temporal, random */
  testFraction?: NumberEntry;
  /** k-fold */
  folds?: NumberEntry;
}

export interface ProtocolFields {
  kind: LabProtocolSpec['kind'];
  /** sampled: how many negatives per user */
  negatives?: NumberEntry;
  sampling?: 'uniform' | 'popularity';
  /** fixed: the negatives file */
  negativesFile?: LabFileSource;
}

export interface TuningFields {
  strategy: LabTuningSpec['strategy'];
  /** random search only */
  trials?: NumberEntry;
  /** trials without a better validation NDCG@10 before the search stops */
  patience?: NumberEntry;
  /** epochs without improvement before a learned model's trial stops; empty or 0: none */
  epochPatience?: NumberEntry;
  scoring?: LabTuningSpec['scoring'];
  /** cross-validation only */
  folds?: NumberEntry;
}

export interface RunFormFields {
  dataset: string;
  models: readonly string[];
  /** JSON text of a model's config overrides; blank or missing: the registry's defaults */
  configs: Readonly<Record<string, string | undefined>>;
  split: SplitFields;
  protocol: ProtocolFields;
  /** cut-offs separated by commas or spaces, e.g. "5,10,20" */
  ks: string;
  /** blank: 0 */
  seed: NumberEntry;
  backend: BackendPreference;
  /** also return each evaluated user's top list (topListLength items) */
  keepTopLists: boolean;
  bootstrapResamples?: NumberEntry;
  itemAttributes?: LabFileSource;
  /** absent: no tuning */
  tuning?: TuningFields;
}

/** The entries an error can point at. */
export type RunFormField =
  | 'maxHistory'
  | 'testFraction'
  | 'folds'
  | 'negatives'
  | 'negativesFile'
  | 'ks'
  | 'seed'
  | 'bootstrapResamples'
  | 'trials'
  | 'patience'
  | 'epochPatience'
  | 'tuneFolds';

/** How errors name each entry: the page uses its form labels, the command line its flags. */
export type RunFormLabels = Record<RunFormField, string> & { config(model: string): string };

export const formLabels: RunFormLabels = {
  maxHistory: 'max history',
  testFraction: 'test fraction',
  folds: 'folds',
  negatives: 'negatives',
  negativesFile: 'a negatives file (e.g. LastFM_sample.txt)',
  ks: 'K',
  seed: 'seed',
  bootstrapResamples: 'bootstrap resamples',
  trials: 'trials',
  patience: 'trial patience',
  epochPatience: 'epoch patience',
  tuneFolds: 'cross-validation folds',
  config: (model) => `the ${model} config`,
};

/** Defaults of a blank entry; the page's form starts from the same values. */
export const runFormDefaults = {
  testFraction: 0.2,
  folds: 5,
  sampledNegatives: 99,
  ks: '5,10,20',
  seed: 0,
} as const;

/** Length of the kept top lists (the published comparisons' top-100). */
export const topListLength = 100;

/** A form entry the spec cannot be built from; `field` says which. */
export class RunSpecError extends Error {
  constructor(
    readonly field: RunFormField | 'config',
    message: string,
  ) {
    super(message);
    this.name = 'RunSpecError';
  }
}

const isBlank = (entry: NumberEntry): entry is null | undefined | '' =>
  entry === undefined || entry === null || (typeof entry === 'string' && entry.trim() === '');

function numberOrDefault(
  entry: NumberEntry,
  fallback: number | undefined,
  field: RunFormField,
  labels: RunFormLabels,
  whole: boolean,
): number | undefined {
  if (isBlank(entry)) return fallback;
  const value = Number(entry);
  if (!Number.isFinite(value) || (whole && !Number.isInteger(value))) {
    throw new RunSpecError(
      field,
      `${labels[field]} must be a ${whole ? 'whole ' : ''}number, got "${entry}"`,
    );
  }
  return value;
}

const wholeNumber = (entry: NumberEntry, fallback: number, field: RunFormField, labels: RunFormLabels) =>
  numberOrDefault(entry, fallback, field, labels, true)!;

const optionalWholeNumber = (entry: NumberEntry, field: RunFormField, labels: RunFormLabels) =>
  numberOrDefault(entry, undefined, field, labels, true);

function splitSpec(split: SplitFields, labels: RunFormLabels): LabSplitSpec {
  switch (split.kind) {
    case 'leave-one-out':
      return {
        kind: split.kind,
        maxHistory: wholeNumber(split.maxHistory, defaultMaxHistory, 'maxHistory', labels),
      };
    case 'k-fold':
      return { kind: split.kind, folds: wholeNumber(split.folds, runFormDefaults.folds, 'folds', labels) };
    case 'temporal':
    case 'random':
      return {
        kind: split.kind,
        testFraction: numberOrDefault(
          split.testFraction,
          runFormDefaults.testFraction,
          'testFraction',
          labels,
          false,
        )!,
      };
  }
}

function protocolSpec(protocol: ProtocolFields, labels: RunFormLabels): LabProtocolSpec {
  switch (protocol.kind) {
    case 'full':
      return { kind: 'full' };
    case 'sampled':
      return {
        kind: 'sampled',
        negatives: wholeNumber(protocol.negatives, runFormDefaults.sampledNegatives, 'negatives', labels),
        sampling: protocol.sampling ?? 'uniform',
      };
    case 'fixed':
      if (!protocol.negativesFile) {
        throw new RunSpecError('negativesFile', `the fixed protocol needs ${labels.negativesFile}`);
      }
      return { kind: 'fixed', negatives: protocol.negativesFile };
  }
}

/** "5, 10 20" -> [5, 10, 20]; the worker checks that each is at least 1. */
export function parseKs(text: string, labels: RunFormLabels = formLabels): number[] {
  const ks = text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((k) => wholeNumber(k, 0, 'ks', labels));
  if (ks.length === 0) throw new RunSpecError('ks', `${labels.ks} needs at least one cut-off, e.g. 10`);
  return ks;
}

/** A model's JSON overrides; blank text means none. */
export function parseConfig(
  model: string,
  text: string | undefined,
  labels: RunFormLabels = formLabels,
): Record<string, unknown> | undefined {
  if (!text?.trim()) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RunSpecError('config', `${labels.config(model)}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RunSpecError('config', `${labels.config(model)} must be a JSON object such as {"epochs": 5}`);
  }
  return parsed as Record<string, unknown>;
}

function tuningSpec(tuning: TuningFields, labels: RunFormLabels): LabTuningSpec {
  const crossValidated = tuning.scoring === 'cross-validation';
  // 0 patience would stop every trial after its first epoch: the page's empty box and 0 both mean "none"
  const epochPatience = optionalWholeNumber(tuning.epochPatience, 'epochPatience', labels);
  return {
    strategy: tuning.strategy,
    trials: tuning.strategy === 'random' ? optionalWholeNumber(tuning.trials, 'trials', labels) : undefined,
    patience: optionalWholeNumber(tuning.patience, 'patience', labels),
    earlyStoppingPatience: epochPatience ? epochPatience : undefined,
    scoring: tuning.scoring,
    folds: crossValidated ? optionalWholeNumber(tuning.folds, 'tuneFolds', labels) : undefined,
  };
}

/**
 * The run the fields describe, or a RunSpecError naming the first bad entry (by `labels`).
 * Every chosen model gets its own config overrides and the same tuning.
 */
export function toRunSpec(fields: RunFormFields, labels: RunFormLabels = formLabels): LabRunSpec {
  const tuning = fields.tuning ? tuningSpec(fields.tuning, labels) : undefined;
  return {
    dataset: fields.dataset,
    models: fields.models.map((name) => ({
      name,
      config: parseConfig(name, fields.configs[name], labels),
      tuning: tuning && { ...tuning },
    })),
    split: splitSpec(fields.split, labels),
    protocol: protocolSpec(fields.protocol, labels),
    ks: parseKs(fields.ks, labels),
    seed: wholeNumber(fields.seed, runFormDefaults.seed, 'seed', labels),
    backend: fields.backend,
    topK: fields.keepTopLists ? topListLength : undefined,
    bootstrapResamples: optionalWholeNumber(fields.bootstrapResamples, 'bootstrapResamples', labels),
    itemAttributes: fields.itemAttributes,
  };
}

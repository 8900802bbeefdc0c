// The lab page's two forms as state: what the inputs are bound to, and the specs they describe.
// The conversions themselves are the pure functions `npm run eval` shares (importSpecForm.ts,
// runSpecForm.ts); these classes only hold the entries and read the chosen files.
import type { BackendPreference } from '../../data/records';
import { importSizeLimits, readTextWithin, refuseOversized } from '../../ml/io/sizeLimits';
import type {
  LabDatasetFormat,
  LabFileSource,
  LabImportSpec,
  LabModelFiles,
  LabProtocolSpec,
  LabRunSpec,
  LabSplitSpec,
  LabTuningSpec,
} from '../../worker/lab/protocol';
import { defaultMaxHistory, labModelNames } from '../../worker/lab/describe';
import { blankCsvMapping, toImportSpec, type CsvMappingFields } from './importSpecForm';
import { runFormDefaults, toRunSpec, type RunFormFields } from './runSpecForm';

export class LabImportForm {
  format = $state<LabDatasetFormat>('sequences');
  files = $state<FileList | null>(null);
  csv = $state<CsvMappingFields>({ ...blankCsvMapping, user: 'user_id', item: 'item_id', delimiter: ',' });
  interMinRating = $state('');

  /** How to parse the file named `name`; throws ImportSpecError for a missing or bad entry. */
  toImportSpec(name: string): LabImportSpec {
    return toImportSpec({ format: this.format, csv: this.csv, interMinRating: this.interMinRating }, name);
  }
}

/** A chosen file's text as a run's side file; one over the size limit is refused unread. */
async function fileSource(files: FileList | null, what: string): Promise<LabFileSource | undefined> {
  const file = files?.[0];
  if (!file) return undefined;
  return { kind: 'text', name: file.name, text: await readTextWithin(file, importSizeLimits.sideFile, what) };
}

/** The picked model files as bytes, each refused unread when over the limit. */
async function modelFiles(files: FileList | null): Promise<LabModelFiles | undefined> {
  if (!files?.length) return undefined;
  const picked = [...files];
  for (const file of picked) refuseOversized(file, importSizeLimits.modelFile, 'model file');
  return {
    files: await Promise.all(
      picked.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })),
    ),
  };
}

export class LabRunForm {
  /** key of the imported dataset to run on */
  dataset = $state('');
  models = $state<Record<string, boolean>>({ popularity: true });
  /** JSON overrides per model, as typed */
  configText = $state<Record<string, string>>({});
  splitKind = $state<LabSplitSpec['kind']>('leave-one-out');
  maxHistory = $state<number | undefined>(defaultMaxHistory);
  testFraction = $state<number | undefined>(runFormDefaults.testFraction);
  folds = $state<number | undefined>(runFormDefaults.folds);
  protocolKind = $state<LabProtocolSpec['kind']>('full');
  sampledNegatives = $state<number | undefined>(runFormDefaults.sampledNegatives);
  sampling = $state<'uniform' | 'popularity'>('uniform');
  negativesFiles = $state<FileList | null>(null);
  attributesFiles = $state<FileList | null>(null);
  /** the community model's file(s), for "imported" */
  modelFiles = $state<FileList | null>(null);
  ksText = $state<string>(runFormDefaults.ks);
  seed = $state<number | undefined>(runFormDefaults.seed);
  backend = $state<BackendPreference>('auto');
  tune = $state(false);
  tuneStrategy = $state<LabTuningSpec['strategy']>('random');
  tuneTrials = $state<number | undefined>(8);
  tunePatience = $state<number | undefined>(3);
  /** epochs without improvement before a trial of a learned model stops; empty or 0: none */
  tuneEpochPatience = $state<number | null | undefined>(2);
  tuneScoring = $state<NonNullable<LabTuningSpec['scoring']>>('validation');
  tuneFolds = $state<number | undefined>(3);
  keepTopLists = $state(false);

  /** the ticked models, in the page's order */
  readonly chosenModels = $derived(labModelNames.filter((name) => this.models[name]));

  /** The entries with the chosen side files already read. */
  fields(sideFiles: { negatives?: LabFileSource; attributes?: LabFileSource } = {}): RunFormFields {
    return {
      dataset: this.dataset,
      models: this.chosenModels,
      configs: this.configText,
      split: {
        kind: this.splitKind,
        maxHistory: this.maxHistory,
        testFraction: this.testFraction,
        folds: this.folds,
      },
      protocol: {
        kind: this.protocolKind,
        negatives: this.sampledNegatives,
        sampling: this.sampling,
        negativesFile: sideFiles.negatives,
      },
      ks: this.ksText,
      seed: this.seed,
      backend: this.backend,
      keepTopLists: this.keepTopLists,
      itemAttributes: sideFiles.attributes,
      tuning: this.tune
        ? {
            strategy: this.tuneStrategy,
            trials: this.tuneTrials,
            patience: this.tunePatience,
            epochPatience: this.tuneEpochPatience,
            scoring: this.tuneScoring,
            folds: this.tuneFolds,
          }
        : undefined,
    };
  }

  /** The run the form describes; throws RunSpecError naming the first bad entry. */
  async toRunSpec(): Promise<LabRunSpec> {
    // the negatives file is read only for the protocol that uses it
    const negatives =
      this.protocolKind === 'fixed' ? await fileSource(this.negativesFiles, 'negatives file') : undefined;
    const attributes = await fileSource(this.attributesFiles, 'attributes file');
    const spec = toRunSpec(this.fields({ negatives, attributes }));
    // read only when "imported" runs; the worker reads what they hold
    const importedModel = this.models.imported ? await modelFiles(this.modelFiles) : undefined;
    return importedModel ? { ...spec, importedModel } : spec;
  }
}

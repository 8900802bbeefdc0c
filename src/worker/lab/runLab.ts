// One lab run from start to finish: split the dataset, optionally tune each model on the
// validation fold, train, evaluate on the test fold under the chosen protocol, and collect what
// the page and the runner report. Pure apart from the models' own tfjs use: no worker, no
// database, so the whole pipeline is tested in Node with the real baselines.
import {
  alignItemAttributes,
  alignNegatives,
  type ImportedDataset,
  type ItemAttributesFile,
  type NegativesFile,
} from '../../ml/io';
import type { BackendReport } from '../backend/types';
import { alignItemFactors, type AlignedItemFactors } from '../../ml/io/models/itemFactors';
import type { ReadModel } from '../../ml/io/models/readModel';
import type { RankingProtocol } from '../../ml/eval';
import type { ModelCacheStore } from '../../ml/modelCache';
import type { Recommender } from '../../ml/recommender';
import { createRecommender, isComposite, type ModelConfig } from '../../ml/registry';
import type {
  LabDatasetInfo,
  LabImportedModelSummary,
  LabModelResult,
  LabProgress,
  LabRunResult,
  LabRunSpec,
} from './protocol';
import { describeSplit } from './describe';
import { buildSplits, checkNegativesCover, checkSomeoneEvaluated } from './labSplits';
import { ModelRun } from './modelRun';
import { crossValidates, splitLabSettings, validateRunSpec } from './runSpec';

export interface LabRunContext {
  dataset: ImportedDataset;
  info: LabDatasetInfo;
  /** the parsed negatives file, for the fixed protocol */
  negatives?: NegativesFile;
  /** the parsed item attributes file, when the run names one */
  itemAttributes?: ItemAttributesFile;
  /** the read community model, when the run has one (for "imported") */
  importedModel?: ReadModel;
  backend: BackendReport;
  signal?: AbortSignal;
  onProgress?: (progress: LabProgress) => void;
  /** a clock in milliseconds (performance.now by default) */
  now?: () => number;
  /** where a hybrid keeps its trained components between runs (the evaluation runner's folder) */
  modelCache?: ModelCacheStore;
  /** how models are made (the registry's by default; tests pass fakes) */
  createModel?: (name: string, config: ModelConfig) => Recommender;
}

/**
 * Whether the split holds out a validation fold: for tuning on it, early stopping or a blend's
 * fit. Cross-validated tuning deals folds from the training part and needs none.
 */
export function needsValidationFold(spec: Pick<LabRunSpec, 'models'>): boolean {
  return spec.models.some(
    (model) =>
      (model.tuning && !crossValidates(model.tuning)) ||
      splitLabSettings(model).patience !== undefined ||
      isComposite(model.name),
  );
}

export async function runLab(spec: LabRunSpec, context: LabRunContext): Promise<LabRunResult> {
  validateRunSpec(spec);
  const now = context.now ?? (() => performance.now());
  const startedAt = Date.now();
  const started = now();
  const report = (progress: LabProgress) => context.onProgress?.(progress);
  const { dataset, signal } = context;
  const itemAttributes = context.itemAttributes
    ? alignItemAttributes(context.itemAttributes, dataset)
    : undefined;
  const imported = context.importedModel && alignItemFactors(context.importedModel.factors, dataset.itemIds);
  if (spec.models.some((model) => model.name === 'imported') && !imported) {
    throw new RangeError(
      '"imported" needs a model file: pick its file(s) (Spark ALS, implicit .npz, safetensors)',
    );
  }
  if (imported && imported.matched === 0) {
    throw new RangeError(
      `none of the model's ${context.importedModel!.factors.ids.length} item ids is an item of this dataset; is it the dataset it was trained on?`,
    );
  }
  const importedItemVectors = imported && { vectors: imported.vectors, rank: imported.rank };
  const makeModel =
    context.createModel ??
    ((name: string, config: ModelConfig) =>
      createRecommender(name, config, { itemAttributes, importedItemVectors }));

  report({ stage: 'split', message: `Splitting: ${describeSplit(spec.split)}`, fraction: 0 });
  const needsValidation = needsValidationFold(spec);
  if (spec.finalFit && !needsValidation && spec.split.kind !== 'leave-one-out') {
    // refused before any training: the standard fit already trains on everything before the test part
    throw new RangeError(
      `a final fit on train + validation needs a validation fold, and a ${spec.split.kind} split holds one out only for a tuned, early-stopped or hybrid model`,
    );
  }
  const splits = buildSplits(dataset, spec.split, spec.seed, needsValidation);
  checkSomeoneEvaluated(splits, spec.split, dataset);

  let protocol: RankingProtocol;
  if (spec.protocol.kind === 'fixed') {
    if (!context.negatives) throw new RangeError('the fixed protocol needs a negatives file');
    const negativesByUser = alignNegatives(context.negatives, dataset);
    for (const split of splits) {
      checkNegativesCover(split.test, negativesByUser, dataset.userIds);
      if (needsValidation && split.validation)
        checkNegativesCover(split.validation, negativesByUser, dataset.userIds);
    }
    protocol = { kind: 'fixed', negativesByUser };
  } else {
    protocol = spec.protocol;
  }

  const models: LabModelResult[] = [];
  let description = '';
  for (let index = 0; index < spec.models.length; index++) {
    const modelSpec = spec.models[index];
    const share = (within: number) => (index + within) / spec.models.length;
    const run = new ModelRun(modelSpec, spec, splits, protocol, dataset, {
      report,
      share,
      now,
      signal,
      makeModel,
      hasItemAttributes: itemAttributes !== undefined,
      modelCache: context.modelCache && {
        store: context.modelCache,
        data: modelCacheData(context.info, spec, {
          attributesHash: context.itemAttributes?.contentHash,
          modelFileHashes: context.importedModel?.files.map((file) => file.sha256),
        }),
      },
    });
    const result = await run.execute();
    description = run.protocolDescription;
    models.push(result);
  }
  report({ stage: 'evaluation', message: 'Done', fraction: 1 });
  return {
    dataset: context.info,
    split: spec.split,
    protocol: description,
    protocolSpec: spec.protocol.kind === 'fixed' ? { kind: 'fixed' } : spec.protocol,
    negativesHash: spec.protocol.kind === 'fixed' ? context.negatives?.contentHash : undefined,
    itemAttributes:
      itemAttributes && context.itemAttributes
        ? {
            hash: context.itemAttributes.contentHash,
            itemsCovered: itemAttributes.itemsCovered,
            attributes: itemAttributes.attributeNames.length,
            itemsUnknown: itemAttributes.itemsUnknown,
          }
        : undefined,
    importedModel: imported && context.importedModel && importedSummary(context.importedModel, imported),
    ks: [...spec.ks].sort((a, b) => a - b),
    seed: spec.seed,
    backend: context.backend,
    models,
    startedAt,
    totalMs: now() - started,
  };
}

/**
 * What a cached model was trained on, apart from its own config: the dataset (its key holds the
 * content hash and any import options), the split and the run's seed (which seeds the split), and
 * the side files a component may train on: the item attributes (mf's useAttributes, ease) and an
 * imported model's files (imported).
 */
export function modelCacheData(
  info: Pick<LabDatasetInfo, 'key'>,
  spec: Pick<LabRunSpec, 'split' | 'seed'>,
  side: { attributesHash?: string; modelFileHashes?: readonly string[] } = {},
): string {
  const parts = [info.key, JSON.stringify(spec.split, Object.keys(spec.split).sort()), `seed ${spec.seed}`];
  if (side.attributesHash) parts.push(`attributes ${side.attributesHash}`);
  if (side.modelFileHashes?.length) parts.push(`model files ${side.modelFileHashes.join(',')}`);
  return parts.join(' | ');
}

function importedSummary(model: ReadModel, aligned: AlignedItemFactors): LabImportedModelSummary {
  const { factors } = model;
  return {
    source: model.source,
    format: factors.format,
    architecture: factors.architecture,
    rank: factors.rank,
    trainedAt: model.trainedAt,
    files: model.files,
    matched: aligned.matched,
    missing: aligned.missing,
    unknown: aligned.unknown,
  };
}

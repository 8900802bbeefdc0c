// What the lab does with a finished run: the JSON and CSV exports (the same JSON the headless
// runner writes), the top-list text file, the rows kept in the evalRuns table, and the paired
// per-user comparison of two stored runs. Pure functions, tested in Node.
import type { EvalRunRecord } from '../../data/records';
import { mean, pairedComparison } from '../../ml/eval';
import type {
  LabInterval,
  LabModelResult,
  LabRunResult,
  LabSplitSpec,
  LabTopList,
} from '../../worker/lab/protocol';
import {
  publishedColumn,
  publishedCounterpart,
  recognisePublished,
  type PublishedScore,
} from './publishedResults';

export interface LabExportModel {
  model: string;
  config: LabModelResult['config'];
  metrics: Record<string, LabInterval>;
  beyondAccuracy: Record<string, number>;
  trainMs: number;
  evalMs: number;
  usersEvaluated: number;
  validationNdcg10?: number;
  /** learned models: epochs the final fit trained (per fold for k-fold) */
  epochsTrained?: number;
  /** learned models: the 1-based epoch whose weights were evaluated (as numbered on the curve) */
  keptEpoch?: number;
  /** learned models: early stopping ended training before the configured epochs */
  stoppedEarly?: boolean;
  /** loss per epoch, and validation NDCG@10 per epoch where it was scored */
  curve: LabModelResult['curve'];
  /** tuning trials in the order they ran, each with its best epoch (learned models) */
  trials?: LabModelResult['trials'];
  /** hybrid: each component's learned blend weight and training time, the bias, what it was fitted on */
  blend?: LabModelResult['blend'];
  /** with --final-fit: the chosen config retrained on train + validation, its test figures (the rest is the standard fit's) */
  finalFit?: LabModelResult['finalFit'];
  /** the published HR@10 / NDCG@10 for this model's counterpart under the same protocol, if any */
  published?: { model: string; source: string } & PublishedScore;
}

export interface LabExport {
  tool: 'aisle-lab';
  dataset: {
    key: string;
    contentHash: string;
    name: string;
    format: string;
    stats: LabRunResult['dataset']['stats'];
  };
  split: LabSplitSpec;
  protocol: string;
  protocolSpec: LabRunResult['protocolSpec'];
  negativesHash?: string;
  itemAttributes?: LabRunResult['itemAttributes'];
  ks: number[];
  seed: number;
  backend: { active: string; reason: string; adapter: LabRunResult['backend']['adapter'] };
  startedAt: string;
  totalMs: number;
  models: LabExportModel[];
}

export function publishedFor(result: LabRunResult, model: string): LabExportModel['published'] {
  const known = recognisePublished({ contentHash: result.dataset.contentHash, ...result.dataset.stats });
  const column = publishedColumn(result.protocolSpec);
  const counterpart = publishedCounterpart[model];
  if (!known || !column || !counterpart || result.split.kind !== 'leave-one-out') return undefined;
  const row = known.rows.find((r) => r.model === counterpart);
  const numbers = row?.[column];
  return numbers ? { model: `${counterpart} (${known.id})`, source: known.source, ...numbers } : undefined;
}

export function toExport(result: LabRunResult): LabExport {
  return {
    tool: 'aisle-lab',
    dataset: {
      key: result.dataset.key,
      contentHash: result.dataset.contentHash,
      name: result.dataset.name,
      format: result.dataset.format,
      stats: result.dataset.stats,
    },
    split: result.split,
    protocol: result.protocol,
    protocolSpec: result.protocolSpec,
    negativesHash: result.negativesHash,
    itemAttributes: result.itemAttributes,
    ks: result.ks,
    seed: result.seed,
    backend: {
      active: result.backend.active,
      reason: result.backend.reason,
      adapter: result.backend.adapter,
    },
    startedAt: new Date(result.startedAt).toISOString(),
    totalMs: result.totalMs,
    models: result.models.map((m) => ({
      model: m.model,
      config: m.config,
      metrics: m.metrics,
      beyondAccuracy: m.beyondAccuracy,
      trainMs: m.trainMs,
      evalMs: m.evalMs,
      usersEvaluated: m.users.length,
      validationNdcg10: m.validationNdcg10,
      epochsTrained: m.epochsTrained,
      keptEpoch: m.keptEpoch,
      stoppedEarly: m.stoppedEarly,
      curve: m.curve,
      trials: m.trials,
      blend: m.blend,
      ...(m.finalFit ? { finalFit: m.finalFit } : {}),
      published: publishedFor(result, m.model),
    })),
  };
}

/** Metric names in reading order: by cut-off, then HR, Recall, NDCG, MAP; MRR last. */
export function metricOrder(ks: readonly number[]): string[] {
  return [...ks.flatMap((k) => ['HR', 'Recall', 'NDCG', 'MAP'].map((name) => `${name}@${k}`)), 'MRR'];
}

const csvField = (value: string | number) => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * One row per model and metric; beyond-accuracy metrics have no interval. A learned model adds
 * rows `epochsTrained` and `keptEpoch` (1-based), with the number in the mean column.
 */
export function toCsv(result: LabRunResult): string {
  const rows: (string | number)[][] = [
    ['model', 'metric', 'mean', 'lower95', 'upper95', 'dataset', 'protocol', 'seed'],
  ];
  for (const model of result.models) {
    const context = [result.dataset.contentHash, result.protocol, result.seed];
    for (const name of metricOrder(result.ks)) {
      const interval = model.metrics[name];
      if (interval) rows.push([model.model, name, interval.mean, interval.lower, interval.upper, ...context]);
    }
    for (const [name, value] of Object.entries(model.beyondAccuracy)) {
      rows.push([model.model, name, value, '', '', ...context]);
    }
    if (model.epochsTrained !== undefined && model.keptEpoch !== undefined) {
      rows.push([model.model, 'epochsTrained', model.epochsTrained, '', '', ...context]);
      rows.push([model.model, 'keptEpoch', model.keptEpoch, '', '', ...context]);
    }
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

/** `user<TAB>targets (comma-separated)<TAB>ranked items (space-separated)`, one evaluated user a line. */
export function topListsText(lines: readonly LabTopList[]): string {
  return lines.map((line) => `${line.user}\t${line.targets.join(',')}\t${line.items.join(' ')}\n`).join('');
}

/**
 * Runs are paired-comparable when they scored the same users on the same targets and
 * candidates: same dataset, split, protocol (incl. negatives file) and seed.
 */
export function comparisonKey(result: LabRunResult): string {
  return JSON.stringify([
    result.dataset.key,
    result.split,
    result.protocolSpec,
    result.negativesHash ?? null,
    result.seed,
  ]);
}

/** What a stored run keeps beyond the metric means (EvalRunRecord.config is free-form). */
export interface StoredRunDetails {
  modelConfig: LabModelResult['config'];
  datasetName: string;
  /** hash of the run's item attributes file, when it had one (the same model scores differently with it) */
  itemAttributesHash?: string;
  protocol: string;
  split: LabSplitSpec;
  seed: number;
  ks: number[];
  comparisonKey: string;
  intervals: Record<string, LabInterval>;
  beyondAccuracy: Record<string, number>;
  curve: LabModelResult['curve'];
  epochsTrained?: number;
  keptEpoch?: number;
  stoppedEarly?: boolean;
  users: Int32Array;
  /** per-user values of every metric, for paired tests later */
  perUser: Record<string, Float32Array>;
}

export function toEvalRunRecords(result: LabRunResult, createdAt = Date.now()): Omit<EvalRunRecord, 'id'>[] {
  const key = comparisonKey(result);
  return result.models.map((m) => {
    const details: StoredRunDetails = {
      modelConfig: m.config,
      datasetName: result.dataset.name,
      itemAttributesHash: result.itemAttributes?.hash,
      protocol: result.protocol,
      split: result.split,
      seed: result.seed,
      ks: result.ks,
      comparisonKey: key,
      intervals: m.metrics,
      beyondAccuracy: m.beyondAccuracy,
      curve: m.curve,
      epochsTrained: m.epochsTrained,
      keptEpoch: m.keptEpoch,
      stoppedEarly: m.stoppedEarly,
      users: m.users,
      // float32 halves the stored size; per-user metrics need no more precision
      perUser: Object.fromEntries(
        Object.entries(m.perUser).map(([name, values]) => [name, Float32Array.from(values)]),
      ),
    };
    const metrics = Object.fromEntries(
      Object.entries(m.metrics).map(([name, interval]) => [name, interval.mean]),
    );
    return {
      createdAt,
      dataset: result.dataset.key,
      model: m.model,
      metrics,
      config: details as unknown as Record<string, unknown>,
      backend: result.backend.active,
      durationMs: m.trainMs + m.evalMs,
    };
  });
}

export function runDetails(run: EvalRunRecord): StoredRunDetails | undefined {
  const details = run.config as unknown as Partial<StoredRunDetails>;
  return details.comparisonKey && details.users && details.perUser
    ? (details as StoredRunDetails)
    : undefined;
}

export interface RunComparison {
  metric: string;
  meanA: number;
  meanB: number;
  /** mean of a − b over the shared users */
  meanDifference: number;
  tTestP: number;
  permutationP: number;
  users: number;
}

/** Paired per-user test of two stored runs on one metric; throws when they are not comparable. */
export function compareRuns(a: EvalRunRecord, b: EvalRunRecord, metric: string, seed = 0): RunComparison {
  const detailsA = runDetails(a);
  const detailsB = runDetails(b);
  if (!detailsA || !detailsB) throw new RangeError('one of the runs has no per-user results stored');
  if (detailsA.comparisonKey !== detailsB.comparisonKey) {
    throw new RangeError(
      'the runs used different data, split, protocol or seed: a paired test needs the same users and candidates',
    );
  }
  const valuesA = detailsA.perUser[metric];
  const valuesB = detailsB.perUser[metric];
  if (!valuesA || !valuesB) throw new RangeError(`both runs need ${metric}`);
  if (
    detailsA.users.length !== detailsB.users.length ||
    detailsA.users.some((u, i) => u !== detailsB.users[i])
  ) {
    throw new RangeError('the runs scored different users');
  }
  return {
    metric,
    meanA: mean(valuesA),
    meanB: mean(valuesB),
    ...pairedComparison(valuesA, valuesB, { seed }),
    users: valuesA.length,
  };
}

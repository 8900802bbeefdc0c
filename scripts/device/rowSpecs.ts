// The rows the device runner measures: the same row specs `npm run bench` sends its browser
// worker (no config override, so each model trains with the registry's default, as in the bench's
// table), read from a file path instead of the page's origin.
import type { BackendName } from '../../src/data/records';
import type { BenchRowSpec } from '../../src/worker/bench/protocol';
import { datasetLabel } from '../bench/options';

export interface DeviceRunOptions {
  dataPath: string;
  /** the dataset's name in the table, e.g. "amazon-beauty" */
  datasetName: string;
  models: readonly string[];
  backends: readonly BackendName[];
  epochs: number;
  /** seconds of training a row may spend before s/epoch is extrapolated (the bench's --budget) */
  budgetSec: number;
  maxUsers?: number;
  rowTimeoutSec: number;
}

/** event -> top-10 timings per row, as the bench's default */
const latencySamples = 100;

/** "mf, sasrec,,gru " -> ['mf', 'sasrec', 'gru'] */
export function parseRowList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/**
 * One spec per model and backend, backends outermost: the first backend's rows (webgpu, the
 * reason for the run) all come before any other's, so a run cut short by its time still has them.
 */
export function deviceRowSpecs(options: DeviceRunOptions): BenchRowSpec[] {
  const dataset = {
    name: datasetLabel(options.datasetName, options.maxUsers),
    url: options.dataPath,
    maxUsers: options.maxUsers,
  };
  return options.backends.flatMap((backend) =>
    options.models.map((model): BenchRowSpec => ({
      model,
      backend,
      dataset,
      epochs: options.epochs,
      trainBudgetSec: options.budgetSec,
      latencySamples,
      timeoutSec: options.rowTimeoutSec,
    })),
  );
}

/** A command-line number that must be positive, or a message that names the option. */
export function positiveOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} must be a positive number, not "${text}"`);
  return value;
}

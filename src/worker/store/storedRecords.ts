// Stored models and checkpoints come back from IndexedDB as whatever was there: a row written by
// another build, a disk that flipped a bit, a hand edit in the browser's devtools. Each is checked
// here before it is used, and a damaged one is named with its first bad field so the caller can
// skip it, say so, and train again, instead of ranking with NaN weights or crashing the worker.
import { fieldName } from '../../data/exportFormat';
import type { ModelName } from '../../ml/recommender';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isTypedArray = (value: unknown): value is Float32Array | Int32Array | Uint32Array =>
  value instanceof Float32Array || value instanceof Int32Array || value instanceof Uint32Array;

/** A stored name as a message shows it; never serialised whole, since a damaged row may hold anything there. */
const nameShown = (value: unknown): string =>
  typeof value === 'string'
    ? JSON.stringify(value.slice(0, 40))
    : `a ${value === null ? 'null' : typeof value}`;

/** The first non-finite entry of a float array, or -1 (integer arrays are always finite). */
function firstNonFinite(values: Float32Array | Int32Array | Uint32Array): number {
  if (!(values instanceof Float32Array)) return -1;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** What is wrong with a snapshot, as "snapshot.field: problem", or null. */
function snapshotProblem(snapshot: unknown, name: ModelName, floatsOnly: boolean): string | null {
  if (!isPlainObject(snapshot)) return 'snapshot: is not an object';
  if (snapshot.name !== name) return `snapshot.name: is ${nameShown(snapshot.name)}, not "${name}"`;
  if (!isPlainObject(snapshot.config)) return 'snapshot.config: is not an object';
  if (!isPlainObject(snapshot.arrays)) return 'snapshot.arrays: is not an object';
  for (const [key, values] of Object.entries(snapshot.arrays)) {
    if (!isTypedArray(values) || (floatsOnly && !(values instanceof Float32Array)))
      return `snapshot.arrays.${fieldName(key)}: is not a ${floatsOnly ? 'Float32Array' : 'typed array'}`;
    const bad = firstNonFinite(values);
    if (bad >= 0) return `snapshot.arrays.${fieldName(key)}[${bad}]: is ${values[bad]}`;
  }
  return null;
}

/** What is wrong with a stored model row (data/records.ts ModelRecord), or null when it is usable. */
export function storedModelProblem(record: unknown, name: ModelName): string | null {
  if (!isPlainObject(record)) return 'the row is not an object';
  if (record.name !== name) return `name: is ${nameShown(record.name)}, not "${name}"`;
  if (typeof record.dataHash !== 'string') return 'dataHash: is not text';
  if (!isPlainObject(record.config)) return 'config: is not an object';
  if (!isPlainObject(record.metrics)) return 'metrics: is not an object';
  if (typeof record.trainedAt !== 'number' || !Number.isFinite(record.trainedAt))
    return 'trainedAt: is not a time';
  return snapshotProblem(record.snapshot, name, false);
}

/** What is wrong with a checkpoint row (data/records.ts CheckpointRecord), or null when it can resume. */
export function checkpointProblem(record: unknown, name: ModelName): string | null {
  if (!isPlainObject(record)) return 'the row is not an object';
  if (record.name !== name) return `name: is ${nameShown(record.name)}, not "${name}"`;
  if (typeof record.dataHash !== 'string') return 'dataHash: is not text';
  const { epoch, epochs } = record;
  if (!Number.isSafeInteger(epochs) || (epochs as number) < 1) return 'epochs: is not a whole number ≥ 1';
  if (!Number.isSafeInteger(epoch) || (epoch as number) < 0 || (epoch as number) > (epochs as number))
    return `epoch: is not a whole number from 0 to ${epochs as number}`;
  return snapshotProblem(record.snapshot, name, true);
}

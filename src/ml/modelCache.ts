// A cache of trained models, so that a slow model (SASRec on Amazon Beauty: tens of minutes on two
// cores) trains once and a blend over it can be refitted, or judged under another protocol, in
// minutes. An entry is the model's own snapshot (save/load), so it holds exactly the weights that
// were scored: for a model fitted with early stopping, the kept epoch's.
//
// The key is everything the trained weights depend on: the data (the dataset's hash, the split and
// its seed, the fold), the model's name and its full resolved config (which includes its own seed).
// It is a hash of a canonical text, so the order of a config's keys does not matter.
import { hashText } from './io/hash';
import type { ModelSnapshot, Recommender, TrainingCheckpoint, TrainOptions } from './recommender';
import type { AdamState } from './train/adam';
import type { ModelConfig } from './registry';

/** Bytes on an ArrayBuffer of their own, as fetch sends and receives them. */
export type Bytes = Uint8Array<ArrayBuffer>;

/** Where entries live: the evaluation runner's folder on disk, reached over HTTP from the worker. */
export interface ModelCacheStore {
  /** the stored bytes, or undefined when there is no entry under the key */
  get(key: string): Promise<Bytes | undefined>;
  put(key: string, bytes: Bytes): Promise<void>;
}

/** A store together with what the training data is (dataset, split, seed, fold), as one text. */
export interface ModelCacheScope {
  store: ModelCacheStore;
  data: string;
}

/** What a cached model's weights depend on. */
export interface ModelCacheKeyParts {
  /** the dataset's hash, the split, its seed and fold */
  data: string;
  model: string;
  /** the model's whole resolved config, defaults included, so a changed default misses */
  config: ModelConfig;
}

/** Only these characters, so a key is safe as a file name and in a URL path. */
export const modelCacheKeyPattern = /^[a-z0-9][a-z0-9-]{0,80}$/;

/** A config as one text whatever the order of its keys. */
function canonicalConfig(config: ModelConfig): string {
  return JSON.stringify(
    Object.keys(config)
      .sort()
      .map((key) => [key, config[key]]),
  );
}

/** `<model>-<FNV-1a 64 of data, model and config>`, e.g. `sasrec-9f2c…`: readable in a folder listing. */
export function modelCacheKey({ data, model, config }: ModelCacheKeyParts): string {
  const name = model.toLowerCase().replace(/[^a-z0-9]/g, '');
  return `${name || 'model'}-${hashText(JSON.stringify([data, model, canonicalConfig(config)]))}`;
}

type SnapshotArray = ModelSnapshot['arrays'][string];
const arrayTypes = {
  f32: Float32Array,
  i32: Int32Array,
  u32: Uint32Array,
} as const;
type ArrayType = keyof typeof arrayTypes;

function arrayType(array: SnapshotArray): ArrayType {
  if (array instanceof Float32Array) return 'f32';
  if (array instanceof Int32Array) return 'i32';
  return 'u32';
}

interface SnapshotHeader {
  format: 'aisle-model-cache';
  version: 1;
  name: string;
  config: Record<string, unknown>;
  /** in the order their bytes follow the header, each a whole number of 4-byte words */
  arrays: { key: string; type: ArrayType; length: number }[];
}

const magicVersion = 1;

/**
 * A snapshot as bytes: a 4-byte header length, the JSON header (padded with spaces to a multiple of
 * 4 bytes, so every array starts aligned), then each array's bytes in the header's order.
 */
export function encodeSnapshot(snapshot: ModelSnapshot): Bytes {
  const entries = Object.entries(snapshot.arrays);
  const header: SnapshotHeader = {
    format: 'aisle-model-cache',
    version: magicVersion,
    name: snapshot.name,
    config: snapshot.config,
    arrays: entries.map(([key, array]) => ({ key, type: arrayType(array), length: array.length })),
  };
  let json = JSON.stringify(header);
  json += ' '.repeat((4 - (new TextEncoder().encode(json).length % 4)) % 4);
  const headerBytes = new TextEncoder().encode(json);
  const total = 4 + headerBytes.length + entries.reduce((sum, [, array]) => sum + array.byteLength, 0);
  const bytes = new Uint8Array(total);
  new DataView(bytes.buffer).setUint32(0, headerBytes.length, true);
  bytes.set(headerBytes, 4);
  let offset = 4 + headerBytes.length;
  for (const [, array] of entries) {
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
    offset += array.byteLength;
  }
  return bytes;
}

/** The snapshot encodeSnapshot wrote; a damaged or foreign file is refused with what is wrong. */
export function decodeSnapshot(bytes: Uint8Array): ModelSnapshot {
  const refuse = (why: string) => new RangeError(`not a model cache entry: ${why}`);
  if (bytes.length < 4) throw refuse('too short');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (headerLength % 4 !== 0 || 4 + headerLength > bytes.length) throw refuse('bad header length');
  let header: SnapshotHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))) as SnapshotHeader;
  } catch {
    throw refuse('the header is not JSON');
  }
  if (header?.format !== 'aisle-model-cache' || header.version !== magicVersion) {
    throw refuse('unknown format or version');
  }
  const arrays: ModelSnapshot['arrays'] = {};
  let offset = 4 + headerLength;
  for (const { key, type, length } of header.arrays) {
    const Type = arrayTypes[type];
    if (!Type || !Number.isInteger(length) || length < 0) throw refuse(`bad array "${key}"`);
    const end = offset + length * 4;
    if (end > bytes.length) throw refuse(`array "${key}" runs past the end`);
    // a copy: aligned whatever the input's offset, and independent of the input buffer
    arrays[key] = new Type(bytes.slice(offset, end).buffer);
    offset = end;
  }
  if (offset !== bytes.length) throw refuse('bytes left over after the last array');
  return { name: header.name as ModelSnapshot['name'], config: header.config, arrays };
}

/** A fit that stopped part-way keeps its last epoch's checkpoint under its model's key plus this. */
export const checkpointSuffix = '-checkpoint';

/** Arrays stored beside a checkpoint's own under this prefix; decodeCheckpoint leaves them out. */
export const checkpointExtraPrefix = 'extra/';

/**
 * A learned model's checkpoint (parameters, Adam's step and moments) in the same file format;
 * `extra` joins the header (JSON-plain, e.g. how many validation users were scored) and
 * `extraArrays` the arrays (under checkpointExtraPrefix, e.g. every epoch's per-user validation
 * figures), in the same file so they are never written without the weights they describe.
 */
export function encodeCheckpoint(
  name: ModelSnapshot['name'],
  checkpoint: TrainingCheckpoint,
  extra: Record<string, unknown> = {},
  extraArrays: Record<string, Float32Array> = {},
): Bytes {
  const arrays: ModelSnapshot['arrays'] = {};
  for (const [key, values] of Object.entries(extraArrays)) arrays[`${checkpointExtraPrefix}${key}`] = values;
  for (const [param, values] of Object.entries(checkpoint.params)) arrays[`param/${param}`] = values;
  for (const [param, { first, second }] of Object.entries(checkpoint.optimizer?.moments ?? {})) {
    arrays[`first/${param}`] = first;
    arrays[`second/${param}`] = second;
  }
  const config = {
    ...extra,
    epochsDone: checkpoint.epochsDone,
    adamStep: checkpoint.optimizer?.step ?? null,
  };
  return encodeSnapshot({ name, config, arrays });
}

export function decodeCheckpoint(bytes: Uint8Array): TrainingCheckpoint {
  const { config, arrays } = decodeSnapshot(bytes);
  const { epochsDone, adamStep } = config;
  if (!Number.isInteger(epochsDone) || (epochsDone as number) < 0) {
    throw new RangeError('not a checkpoint: no epoch count');
  }
  const params: TrainingCheckpoint['params'] = {};
  const moments: AdamState['moments'] = {};
  for (const [key, values] of Object.entries(arrays)) {
    if (key.startsWith(checkpointExtraPrefix)) continue;
    const [part, param] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    if (!(values instanceof Float32Array)) throw new RangeError(`not a checkpoint: ${key} is not float32`);
    if (part === 'param') params[param] = values;
    else if (part === 'first' || part === 'second') {
      moments[param] ??= { first: new Float32Array(0), second: new Float32Array(0) };
      moments[param][part] = values;
    } else throw new RangeError(`not a checkpoint: unknown array ${key}`);
  }
  const optimizer = typeof adamStep === 'number' ? { step: adamStep, moments } : undefined;
  return { epochsDone: epochsDone as number, params, ...(optimizer ? { optimizer } : {}) };
}

/** What a fit needs to carry on from a stored checkpoint and to store its own (TrainOptions). */
export type ResumeOptions = Pick<TrainOptions, 'resumeFrom' | 'onCheckpoint'>;

/**
 * Loads the model from the cache when it has the key. Otherwise runs `fit`, resuming from the
 * checkpoint a stopped fit of the same key left (a learned model stores one after every epoch,
 * so a run killed after hours loses one epoch, not all), and stores the trained model. Returns
 * whether it was loaded. A cache that fails to answer or to store is not a reason to lose the
 * training: the model is then trained (or kept) as without a cache, and `onMessage` hears why.
 */
export async function fitThroughCache(
  model: Recommender,
  key: string,
  store: ModelCacheStore,
  fit: (resume: ResumeOptions) => Promise<void>,
  onMessage: (message: string) => void = () => {},
): Promise<boolean> {
  const read = <T>(entry: string, decode: (bytes: Bytes) => T): Promise<T | undefined> =>
    store.get(entry).then(
      (bytes) => (bytes ? decode(bytes) : undefined),
      (error: unknown) => {
        onMessage(`model cache: could not read ${entry}: ${String(error)}`);
        return undefined;
      },
    );
  const unusable = (entry: string) => (error: unknown) => {
    onMessage(`model cache: ${entry} is unusable (${String(error)}); training instead`);
    return undefined;
  };
  const write = (entry: string, bytes: Bytes) =>
    store.put(entry, bytes).catch((error: unknown) => {
      onMessage(`model cache: could not store ${entry}: ${String(error)}`);
    });

  const snapshot = await read(key, decodeSnapshot).catch(unusable(key));
  if (snapshot) {
    try {
      model.load(snapshot);
      return true;
    } catch (error) {
      unusable(key)(error);
    }
  }
  const checkpointKey = `${key}${checkpointSuffix}`;
  const resumeFrom = await read(checkpointKey, decodeCheckpoint).catch(unusable(checkpointKey));
  if (resumeFrom)
    onMessage(`model cache: carrying on after epoch ${resumeFrom.epochsDone} (${checkpointKey})`);
  await fit({
    resumeFrom,
    onCheckpoint: (checkpoint) => write(checkpointKey, encodeCheckpoint(model.name, checkpoint)),
  });
  await write(key, encodeSnapshot(model.save()));
  return false;
}

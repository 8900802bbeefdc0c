// One entry for every model format: the files a person picked, told apart by what they contain
// (Spark's metadata and its Parquet parts are both called part-00000…), read by the right reader.
// The page and the workers import this module on demand, so no reader weighs on the first load.
import { describeBytes, importSizeLimits } from '../sizeLimits';
import { readImplicitNpz } from './implicitNpz';
import { ModelImportError, type ImportedItemFactors } from './itemFactors';
import { manifestFormat, parseManifest, type ModelManifest } from './manifest';
import { readSafetensorsModel } from './safetensors';
import { readSparkAls, type NamedBytes } from './sparkAls';

export type { NamedBytes };

export interface ModelFileDigest {
  name: string;
  bytes: number;
  /** SHA-256 of the file's bytes, 64 hex digits: what a model card shows so anyone can check the file */
  sha256: string;
}

export interface ReadModel {
  factors: ImportedItemFactors;
  /** where it says it came from: the manifest's source, Spark's version, or the format's name */
  source: string;
  /** when it was trained, where the files say (Spark's metadata, the manifest) */
  trainedAt?: string;
  files: ModelFileDigest[];
}

const startsWith = (bytes: Uint8Array, text: string) =>
  bytes.length >= text.length && [...text].every((char, i) => bytes[i] === char.charCodeAt(0));

type FileKind = 'parquet' | 'zip' | 'json' | 'safetensors' | 'other';

function kindOf(bytes: Uint8Array): FileKind {
  if (startsWith(bytes, 'PAR1')) return 'parquet';
  if (startsWith(bytes, 'PK')) return 'zip';
  // safetensors: an 8-byte length, then its JSON header
  if (bytes.length > 8 && bytes[8] === 0x7b) return 'safetensors';
  const first = bytes.find((byte) => byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09);
  return first === 0x7b ? 'json' : 'other'; // '{' (a safetensors file starts with its length, never '{')
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const text = (file: NamedBytes) => new TextDecoder().decode(file.bytes);

function isManifest(file: NamedBytes): boolean {
  try {
    return (JSON.parse(text(file)) as { format?: unknown }).format === manifestFormat;
  } catch {
    return false;
  }
}

function sparkTrainedAt(metadata: NamedBytes): string | undefined {
  try {
    const { timestamp } = JSON.parse(text(metadata).split('\n')[0]) as { timestamp?: unknown };
    return typeof timestamp === 'number' && Number.isFinite(timestamp)
      ? new Date(timestamp).toISOString()
      : undefined;
  } catch {
    return undefined;
  }
}

function only<T>(files: T[], what: string): T | undefined {
  if (files.length > 1)
    throw new ModelImportError('the picked files', `include ${files.length} ${what}; pick one`);
  return files[0];
}

async function readByContent(files: readonly NamedBytes[]): Promise<Omit<ReadModel, 'files'>> {
  const byKind = (kind: FileKind) => files.filter((file) => kindOf(file.bytes) === kind);
  const jsons = byKind('json');
  const manifestFile = only(jsons.filter(isManifest), 'manifests');
  const manifest: ModelManifest | undefined =
    manifestFile && parseManifest(text(manifestFile), manifestFile.name);
  const parts = byKind('parquet');
  if (parts.length > 0) {
    const metadata = only(
      jsons.filter((file) => file !== manifestFile),
      'metadata files',
    );
    if (!metadata) {
      throw new ModelImportError(
        'the picked files',
        "have Parquet parts but no metadata/part-00000; pick Spark's metadata file too",
      );
    }
    const factors = await readSparkAls(metadata, parts);
    const version = factors.settings.sparkVersion;
    return {
      factors,
      source: `Spark MLlib ALS${version ? ` ${version}` : ''}`,
      trainedAt: sparkTrainedAt(metadata),
    };
  }
  const npz = only(byKind('zip'), '.npz files');
  if (npz) {
    return {
      factors: readImplicitNpz(npz.bytes, npz.name, manifest),
      source: manifest?.source ?? 'implicit',
      trainedAt: manifest?.createdAt,
    };
  }
  const tensors = only(byKind('safetensors'), '.safetensors files');
  if (tensors) {
    if (!manifest) {
      throw new ModelImportError(
        tensors.name,
        'needs its manifest (a JSON file, docs/lab.md) naming the item tensor and its ids',
      );
    }
    return {
      factors: readSafetensorsModel(tensors.bytes, tensors.name, manifest),
      source: manifest.source,
      trainedAt: manifest.createdAt,
    };
  }
  throw new ModelImportError(
    'the picked files',
    'hold no model; expected Spark ALS (metadata/part-00000 and itemFactors/*.parquet), an implicit .npz, or a .safetensors with its manifest',
  );
}

/** Reads the picked files as one model, with each file's SHA-256; any file over the size limit is refused unread. */
export async function readModelFiles(files: readonly NamedBytes[]): Promise<ReadModel> {
  if (files.length === 0) throw new ModelImportError('the picked files', 'are none; pick the model file(s)');
  for (const file of files) {
    if (file.bytes.length > importSizeLimits.modelFile) {
      throw new ModelImportError(
        file.name,
        `is ${describeBytes(file.bytes.length)}; Aisle reads model files of at most ${describeBytes(importSizeLimits.modelFile)}`,
      );
    }
  }
  const read = await readByContent(files);
  const digests = await Promise.all(
    files.map(async (file) => ({
      name: file.name,
      bytes: file.bytes.length,
      sha256: await sha256Hex(file.bytes),
    })),
  );
  return { ...read, files: digests };
}

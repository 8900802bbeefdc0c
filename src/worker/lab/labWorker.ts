// The evaluation lab's worker: imports datasets (streamed from the page or fetched from our own
// origin), keeps them in the datasets table, and runs evaluations off the main thread. The work
// itself is in importDataset.ts and runLab.ts; this file is the message plumbing around them.
// first: no other module of this worker runs before the network guard is in place
import '../guard/installGuard';
import { getDataset, getDb, putDataset } from '../../data';
import {
  DatasetParseError,
  parseItemAttributesFile,
  parseNegativesFile,
  textChunks,
  chunksOf,
  type ItemAttributesFile,
  type NegativesFile,
} from '../../ml/io';
import { usesTensorFlow } from '../../ml/registry';
import { startBackend } from '../backend/start';
import type { BackendPreference } from '../../data/records';
import type { BackendReport } from '../backend/types';
import type { LabCommand, LabFileSource, LabRunSpec, LabStatus, TrainingCheckCommand } from './protocol';
import { ChunkQueue } from './chunkQueue';
import { fromDatasetRecord, toDatasetRecord, type StoredLabDataset } from './datasetCodec';
import { describeDataset, parseDataset } from './importDataset';
import { runLab } from './runLab';
import { recboleFilesFor } from './recboleExport';
import { checkTraining } from './trainingCheck';
import { runFederated } from './federatedRun';
import { httpModelCache } from './httpModelCache';

const post = (status: LabStatus) => self.postMessage(status);

/** The one request in flight (import or run): a newer one cancels it. */
let current: { id: number; controller: AbortController; queue?: ChunkQueue } | null = null;
/** Datasets used in this session, so a second run does not reload them from IndexedDB. */
const loaded = new Map<string, StoredLabDataset>();
let backend: { preference: BackendPreference; report: BackendReport } | null = null;

function begin(id: number): AbortController {
  cancelCurrent();
  const controller = new AbortController();
  current = { id, controller };
  return controller;
}

function cancelCurrent(): void {
  if (!current) return;
  const reason = new DOMException('cancelled', 'AbortError');
  current.controller.abort(reason);
  current.queue?.fail(reason);
  post({ type: 'labCancelled', id: current.id });
  current = null;
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function fail(id: number, error: unknown): void {
  if (isAbort(error)) return; // cancellation was already announced
  if (error instanceof DatasetParseError) {
    post({ type: 'labError', id, message: error.message, lineNumber: error.lineNumber });
  } else {
    post({ type: 'labError', id, message: error instanceof Error ? error.message : String(error) });
  }
}

function finish(id: number): void {
  if (current?.id === id) current = null;
}

async function fetchText(url: string, signal: AbortSignal): Promise<AsyncIterable<string>> {
  const resolved = new URL(url, self.location.href);
  // the CSP allows only our origin; say so plainly rather than surfacing a CSP violation
  if (resolved.origin !== self.location.origin) throw new Error(`only same-origin files can be read: ${url}`);
  const response = await fetch(resolved, { signal });
  if (!response.ok || !response.body) throw new Error(`could not read ${url} (HTTP ${response.status})`);
  return textChunks(response.body);
}

async function importDataset(command: Extract<LabCommand, { type: 'labImport' }>): Promise<void> {
  const { id, spec, source } = command;
  const controller = begin(id);
  const started = performance.now();
  try {
    let chunks: AsyncIterable<string>;
    if (source.kind === 'chunks') {
      const queue = new ChunkQueue();
      current!.queue = queue;
      chunks = queue;
    } else {
      chunks = await fetchText(source.url, controller.signal);
    }
    post({ type: 'labProgress', id, progress: { stage: 'import', message: `Reading ${spec.name}` } });
    const dataset = await parseDataset(chunks, spec, controller.signal);
    const sourceName = source.kind === 'url' ? source.url : spec.name;
    const info = describeDataset(dataset, spec, sourceName);
    // stored only once the whole file parsed: a malformed file leaves nothing behind
    await putDataset(getDb(), toDatasetRecord(dataset, info, Date.now()));
    loaded.set(info.key, { dataset, info });
    if (current?.id === id) post({ type: 'labImported', id, dataset: info, ms: performance.now() - started });
  } catch (error) {
    if (current?.id === id) fail(id, error);
  } finally {
    finish(id);
  }
}

async function loadDataset(key: string): Promise<StoredLabDataset> {
  const cached = loaded.get(key);
  if (cached) return cached;
  const record = await getDataset(getDb(), key);
  if (!record) throw new Error(`no imported dataset with key ${key}; import the file first`);
  const restored = fromDatasetRecord(record);
  loaded.clear(); // keep one dataset in memory: they can be large
  loaded.set(key, restored);
  return restored;
}

/** Reads a run's side file; a parse error names the file (and its line) in the message. */
async function loadSideFile<T>(
  source: LabFileSource,
  what: string,
  parse: (chunks: AsyncIterable<string>, options: { signal: AbortSignal }) => Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  const chunks = source.kind === 'url' ? await fetchText(source.url, signal) : chunksOf(source.text, 1 << 16);
  try {
    return await parse(chunks, { signal });
  } catch (error) {
    if (error instanceof DatasetParseError) {
      const name = source.kind === 'url' ? source.url : source.name;
      throw new DatasetParseError(error.lineNumber, `${what} ${name}: ${error.problem}`);
    }
    throw error;
  }
}

const loadNegatives = (source: LabFileSource, signal: AbortSignal): Promise<NegativesFile> =>
  loadSideFile(source, 'negatives file', parseNegativesFile, signal);

const loadItemAttributes = (source: LabFileSource, signal: AbortSignal): Promise<ItemAttributesFile> =>
  loadSideFile(source, 'attributes file', parseItemAttributesFile, signal);

async function ensureBackend(preference: BackendPreference): Promise<BackendReport> {
  if (backend?.preference !== preference) backend = { preference, report: await startBackend(preference) };
  return backend.report;
}

/**
 * The backend for a run. When no model in it touches TensorFlow.js (popularity, item-kNN, a
 * hybrid of those) and the backend was left on 'auto', racing the backends would only cost time
 * (tens of seconds on a software GPU), so tfjs is left on cpu, unused, and the report says so.
 */
async function backendForRun(spec: LabRunSpec): Promise<BackendReport> {
  if (spec.backend !== 'auto' || spec.models.some((model) => usesTensorFlow(model.name, model.config))) {
    return ensureBackend(spec.backend);
  }
  const report = await ensureBackend('cpu');
  return {
    ...report,
    reason:
      'No model in this run uses TensorFlow.js (popularity, item-kNN and EASE are plain JavaScript), so no backend was raced.',
  };
}

async function run(command: Extract<LabCommand, { type: 'labRun' }>): Promise<void> {
  const { id, spec } = command;
  const controller = begin(id);
  const progress = (message: string, stage: 'import' | 'backend') =>
    post({ type: 'labProgress', id, progress: { stage, message, fraction: 0 } });
  try {
    progress('Starting the compute backend', 'backend');
    const report = await backendForRun(spec);
    progress('Loading the dataset', 'import');
    const { dataset, info } = await loadDataset(spec.dataset);
    const negatives =
      spec.protocol.kind === 'fixed'
        ? await loadNegatives(spec.protocol.negatives, controller.signal)
        : undefined;
    const itemAttributes = spec.itemAttributes
      ? await loadItemAttributes(spec.itemAttributes, controller.signal)
      : undefined;
    // the readers (and hyparquet) load only for a run with a model file
    if (spec.importedModel) progress('Reading the model files', 'import');
    const importedModel = spec.importedModel
      ? await import('../../ml/io/models/readModel').then(({ readModelFiles }) =>
          readModelFiles(spec.importedModel!.files),
        )
      : undefined;
    const result = await runLab(spec, {
      dataset,
      info,
      negatives,
      itemAttributes,
      importedModel,
      backend: report,
      modelCache: spec.modelCacheUrl ? httpModelCache(spec.modelCacheUrl, self.location.href) : undefined,
      signal: controller.signal,
      onProgress: (p) => {
        if (current?.id === id) post({ type: 'labProgress', id, progress: p });
      },
    });
    if (current?.id === id) post({ type: 'labResult', id, result });
  } catch (error) {
    if (current?.id === id) fail(id, error);
  } finally {
    finish(id);
  }
}

/** Writes the RecBole atomic files of the spec's dataset and split; nothing is trained. */
async function exportRecbole(command: Extract<LabCommand, { type: 'labExportRecbole' }>): Promise<void> {
  const { id, spec } = command;
  begin(id);
  try {
    const { dataset, info } = await loadDataset(spec.dataset);
    const files = recboleFilesFor(spec, dataset, info);
    if (current?.id === id) post({ type: 'labRecboleFiles', id, files });
  } catch (error) {
    if (current?.id === id) fail(id, error);
  } finally {
    finish(id);
  }
}

/** Trains every learned model on a toy set on the requested backend (see trainingCheck.ts). */
async function trainingCheck(command: TrainingCheckCommand): Promise<void> {
  const { id } = command;
  begin(id);
  try {
    const report = await ensureBackend(command.backend);
    const result = await checkTraining(report.active);
    if (current?.id === id) post({ type: 'labTrainingChecked', id, report: result });
  } catch (error) {
    if (current?.id === id) fail(id, error);
  } finally {
    finish(id);
  }
}

/** The federated simulation on an imported dataset (federatedRun.ts); plain JavaScript, no backend. */
async function federated(command: Extract<LabCommand, { type: 'labFederated' }>): Promise<void> {
  const { id } = command;
  const controller = begin(id);
  try {
    const { dataset } = await loadDataset(command.dataset);
    await runFederated(command, dataset.matrix, post, controller.signal);
  } catch (error) {
    if (current?.id === id) fail(id, error);
  } finally {
    finish(id);
  }
}

self.onmessage = (message: MessageEvent<LabCommand>) => {
  const command = message.data;
  switch (command.type) {
    case 'labTrainingCheck':
      void trainingCheck(command);
      break;
    case 'labImport':
      void importDataset(command);
      break;
    case 'labImportChunk':
      // chunks of a superseded import are dropped: its queue already failed
      if (current?.id === command.id) current.queue?.push(command.text);
      break;
    case 'labImportEnd':
      if (current?.id === command.id) current.queue?.end();
      break;
    case 'labRun':
      void run(command);
      break;
    case 'labExportRecbole':
      void exportRecbole(command);
      break;
    case 'labCancel':
      cancelCurrent();
      break;
    case 'labFederated':
      void federated(command);
      break;
  }
};

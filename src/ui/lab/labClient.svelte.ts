// The lab page's only door to the lab worker. It owns the worker, streams imported files to it
// in chunks, turns each request into a promise, and exposes progress and curves as $state.
// Only the newest request is live: starting another cancels it (the worker says so with
// labCancelled, and its promise rejects with a "cancelled" error).
import type { FederatedConfig, FederatedProgress, FederatedReport } from '../../ml/federated/simulate';
import {
  addEvalRun,
  deleteEvalRun,
  getDb,
  listDatasetInfo,
  listEvalRuns,
  type EvalRunRecord,
} from '../../data';
import { textChunks } from '../../ml/io';
import { importSizeLimits, refuseOversized } from '../../ml/io/sizeLimits';
import type { BackendPreference } from '../../data/records';
import type {
  LabCommand,
  LabDatasetInfo,
  LabImportSpec,
  LabProgress,
  LabRunResult,
  LabRunSpec,
  LabStatus,
  LabTextFile,
  TrainingCheckReport,
} from '../../worker/lab/protocol';
import { toEvalRunRecords } from './results';

export interface CurvePoint {
  /** the x position: epoch (or trial) number in order of arrival */
  step: number;
  value: number;
}

export interface LiveCurves {
  loss: CurvePoint[];
  validation: CurvePoint[];
}

export type StoredDatasetInfo = Awaited<ReturnType<typeof listDatasetInfo>>[number];

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class LabRequestError extends Error {
  constructor(
    message: string,
    readonly lineNumber?: number,
  ) {
    super(message);
  }
}

/** Chunk size for streaming a picked file: small enough to keep messages cheap. */
const chunkBytes = 1 << 20;

export class LabClient {
  busy = $state(false);
  progress = $state<LabProgress | null>(null);
  curves = $state<LiveCurves>({ loss: [], validation: [] });
  datasets = $state<StoredDatasetInfo[]>([]);
  runs = $state<EvalRunRecord[]>([]);
  /** the federated simulation's latest round (null when none runs) */
  federatedProgress = $state<FederatedProgress | null>(null);
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private progressListener: ((progress: LabProgress) => void) | null = null;

  constructor() {
    this.worker = new Worker(new URL('../../worker/lab/labWorker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (message: MessageEvent<LabStatus>) => this.receive(message.data);
    this.worker.onerror = (event) =>
      this.rejectAll(`the lab worker failed: ${event.message || 'unknown error'}`);
  }

  private send(command: LabCommand): void {
    this.worker.postMessage(command);
  }

  private request<T>(start: (id: number) => void): Promise<T> {
    const id = this.nextId++;
    this.busy = true;
    const promise = new Promise<T>((resolve, reject) =>
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject }),
    );
    start(id);
    return promise;
  }

  private settle(id: number, outcome: { value: unknown } | { error: Error }): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.busy = false;
    if ('error' in outcome) pending.reject(outcome.error);
    else pending.resolve(outcome.value);
  }

  private rejectAll(message: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { error: new LabRequestError(message) });
  }

  private receive(status: LabStatus): void {
    switch (status.type) {
      case 'labTrainingChecked':
        this.settle(status.id, { value: status.report });
        break;
      case 'labProgress':
        if (!this.pending.has(status.id)) return; // a reply to a request we gave up on
        this.progress = status.progress;
        this.recordCurves(status.progress);
        this.progressListener?.(status.progress);
        break;
      case 'labImported':
        this.settle(status.id, { value: status.dataset });
        void this.refresh();
        break;
      case 'labResult':
        this.settle(status.id, { value: status.result });
        break;
      case 'labRecboleFiles':
        this.settle(status.id, { value: status.files });
        break;
      case 'labCancelled':
        this.settle(status.id, { error: new LabRequestError('cancelled') });
        break;
      case 'labFederatedProgress':
        if (this.pending.has(status.id)) this.federatedProgress = status.progress;
        break;
      case 'labFederatedResult':
        this.settle(status.id, { value: status.report });
        break;
      case 'labError':
        this.settle(status.id, { error: new LabRequestError(status.message, status.lineNumber) });
        break;
    }
  }

  private recordCurves(progress: LabProgress): void {
    if (progress.stage === 'training' && progress.loss !== undefined) {
      this.curves.loss.push({ step: this.curves.loss.length + 1, value: progress.loss });
    }
    if (progress.validationNdcg10 !== undefined) {
      this.curves.validation.push({
        step: this.curves.validation.length + 1,
        value: progress.validationNdcg10,
      });
    }
  }

  /** Reloads the stored datasets and runs (newest first). */
  async refresh(): Promise<void> {
    const db = getDb();
    [this.datasets, this.runs] = await Promise.all([listDatasetInfo(db), listEvalRuns(db)]);
  }

  /** Streams a picked file to the worker chunk by chunk; resolves with the stored dataset. */
  async importFile(file: Blob & { name?: string }, spec: LabImportSpec): Promise<LabDatasetInfo> {
    // refused on its declared size before a byte is read or sent to the worker
    refuseOversized(file, importSizeLimits.dataset, 'dataset file');
    return this.request<LabDatasetInfo>((id) => {
      this.send({ type: 'labImport', id, spec, source: { kind: 'chunks' } });
      void this.streamFile(id, file);
    });
  }

  private async streamFile(id: number, file: Blob): Promise<void> {
    try {
      for await (const text of textChunks(file.stream())) {
        if (!this.pending.has(id)) return; // refused or superseded: stop reading
        // split big decoder chunks so no single message holds the whole file
        for (let start = 0; start < text.length; start += chunkBytes) {
          this.send({ type: 'labImportChunk', id, text: text.slice(start, start + chunkBytes) });
        }
      }
      this.send({ type: 'labImportEnd', id });
    } catch (error) {
      this.send({ type: 'labCancel' });
      this.settle(id, { error: new LabRequestError(`could not read the file: ${String(error)}`) });
    }
  }

  /** Has the worker fetch a same-origin URL (how the headless runner hands over its files). */
  importUrl(url: string, spec: LabImportSpec): Promise<LabDatasetInfo> {
    return this.request<LabDatasetInfo>((id) =>
      this.send({ type: 'labImport', id, spec, source: { kind: 'url', url } }),
    );
  }

  /** Runs an evaluation; with `save` (the default) every model's result is kept in evalRuns. */
  async run(
    spec: LabRunSpec,
    options: { save?: boolean; onProgress?: (p: LabProgress) => void } = {},
  ): Promise<LabRunResult> {
    this.curves = { loss: [], validation: [] };
    this.progress = null;
    this.progressListener = options.onProgress ?? null;
    try {
      const result = await this.request<LabRunResult>((id) => this.send({ type: 'labRun', id, spec }));
      if (options.save ?? true) {
        const db = getDb();
        for (const record of toEvalRunRecords(result)) await addEvalRun(db, record);
        await this.refresh();
      }
      return result;
    } finally {
      this.progressListener = null;
    }
  }

  /** The dataset and split a run of `spec` uses, as RecBole atomic files (NAME.inter, NAME.train.inter, …). */
  exportRecbole(spec: LabRunSpec): Promise<LabTextFile[]> {
    return this.request<LabTextFile[]>((id) => this.send({ type: 'labExportRecbole', id, spec }));
  }

  /** Trains every learned model a few steps on a toy set on `backend` (a self-test; nothing is kept). */
  checkTraining(backend: BackendPreference): Promise<TrainingCheckReport> {
    return this.request<TrainingCheckReport>((id) => this.send({ type: 'labTrainingCheck', id, backend }));
  }

  /** The federated simulation on an imported dataset (nothing is stored; the report comes back). */
  federate(dataset: string, config: FederatedConfig): Promise<FederatedReport> {
    this.federatedProgress = null;
    return this.request<FederatedReport>((id) =>
      this.send({ type: 'labFederated', id, dataset, config: $state.snapshot(config) }),
    );
  }

  cancel(): void {
    this.send({ type: 'labCancel' });
  }

  async deleteRun(id: number): Promise<void> {
    await deleteEvalRun(getDb(), id);
    await this.refresh();
  }

  dispose(): void {
    this.rejectAll('the lab was closed');
    this.worker.terminate();
  }
}

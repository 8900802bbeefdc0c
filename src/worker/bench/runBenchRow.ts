// One benchmark row, run inside the benchmark worker: start exactly the asked backend, load the
// dataset, train the model, time event -> top-10 for sampled users, and weigh the snapshot. Any
// failure becomes the row's error message, so one backend that cannot run a model never stops
// the rest of the table.
import type { InteractionMatrix } from '../../ml/interactions';
import { parseSequenceFile, textChunks } from '../../ml/io';
import { userRow } from '../../ml/interactions';
import type { Recommender } from '../../ml/recommender';
import { createRecommender, isIterative, isModelName, resolveModelConfig } from '../../ml/registry';
import { backendOrder } from '../backend/decide';
import { startBackend } from '../backend/start';
import type { BackendReport } from '../backend/types';
import { useAllCores, useThreads } from '../backend/wasmThreads';
import { emptyExchange, startReplicaWorker, type ReplicaWorkerClient } from '../replica/replicaClient';
import type {
  BenchDatasetSpec,
  BenchLatency,
  BenchProgress,
  BenchRowResult,
  BenchRowSpec,
  BenchTraining,
} from './protocol';
import {
  evenlySpaced,
  extrapolateEpochSeconds,
  mean,
  quantile,
  selectUsers,
  snapshotBytes,
  steadyEpochSeconds,
  syntheticEventItem,
} from './measure';
import { watchTensorPeaks, type PeakReading } from './peakMemory';

type Report = (progress: BenchProgress) => void;

const topListLength = 10;
/** untimed calls before the latency samples: first calls compile kernels and fill caches */
const latencyWarmUps = 3;

/** Models whose wasm rows with every core train data-parallel, one replica per core (up to 2). */
const dataParallelModels: readonly string[] = ['sasrec', 'gru'];

/**
 * Replicas a row trains with: two for a SASRec / GRU wasm row asked for every core on a machine
 * with two or more, since tfjs-wasm's own threads do not reach this model's products (see
 * docs/benchmarks.md); one otherwise.
 */
export function replicasFor(
  spec: Pick<BenchRowSpec, 'backend' | 'wasmThreads' | 'model'>,
  cores: number,
): number {
  const all =
    spec.backend === 'wasm' && spec.wasmThreads === 'all' && dataParallelModels.includes(spec.model);
  return all ? Math.min(2, Math.max(1, Math.floor(cores))) : 1;
}

/** Only the asked backend, never a fallback: a row for "webgl" must be measured on WebGL. */
async function startExactly(
  { backend, wasmThreads }: BenchRowSpec,
  replicas: number,
): Promise<BackendReport> {
  // read once, when tfjs builds the backend: each row has a fresh worker, so each its own count
  if (replicas > 1)
    useThreads(1); // a core per replica, one thread each
  else if (wasmThreads === 'all') useAllCores();
  else if (wasmThreads !== undefined) useThreads(wasmThreads);
  return startBackend(
    backend,
    backendOrder.filter((other) => other !== backend),
  );
}

/**
 * Where a row's dataset file comes from: the page's own origin inside the benchmark worker; a
 * file on disk for the Node runner that measures a real GPU (scripts/device/gpuRows.ts).
 */
export type DatasetSource = (url: string) => Promise<ReadableStream<Uint8Array>>;

const fetchFromOrigin: DatasetSource = async (url) => {
  const response = await fetch(new URL(url, self.location.href));
  if (!response.ok || !response.body) throw new Error(`could not read ${url} (HTTP ${response.status})`);
  return response.body;
};

async function loadSequences(spec: BenchDatasetSpec, source: DatasetSource): Promise<InteractionMatrix> {
  const { matrix } = await parseSequenceFile(textChunks(await source(spec.url)));
  return spec.maxUsers && spec.maxUsers < matrix.userCount
    ? selectUsers(matrix, evenlySpaced(matrix.userCount, spec.maxUsers))
    : matrix;
}

function configFor(spec: BenchRowSpec): Record<string, unknown> {
  const overrides = { ...spec.config };
  if (isIterative(spec.model)) overrides.epochs = spec.epochs;
  return resolveModelConfig(spec.model, overrides);
}

interface EpochTimings {
  epochSeconds: number[];
  fitSeconds: number;
  finalLoss?: number;
}

/** The row's second replica, when it has one, and why it went on with one, when it did. */
interface RowReplica {
  client: ReplicaWorkerClient | null;
  fallback?: string;
}

async function timeFit(
  model: Recommender,
  data: InteractionMatrix,
  report: Report,
  replica: RowReplica,
): Promise<EpochTimings> {
  const epochEnds: number[] = [];
  let finalLoss: number | undefined;
  if (replica.client) Object.assign(replica.client.exchange, emptyExchange());
  const started = performance.now();
  await model.fit(data, {
    ...(replica.client
      ? {
          gradientReplica: replica.client,
          onReplicaFallback: (reason: string) => {
            replica.fallback = reason;
            report({ message: reason });
          },
        }
      : {}),
    onProgress: (progress) => {
      epochEnds.push(performance.now());
      finalLoss = progress.loss;
      report({ message: `epoch ${progress.epoch}/${progress.epochs}, loss ${progress.loss.toFixed(4)}` });
    },
  });
  const fitSeconds = (performance.now() - started) / 1000;
  // popularity and item-kNN report one "epoch" that is really the whole fit
  const epochSeconds = epochEnds.map((end, i) => (end - (i === 0 ? started : epochEnds[i - 1])) / 1000);
  if (epochSeconds.length === 0) epochSeconds.push(fitSeconds);
  return { epochSeconds, fitSeconds, finalLoss };
}

function summarise(
  timings: EpochTimings,
  trained: InteractionMatrix,
  allInteractions: number,
  learned: boolean,
): BenchTraining {
  const measured = steadyEpochSeconds(timings.epochSeconds);
  const extrapolate = trained.items.length < allInteractions;
  return {
    epochs: timings.epochSeconds.length,
    epochSeconds: timings.epochSeconds,
    fitSeconds: timings.fitSeconds,
    secondsPerEpoch: extrapolate
      ? extrapolateEpochSeconds(measured, trained.items.length, allInteractions)
      : measured,
    // the interactions each epoch passes over, per second of a steady epoch
    interactionsPerSec: trained.items.length / measured,
    extrapolatedFrom: extrapolate ? trained.items.length / allInteractions : undefined,
    finalLoss: learned ? timings.finalLoss : undefined,
  };
}

const usersOf = (data: InteractionMatrix, count: number): InteractionMatrix =>
  count >= data.userCount
    ? data
    : selectUsers(data, evenlySpaced(data.userCount, Math.max(1, Math.round(count))));

/** users in the budget probe unless the spec says: two SASRec/GRU batches, a couple of MF batches */
const defaultProbeUsers = 256;

/**
 * Trains as the spec asks: on a fixed share of users, or within a time budget (see
 * BenchRowSpec.trainBudgetSec), or simply the whole dataset for the asked epochs.
 */
async function train(
  spec: BenchRowSpec,
  config: Record<string, unknown>,
  data: InteractionMatrix,
  report: Report,
  replica: RowReplica,
): Promise<{ model: Recommender; training: BenchTraining; trained: InteractionMatrix }> {
  const learned = isIterative(spec.model);
  const all = data.items.length;
  const fitOn = async (trained: InteractionMatrix, overrides: Record<string, unknown> = {}) => {
    const model = createRecommender(spec.model, { ...config, ...overrides });
    try {
      return {
        model,
        trained,
        training: summarise(await timeFit(model, trained, report, replica), trained, all, learned),
      };
    } catch (error) {
      model.dispose();
      throw error;
    }
  };
  if (spec.trainFraction !== undefined && spec.trainFraction < 1) {
    return fitOn(usersOf(data, data.userCount * spec.trainFraction));
  }
  const probeUsers = spec.probeUsers ?? defaultProbeUsers;
  if (!learned || spec.trainBudgetSec === undefined || data.userCount <= probeUsers) return fitOn(data);

  report({ message: `probing speed on ${probeUsers} users` });
  const probe = await fitOn(usersOf(data, probeUsers), { epochs: 1 });
  const estimatedEpochSeconds = probe.training.secondsPerEpoch;
  if (estimatedEpochSeconds * spec.epochs <= spec.trainBudgetSec) {
    probe.model.dispose();
    return fitOn(data);
  }
  const affordableUsers = Math.floor((data.userCount * spec.trainBudgetSec) / estimatedEpochSeconds);
  // too slow for more than the probe: the probe is the measurement
  if (affordableUsers < 2 * probeUsers) return probe;
  probe.model.dispose();
  return fitOn(usersOf(data, affordableUsers), { epochs: 1 });
}

/** Users with a history, spread over the dataset; each gets one synthetic event appended. */
function timeEventToTopList(model: Recommender, data: InteractionMatrix, samples: number): BenchLatency {
  const candidates = Array.from({ length: data.userCount }, (_, user) => user).filter(
    (user) => data.userOffsets[user + 1] > data.userOffsets[user],
  );
  const picked = evenlySpaced(candidates.length, samples + latencyWarmUps);
  const timings: number[] = [];
  picked.forEach((index, i) => {
    const user = candidates[index];
    const history = [...userRow(data, user), syntheticEventItem(user, data.itemCount)];
    const started = performance.now();
    // the work a page does after one event: score everything, drop what the shopper has, take 10
    model.recommend({ history }, topListLength, { exclude: new Set(history) });
    const elapsed = performance.now() - started;
    if (i >= latencyWarmUps) timings.push(elapsed);
  });
  return {
    samples: timings.length,
    p50Ms: quantile(timings, 0.5),
    p95Ms: quantile(timings, 0.95),
    meanMs: mean(timings),
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function runBenchRow(
  spec: BenchRowSpec,
  report: Report,
  source: DatasetSource = fetchFromOrigin,
): Promise<BenchRowResult> {
  const started = performance.now();
  const result: BenchRowResult = {
    model: spec.model,
    backend: spec.backend,
    datasetName: spec.dataset.name,
    ok: false,
    wallSeconds: 0,
    ...(spec.wasmThreads === undefined ? {} : { wasmThreads: spec.wasmThreads }),
  };
  let model: Recommender | null = null;
  const peaks = watchTensorPeaks();
  const replicas = replicasFor(spec, globalThis.navigator?.hardwareConcurrency ?? 1);
  const replica: RowReplica = { client: null };
  try {
    if (!isModelName(spec.model)) throw new Error(`unknown model "${spec.model}"`);
    report({ message: `starting ${spec.backend}` });
    result.backendReport = await startExactly(spec, replicas);
    if (replicas > 1) {
      report({ message: 'starting the second training replica' });
      replica.client = await startReplicaWorker(spec.backend).catch((error: unknown) => {
        replica.fallback = `the second training replica could not start (${errorMessage(error)})`;
        return null;
      });
    }
    report({ message: `reading ${spec.dataset.name}` });
    const data = await loadSequences(spec.dataset, source);
    result.config = configFor(spec);
    report({ message: `training ${spec.model}` });
    peaks.reset();
    const trained = await train(spec, result.config, data, report, replica);
    if (replicas > 1) {
      const exchange = replica.client?.exchange;
      result.replicas = {
        count: exchange && exchange.steps > 0 ? 2 : 1,
        ...(exchange ? { exchange: { ...exchange } } : {}),
        ...(replica.fallback ? { fallback: replica.fallback } : {}),
      };
    }
    const trainingPeak: PeakReading = peaks.read();
    model = trained.model;
    result.training = trained.training;
    result.dataset = {
      name: spec.dataset.name,
      users: data.userCount,
      items: data.itemCount,
      interactions: data.items.length,
      trainUsers: trained.trained.userCount,
      trainInteractions: trained.trained.items.length,
    };

    report({ message: `timing event -> top-${topListLength}` });
    peaks.reset();
    result.latency = timeEventToTopList(model, data, spec.latencySamples);
    const inferencePeak = peaks.read();
    result.memory = {
      peakBytes: trainingPeak.peakBytes,
      peakTensors: trainingPeak.peakTensors,
      inferencePeakBytes: inferencePeak.peakBytes,
      inferencePeakTensors: inferencePeak.peakTensors,
    };
    result.modelBytes = snapshotBytes(model.save());
    result.ok = true;
  } catch (error) {
    result.error = errorMessage(error);
  } finally {
    replica.client?.close();
    peaks.stop();
    model?.dispose();
    result.wallSeconds = (performance.now() - started) / 1000;
  }
  return result;
}

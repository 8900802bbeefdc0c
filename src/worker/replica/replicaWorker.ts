// The second replica of data-parallel training (see protocol.ts): ml/models/trainingReplica.ts in a
// worker of its own, on exactly the trainer's backend and one wasm thread.
// first: no other module of this worker runs before the network guard is in place
import '../guard/installGuard';
import { registerTrainingKernels } from '../../ml/kernels';
import { TrainingReplica } from '../../ml/models/trainingReplica';
import type { PartGradients } from '../../ml/train/dataParallel';
import { backendOrder } from '../backend/decide';
import { startBackend } from '../backend/start';
import { useThreads } from '../backend/wasmThreads';
import type { ReplicaCommand, ReplicaStatus } from './protocol';

const post = (status: ReplicaStatus, transfer: Transferable[] = []) => self.postMessage(status, transfer);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

const replica = new TrainingReplica();

/** The arrays' buffers, to transfer: the replica does not keep what it sends. */
const buffersOf = (gradients: PartGradients): Transferable[] => [
  ...Object.values(gradients.gradients).map((array) => array.buffer as ArrayBuffer),
  ...Object.values(gradients.rows).map((array) => array.buffer as ArrayBuffer),
];

async function start(command: Extract<ReplicaCommand, { type: 'replicaStart' }>): Promise<void> {
  // one thread: the point of the replica is the core the trainer's wasm thread does not use
  useThreads(1);
  const report = await startBackend(
    command.backend,
    backendOrder.filter((other) => other !== command.backend),
  );
  if (report.active !== command.backend) throw new Error(`started ${report.active}, not ${command.backend}`);
  registerTrainingKernels();
  post({ type: 'replicaReady', backend: report.active });
}

self.onmessage = (message: MessageEvent<ReplicaCommand>) => {
  const command = message.data;
  if (command.type === 'replicaStart') {
    start(command).catch((error: unknown) => post({ type: 'replicaError', message: messageOf(error) }));
    return;
  }
  if (command.type !== 'replicaStep') return;
  try {
    const started = performance.now();
    const gradients = replica.handle(command.request);
    const computeMs = performance.now() - started;
    post({ type: 'replicaGradients', id: command.id, gradients, computeMs }, buffersOf(gradients));
  } catch (error) {
    post({ type: 'replicaError', id: command.id, message: messageOf(error) });
  }
};

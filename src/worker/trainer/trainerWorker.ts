// The trainer worker: the store's heavy tfjs work, off the thread that ranks. The store worker
// spawns one per model (worker/trainer/trainerClient.ts); it starts the backend it is told,
// trains with the model's resumable fit and streams progress, a checkpoint after every epoch
// and the snapshot back (see TrainerJob / TrainerStatus). It is terminated to cancel.
// first: no other module of this worker runs before the network guard is in place
import '../guard/installGuard';
import { registerTrainingKernels } from '../../ml/kernels';
import { backendOrder } from '../backend/decide';
import { destroyWebgpuDevice, startBackend, webgpuDeviceLost } from '../backend/start';
import type { BackendName } from '../../data/records';
import type { TrainerJob, TrainerStatus } from './protocol';
import { trainInProcess } from '../store/resumableTraining';
import { decodeJob } from './trainerClient';
import { faultIsDue, type TrainingFault } from './faultHook';

const post = (status: TrainerStatus) => self.postMessage(status);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Nothing else runs on this thread: read losses back (a GPU sync) less often than the store did. */
const yieldEvery = 8;

let deviceLost: string | null = null;

function reportDeviceLoss(): void {
  void webgpuDeviceLost()?.then((message) => {
    deviceLost = message;
    post({
      type: 'trainerError',
      message: `The training worker's GPU device was lost (${message})`,
      deviceLost: true,
    });
  });
}

/** Never settles: the store worker terminates this trainer. */
const forever = () => new Promise<never>(() => undefined);

/**
 * A test hook (faultHook.ts), after the checkpoint it names has been posted: lose the WebGPU
 * device (and report it, as a real loss is, before training could touch the dead device), or
 * stop training here. Losing a device on another backend does nothing.
 */
async function actOnFault(fault: TrainingFault): Promise<void> {
  if (fault.kind === 'stall') return forever();
  const lost = webgpuDeviceLost();
  if (!lost || !destroyWebgpuDevice()) return;
  await lost;
  return forever();
}

async function run(message: TrainerJob): Promise<void> {
  const { job, resumeFrom, backend, fault } = decodeJob(message);
  const started = performance.now();
  // exactly the store worker's backend: no race, no falling back to another one
  const others: BackendName[] = backendOrder.filter((b) => b !== backend);
  const report = await startBackend(backend, others);
  registerTrainingKernels();
  reportDeviceLoss();
  post({ type: 'trainerStarted', backend: report.active, ms: performance.now() - started });
  const snapshot = await trainInProcess(job, {
    resumeFrom,
    yieldEvery,
    onProgress: (progress) => post({ type: 'trainerProgress', progress }),
    onCheckpoint: async (checkpoint) => {
      post({ type: 'trainerCheckpoint', checkpoint });
      if (faultIsDue(fault, checkpoint.epochsDone)) await actOnFault(fault);
    },
  });
  post({ type: 'trainerDone', snapshot });
}

let busy = false;
self.onmessage = (event: MessageEvent<TrainerJob>) => {
  if (busy) {
    post({ type: 'trainerError', message: 'a trainer takes one job', deviceLost: false });
    return;
  }
  busy = true;
  run(event.data).catch((error: unknown) => {
    if (deviceLost !== null) return; // already reported, naming the lost device
    post({ type: 'trainerError', message: messageOf(error), deviceLost: false });
  });
};

// The trainer worker's protocol (worker/trainer/trainerWorker.ts ↔ trainerClient.ts). The
// store's worker keeps answering rankings while a trainer worker of its own, spawned per model,
// does the tfjs work: it gets one TrainerJob (the typed arrays are copies, transferred), starts
// exactly the backend it is told (no race), trains with the model's resumable fit and streams
// TrainerStatus back. postMessage keeps order, so every checkpoint arrives before the snapshot.
// Cancelling = terminating the trainer.
import type { BackendName } from '../../data/records';
import type { ModelSnapshot, TrainingCheckpoint, TrainProgress } from '../../ml/recommender';
import type { StoreTrainingJob } from '../store/resumableTraining';
import type { TrainingFault } from './faultHook';

/** one model's training, as the trainer receives it: the store's job, the backend to start, where to resume */
export type TrainerJob = {
  type: 'train';
  /** the store worker's backend; the trainer starts this one or fails (it does not race) */
  backend: BackendName;
  /** the checkpoint to carry on from; null: start from scratch */
  resumeFrom: TrainingCheckpoint | null;
  /** a test hook (faultHook.ts); absent in normal use */
  fault?: TrainingFault;
} & StoreTrainingJob;

export type TrainerStatus =
  /** the backend is up; training begins */
  | { type: 'trainerStarted'; backend: BackendName; ms: number }
  | { type: 'trainerProgress'; progress: TrainProgress }
  /** after each epoch, after its progress */
  | { type: 'trainerCheckpoint'; checkpoint: TrainingCheckpoint }
  | { type: 'trainerDone'; snapshot: ModelSnapshot }
  /** deviceLost: the trainer's WebGPU device was lost (the store worker switches backend) */
  | { type: 'trainerError'; message: string; deviceLost: boolean };

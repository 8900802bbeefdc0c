// The training replica worker's protocol (worker/replica/replicaWorker.ts ↔ replicaClient.ts).
// A trainer that trains data-parallel (ml/train/dataParallel.ts) starts one replica worker: its
// own tfjs on one wasm thread, so it computes on the other core. Each step the trainer sends the
// replica its half of the batch (and the previous step's combined gradients, or on the first step
// the whole parameters and Adam state); the replica answers with its half's gradients. Typed
// arrays the sender no longer needs are transferred. Cancelling = terminating the replica.
import type { BackendName } from '../../data/records';
import type { PartGradients, ReplicaRequest } from '../../ml/train/dataParallel';

export type ReplicaCommand =
  /** start exactly this backend, on one wasm thread */
  | { type: 'replicaStart'; backend: BackendName }
  | { type: 'replicaStep'; id: number; request: ReplicaRequest };

export type ReplicaStatus =
  | { type: 'replicaReady'; backend: BackendName }
  /** computeMs: the replica's own time for the step (apply + gradients), to tell it from the exchange */
  | { type: 'replicaGradients'; id: number; gradients: PartGradients; computeMs: number }
  /** id: the step that failed; absent when the start failed */
  | { type: 'replicaError'; id?: number; message: string };

// One data-parallel training step, as the trainer (the first replica) runs it: half the batch goes
// to the second replica, the other half is computed here meanwhile, the halves' gradients are
// combined into the whole batch's (dataParallel.ts) and applied here; the second replica applies
// the same combined gradients at the start of its next step, so both hold the same parameters.
import * as tf from '../tf';
import type { Adam } from './adam';
import {
  combinePartGradients,
  DRIFT_CHECK_EVERY,
  paramChecksum,
  splitBatchRows,
  type BatchPart,
  type CombinedGradients,
  type GradientReplica,
  type PartGradients,
  type ReplicaRequest,
  type ReplicaSync,
} from './dataParallel';
import type { ParamStore } from './params';
import type { SequenceBatch } from './sampling';
import { applyStepGradients } from './step';

/** What the replica needs to build the model's parameters itself (ReplicaSync without the state). */
export type ReplicaSetup = Pick<ReplicaSync, 'model' | 'config' | 'itemCount'>;

/** The trainer's link to one second replica over one fit. */
export class ReplicaLink {
  private synced = false;
  private pendingUpdate: CombinedGradients | null = null;
  private failure: string | null = null;
  private stepsSinceCheck = 0;
  /** steps whose replica half was recomputed here because the replica's parameters had drifted */
  resyncs = 0;

  constructor(
    private readonly replica: GradientReplica,
    private readonly setup: ReplicaSetup,
    private readonly onFallback?: (reason: string) => void,
  ) {}

  /**
   * The trainer applied a step without the replica (a one-row batch cannot be split): the
   * replica's parameters and Adam state are now a step behind, so the next step sends them whole.
   */
  markStale(): void {
    this.synced = false;
    this.pendingUpdate = null;
  }

  /**
   * One step on `batch` (≥ 2 rows): the mean loss of the whole batch, as a scalar the caller
   * disposes. `computePart` computes a part's gradients here, with the step's seeds.
   */
  async step(
    store: ParamStore,
    optimizer: Adam,
    batch: SequenceBatch,
    seeds: number[],
    computePart: (part: BatchPart, seeds: number[]) => PartGradients,
  ): Promise<tf.Scalar> {
    const [mine, theirs] = splitBatchRows(batch, 2);
    let remote: Promise<PartGradients | Error>;
    // Every checkEvery split steps the replica also returns a checksum of the parameters it computed
    // on, which after the update must be this store's now (both applied the same combined steps)
    let expectedChecksum: number | null = null;
    if (this.failure === null) {
      if (this.synced && ++this.stepsSinceCheck >= (this.replica.checkEvery ?? DRIFT_CHECK_EVERY)) {
        this.stepsSinceCheck = 0;
        expectedChecksum = paramChecksum(store.toArrays());
      }
      const request: ReplicaRequest = this.synced
        ? {
            part: theirs,
            seeds,
            ...(this.pendingUpdate ? { update: this.pendingUpdate } : {}),
            ...(expectedChecksum === null ? {} : { checksum: true }),
          }
        : {
            part: theirs,
            seeds,
            sync: {
              ...this.setup,
              params: await store.readAll(),
              optimizer: await optimizer.exportState(store.variables),
            },
          };
      remote = this.replica
        .compute(request)
        .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    } else {
      remote = Promise.resolve(new Error(this.failure));
    }
    const local = computePart(mine, seeds);
    let other = await remote;
    const answered = !(other instanceof Error);
    if (other instanceof Error) {
      if (this.failure === null) {
        this.failure = `the second training replica failed (${other.message}); going on with one`;
        this.onFallback?.(this.failure);
      }
      other = computePart(theirs, seeds);
    }
    // a drifted replica's half is recomputed here, and the next step sends it everything again
    const drifted = answered && expectedChecksum !== null && other.checksum !== expectedChecksum;
    if (drifted) {
      this.resyncs++;
      other = computePart(theirs, seeds);
    }
    const combined = combinePartGradients([local, other]);
    applyStepGradients(store, optimizer, combined.rows, combined.gradients);
    if (drifted) this.markStale();
    else {
      this.synced = true;
      this.pendingUpdate = combined;
    }
    return tf.scalar(combined.loss);
  }
}

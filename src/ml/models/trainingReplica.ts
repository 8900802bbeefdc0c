// The second replica of data-parallel training (ml/train/dataParallel.ts), as plain code: it holds
// its own copy of the parameters and Adam state, applies each step's combined gradients as the
// trainer does, and computes the gradients of the part of the batch it is given. The replica
// worker (worker/replica/) is a thin shell around it; tests run it in-process.
import { createRecommender } from '../registry';
import { Adam } from '../train/adam';
import {
  paramChecksum,
  type PartGradients,
  type ReplicaRequest,
  type ReplicaSync,
} from '../train/dataParallel';
import { ParamStore } from '../train/params';
import { applyStepGradients } from '../train/step';
import { SequentialRecommender } from './sequential';
import type { SequentialConfig } from './sequenceStep';

interface ReplicaModel {
  model: SequentialRecommender<SequentialConfig>;
  store: ParamStore;
  optimizer: Adam;
  itemCount: number;
}

export class TrainingReplica {
  private current: ReplicaModel | null = null;

  /**
   * Brings the parameters up to date (sync or update), then computes the part's gradients (with a
   * checksum of the parameters when asked).
   */
  handle(request: ReplicaRequest): PartGradients {
    if (request.sync) this.adopt(request.sync);
    const current = this.current;
    if (!current) throw new Error('the training replica was asked for a step before it had the parameters');
    if (request.update) {
      applyStepGradients(current.store, current.optimizer, request.update.rows, request.update.gradients);
    }
    const part = current.model.partGradients(current.store, request.part, request.seeds, current.itemCount);
    return request.checksum ? { ...part, checksum: paramChecksum(current.store.toArrays()) } : part;
  }

  private adopt(sync: ReplicaSync): void {
    this.dispose();
    const model = createRecommender(sync.model, sync.config);
    if (!(model instanceof SequentialRecommender) || !model.canTrainDataParallel()) {
      model.dispose();
      throw new Error(`the training replica cannot train "${sync.model}" with this config here`);
    }
    const store = ParamStore.fromArrays(model.paramSpecs(sync.itemCount), sync.params);
    const learningRate = (sync.config as Partial<SequentialConfig>).learningRate;
    const optimizer = new Adam(learningRate === undefined ? {} : { learningRate });
    try {
      optimizer.importState(sync.optimizer, store.variables);
    } catch (error) {
      optimizer.dispose();
      store.dispose();
      model.dispose();
      throw error;
    }
    this.current = {
      model: model as SequentialRecommender<SequentialConfig>,
      store,
      optimizer,
      itemCount: sync.itemCount,
    };
  }

  dispose(): void {
    if (!this.current) return;
    this.current.optimizer.dispose();
    this.current.store.dispose();
    this.current.model.dispose();
    this.current = null;
  }
}

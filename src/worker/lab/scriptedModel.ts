// Test support (no app code imports this): a toy dataset and a scripted "learned model" whose
// quality per epoch the test chooses. Good epochs rank each user's true next item first, bad ones
// score it below every other item (last among the unseen items, whatever breaks the others' ties),
// so validation NDCG@10 is exactly 1 on a good epoch and known on a bad one.
import { chunksOf, type ImportedDataset } from '../../ml/io';
import type { InteractionMatrix } from '../../ml/interactions';
import type { ModelSnapshot, Recommender, ShopperState, TrainOptions } from '../../ml/recommender';
import type { LabDatasetInfo, LabRunSpec } from './protocol';
import { describeDataset, parseDataset } from './importDataset';

/** 30 users; user u walks items i(u % 8), i(u % 8 + 1), … (mod 8), six items each. */
export const scriptedText =
  Array.from(
    { length: 30 },
    (_, u) => `u${u} ${Array.from({ length: 6 }, (_, i) => `i${(u + i) % 8}`).join(' ')}`,
  ).join('\n') + '\n';

/** The run the scripted tests share: leave-one-out, full ranking, NDCG@10 on the cpu backend. */
export function scriptedRunSpec(dataset: string, models: LabRunSpec['models']): LabRunSpec {
  return {
    dataset,
    models,
    split: { kind: 'leave-one-out' },
    protocol: { kind: 'full' },
    ks: [10],
    seed: 1,
    backend: 'cpu',
    bootstrapResamples: 20,
  };
}

export async function scriptedDataset(): Promise<{
  dataset: ImportedDataset;
  info: LabDatasetInfo;
  /** item index -> the index of the item that follows it in every walk */
  nextItem: Int32Array;
}> {
  const spec = { format: 'sequences' as const, name: 'toy' };
  const dataset = await parseDataset(chunksOf(scriptedText, 64), spec);
  const indexOf = new Map(dataset.itemIds.map((id, index) => [id, index]));
  const nextItem = Int32Array.from(dataset.itemIds, (id) =>
    indexOf.get(`i${(Number(id.slice(1)) + 1) % 8}`)!,
  );
  return { dataset, info: describeDataset(dataset, spec, 'test'), nextItem };
}

/** Trains `epochs` epochs (the script's length by default); epoch e is good when goodEpochs[e - 1]. */
export class ScriptedModel implements Recommender {
  readonly name = 'mf' as const;
  /** the epoch whose "weights" the model has */
  epoch = 0;
  /** the last epoch fit reached (stays put when a snapshot is loaded) */
  trainedEpochs = 0;
  readonly loadedEpochs: number[] = [];

  constructor(
    private readonly goodEpochs: readonly boolean[],
    private readonly nextItem: Int32Array,
    private readonly epochs = goodEpochs.length,
  ) {}

  async fit(_data: InteractionMatrix, options: TrainOptions = {}): Promise<void> {
    const { epochs } = this;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      this.epoch = epoch;
      this.trainedEpochs = epoch;
      options.onProgress?.({ epoch, epochs, loss: 1 / epoch, interactionsPerSec: 0, etaSec: 0 });
      if ((await options.onEpochEnd?.(epoch, this)) === 'stop') return;
    }
  }

  scoreAll(state: ShopperState): Float32Array {
    const scores = new Float32Array(this.nextItem.length);
    const last = state.history[state.history.length - 1];
    if (last === undefined) return scores;
    const good = this.goodEpochs[this.epoch - 1];
    if (!good) scores.fill(1);
    scores[this.nextItem[last]] = good ? 1 : 0;
    return scores;
  }

  recommend(): never {
    throw new Error('not used');
  }
  similarItems(): never {
    throw new Error('not used');
  }
  save(): ModelSnapshot {
    return { name: 'mf', config: { epoch: this.epoch }, arrays: {} };
  }
  load(snapshot: ModelSnapshot): void {
    this.epoch = snapshot.config.epoch as number;
    this.loadedEpochs.push(this.epoch);
  }
  dispose(): void {}
}

// What a model is given at validation and at test time (issue 13's audit of the validation → test
// drop), pinned on a hand-made 3-user dataset through a whole lab run of a hybrid: the models train
// on each user minus the last two items; at validation a user's history is that training part, at
// test it is the whole sequence minus the test item (the validation item included, as the most
// recent item), and the items kept out of the ranking are exactly that history.
import { describe, expect, it } from 'vitest';
import { LabHybrid, defaultBlendOptions } from '../../ml/blend/labHybrid';
import { evaluateRecommender, leaveOneOutSplit } from '../../ml/eval';
import { chunksOf } from '../../ml/io';
import { userRow, type InteractionMatrix } from '../../ml/interactions';
import type { ModelSnapshot, Recommender, ShopperState } from '../../ml/recommender';
import type { BackendReport } from '../backend/types';
import { describeDataset, parseDataset } from './importDataset';
import { runLab } from './runLab';

const backend: BackendReport = { active: 'cpu', reason: 'test', adapter: null, attempts: [] };

/** u0 has 5 items, u1 3, u2 2 (so no validation item: its only earlier item trains). */
const text = 'u0 a b c d e\nu1 b c d\nu2 c e\n';

/** Records what it was trained on and every history it scored; item i scores i + 1. */
class Recorder implements Recommender {
  readonly name = 'popularity' as const;
  trainedOn: string[][] = [];
  /** each distinct history, as item ids, in the order first scored */
  histories: string[][] = [];
  private itemCount = 0;

  constructor(private readonly itemIds: readonly string[]) {}

  fit(data: InteractionMatrix): Promise<void> {
    this.itemCount = data.itemCount;
    this.trainedOn = Array.from({ length: data.userCount }, (_, u) => this.ids(userRow(data, u)));
    return Promise.resolve();
  }
  scoreAll(state: ShopperState): Float32Array {
    const history = this.ids(state.history);
    if (!this.histories.some((seen) => seen.join() === history.join())) this.histories.push(history);
    return Float32Array.from({ length: this.itemCount }, (_, item) => item + 1);
  }
  recommend(): never {
    throw new Error('not used');
  }
  similarItems(): never {
    throw new Error('not used');
  }
  save(): ModelSnapshot {
    return { name: 'popularity', config: {}, arrays: {} };
  }
  load(): void {}
  dispose(): void {}
  private ids(items: ArrayLike<number>): string[] {
    return Array.from(items, (item) => this.itemIds[item]);
  }
}

describe('the histories a model is scored with, at validation and at test', () => {
  it('gives test the whole sequence minus the test item, and masks exactly that history', async () => {
    const spec = { format: 'sequences' as const, name: 'three users' };
    const dataset = await parseDataset(chunksOf(text, 5), spec);
    const recorders: Recorder[] = [];
    const result = await runLab(
      {
        dataset: 'three users',
        models: [{ name: 'hybrid', config: { components: 'itemknn,popularity' } }],
        split: { kind: 'leave-one-out' },
        protocol: { kind: 'full' },
        ks: [10],
        seed: 0,
        backend: 'cpu',
        topK: 10,
        bootstrapResamples: 10,
      },
      {
        dataset,
        info: describeDataset(dataset, spec, 'test'),
        backend,
        createModel: () => {
          const made = [new Recorder(dataset.itemIds), new Recorder(dataset.itemIds)];
          recorders.push(...made);
          return new LabHybrid(
            made.map((model, c) => ({ name: c === 0 ? 'itemknn' : 'popularity', model })),
            defaultBlendOptions,
          );
        },
      },
    );
    const [recorder] = recorders;
    // trained on each user minus the validation and test items (u2, with 2 items, keeps its first)
    expect(recorder.trainedOn).toEqual([['a', 'b', 'c'], ['b'], ['c']]);
    // validation: u0 and u1 (the blend is fitted on one and judged on the other), histories = training
    // part; then test, in user order: everything before the test item, the validation item last
    expect(recorder.histories.slice(0, 2).sort()).toEqual([['a', 'b', 'c'], ['b']]);
    expect(recorder.histories.slice(2)).toEqual([['a', 'b', 'c', 'd'], ['b', 'c'], ['c']]);
    // test ranks every item but that history: u1's validation item c is masked, its target d is not
    const lists = result.models[0].topLists!.map(({ user, targets, items }) => ({
      user,
      targets,
      items: [...items].sort(),
    }));
    expect(lists).toEqual([
      { user: 'u0', targets: ['e'], items: ['e'] },
      { user: 'u1', targets: ['d'], items: ['a', 'd', 'e'] },
      { user: 'u2', targets: ['e'], items: ['a', 'b', 'd', 'e'] },
    ]);
  });

  it('masks only the training part at validation: the validation target and the test item are ranked', async () => {
    const dataset = await parseDataset(chunksOf(text, 5), { format: 'sequences', name: 'three users' });
    const split = leaveOneOutSplit(dataset.matrix, { maxHistoryLength: 50 });
    const recorder = new Recorder(dataset.itemIds);
    await recorder.fit(split.train);
    const result = await evaluateRecommender(recorder, split.validation!, { kind: 'full' }, { topKOut: 10 });
    const id = (item: number) => dataset.itemIds[item];
    expect(result.topLists!.map(({ user, items }) => [dataset.userIds[user], items.map(id).sort()])).toEqual([
      ['u0', ['d', 'e']],
      ['u1', ['a', 'c', 'd', 'e']],
    ]);
  });
});

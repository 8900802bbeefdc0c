import * as tf from '../tf';
import { describe, expect, it } from 'vitest';
import { fromSequences } from '../interactions';
import { createGru } from './gru';
import { createSasrec } from './sasrec';

describe.each([
  ['sasrec', (epochs = 0) => createSasrec({ maxLen: 4, hidden: 8, epochs })],
  ['gru', (epochs = 0) => createGru({ maxLen: 4, hidden: 8, epochs })],
] as const)('%s inference', (_name, create) => {
  const data = fromSequences([[0, 1, 2, 3, 4, 5]], 6);

  it('reads only the last maxLen items of a history', async () => {
    const model = create();
    await model.fit(data); // zero epochs: the seeded initial weights are enough here
    const recent = [2, 3, 4, 5];
    const same = model.scoreAll({ history: [0, 1, ...recent] });
    expect(Array.from(same)).toEqual(Array.from(model.scoreAll({ history: recent })));
    expect(Array.from(model.scoreAll({ history: [1, ...recent.slice(1)] }))).not.toEqual(Array.from(same));
    model.dispose();
  });

  it('scores an empty or unknown-only history as all zeros, without leaking tensors', async () => {
    const model = create();
    await model.fit(data);
    const before = tf.memory().numTensors;
    expect(Array.from(model.scoreAll({ history: [] }))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(model.scoreAll({ history: [99] }))).toEqual([0, 0, 0, 0, 0, 0]);
    model.scoreAll({ history: [1, 2] });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('scores many histories in one batched pass exactly as one at a time', async () => {
    const model = create(1);
    await model.fit(data);
    const histories = [[1, 2], [], [0, 1, 2, 3, 4, 5], [99], [5]];
    const before = tf.memory().numTensors;
    const many = await model.scoreMany(histories.map((history) => ({ history })));
    expect(tf.memory().numTensors).toBe(before);
    expect(many).toHaveLength(histories.length * 6);
    histories.forEach((history, i) => {
      const one = model.scoreAll({ history });
      Array.from(many.subarray(i * 6, (i + 1) * 6)).forEach((score, item) =>
        expect(score).toBeCloseTo(one[item], 5),
      );
    });
    expect(many.subarray(6, 12).every((score) => score === 0)).toBe(true); // empty history
    model.dispose();
  });

  it('is reproducible: the same seed gives the same model, dropout included', async () => {
    const a = create(2);
    const b = create(2);
    await a.fit(data);
    await b.fit(data);
    expect(Array.from(a.scoreAll({ history: [1, 2] }))).toEqual(Array.from(b.scoreAll({ history: [1, 2] })));
    a.dispose();
    b.dispose();
  });
});

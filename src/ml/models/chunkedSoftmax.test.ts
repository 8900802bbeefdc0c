import * as tf from '../tf';
import { describe, expect, it } from 'vitest';
import { registerTrainingKernels } from '../kernels';
import { fullSoftmaxCrossEntropy, itemChunkSize, scoreAgainstTable } from './chunkedSoftmax';

/** Σ of the per-cell losses, with the gradients of hidden and table, read back. */
function lossAndGrads(
  hidden: tf.Tensor2D,
  table: tf.Tensor2D,
  targets: Int32Array,
  blockElements: number,
): { perCell: number[]; hidden: number[]; table: number[] } {
  return tf.tidy(() => {
    const perCell = Array.from(fullSoftmaxCrossEntropy(hidden, table, targets, blockElements).dataSync());
    const grads = tf.grads((h: tf.Tensor, t: tf.Tensor) =>
      tf.sum(fullSoftmaxCrossEntropy(h as tf.Tensor2D, t as tf.Tensor2D, targets, blockElements)),
    )([hidden, table]);
    return { perCell, hidden: Array.from(grads[0].dataSync()), table: Array.from(grads[1].dataSync()) };
  });
}

describe('itemChunkSize', () => {
  it('fits rows × chunk in the block, at least one item, at most the catalogue', () => {
    expect(itemChunkSize(2, 5, 4)).toBe(2);
    expect(itemChunkSize(3, 5, 4)).toBe(1);
    expect(itemChunkSize(10, 5, 4)).toBe(1);
    expect(itemChunkSize(2, 5, 1000)).toBe(5);
  });
});

describe('fullSoftmaxCrossEntropy', () => {
  // Cell 0 reads column 0 of the table, cell 1 column 1, so the logits are the columns:
  // cell 0: [0, ln 2, 0, ln 3, 0] → Σ exp = 1 + 2 + 1 + 3 + 1 = 8, target item 1 → ln 8 − ln 2 = ln 4
  // cell 1: [ln 4, 0, 0, 0, 0]    → Σ exp = 4 + 1 + 1 + 1 + 1 = 8, target item 0 → ln 8 − ln 4 = ln 2
  const tableValues = [0, Math.log(4), Math.log(2), 0, 0, 0, Math.log(3), 0, 0, 0];
  const targets = Int32Array.from([1, 0]);

  it('gives the same loss and gradients in chunks of 2 items as in one block (5 items)', () => {
    const hidden = tf.tensor2d([1, 0, 0, 1], [2, 2]);
    const table = tf.tensor2d(tableValues, [5, 2]);
    const whole = lossAndGrads(hidden, table, targets, 1000);
    const chunked = lossAndGrads(hidden, table, targets, 4); // 2 cells × 2 items: chunks {0,1}, {2,3}, {4}
    expect(whole.perCell[0]).toBeCloseTo(Math.log(4), 5);
    expect(whole.perCell[1]).toBeCloseTo(Math.log(2), 5);
    chunked.perCell.forEach((value, i) => expect(value).toBeCloseTo(whole.perCell[i], 5));
    // d/dtable_j = Σ_cells softmax_cj · hidden_c − hidden of the cells whose target is j:
    // item 3 (no target): 3/8 · [1, 0] + 1/8 · [0, 1]; item 1 (cell 0's target): 2/8 · [1, 0] + 1/8 · [0, 1] − [1, 0]
    expect(chunked.table[6]).toBeCloseTo(0.375, 5);
    expect(chunked.table[7]).toBeCloseTo(0.125, 5);
    expect(chunked.table[2]).toBeCloseTo(-0.75, 5);
    expect(chunked.table[3]).toBeCloseTo(0.125, 5);
    chunked.table.forEach((value, i) => expect(value).toBeCloseTo(whole.table[i], 5));
    chunked.hidden.forEach((value, i) => expect(value).toBeCloseTo(whole.hidden[i], 5));
    tf.dispose([hidden, table]);
  });

  it('stays within a few blocks on a 50,000-item catalogue, without leaking tensors', async () => {
    registerTrainingKernels(); // gather's gradient as the training step runs it (linear on cpu)
    const cells = 16;
    const width = 4;
    const items = 50_000;
    const blockElements = 1 << 14; // 64 KiB: chunks of 1,024 items
    const hidden = tf.randomNormal([cells, width], 0, 0.1, 'float32', 1) as tf.Tensor2D;
    const table = tf.randomNormal([items, width], 0, 0.1, 'float32', 2) as tf.Tensor2D;
    const targets = Int32Array.from({ length: cells }, (_, i) => (i * 3_119) % items);
    const before = tf.memory().numTensors;
    const peakBytes = async (block: number) =>
      (
        await tf.profile(() => {
          const grads = tf.grads((h: tf.Tensor, t: tf.Tensor) =>
            tf.sum(fullSoftmaxCrossEntropy(h as tf.Tensor2D, t as tf.Tensor2D, targets, block)),
          )([hidden, table]);
          tf.dispose(grads);
        })
      ).peakBytes;
    const chunked = await peakBytes(blockElements);
    const whole = await peakBytes(cells * items);
    expect(tf.memory().numTensors).toBe(before);
    // The stated bound: four blocks plus six tensors of the table's size (the table, its
    // gradient's chunks, their concatenation, the target rows' gradient and the sum of the two).
    const bound = 4 * blockElements * 4 + 6 * items * width * 4;
    expect(chunked).toBeLessThan(bound);
    expect(whole).toBeGreaterThan(2 * bound); // the whole [cells × items] logits, several times over
    tf.dispose([hidden, table]);
  });
});

describe('scoreAgainstTable', () => {
  it('scores in item chunks exactly as in one block, masked rows at zero', () => {
    const rows = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const table = tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]);
    const before = tf.memory().numTensors;
    const chunked = scoreAgainstTable(rows, table, Float32Array.from([1, 0]), 2); // one item per chunk
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(chunked)).toEqual([1, 2, 3, 0, 0, 0]);
    expect(Array.from(scoreAgainstTable(rows, table, Float32Array.from([1, 1]), 100))).toEqual([
      1, 2, 3, 3, 4, 7,
    ]);
    tf.dispose([rows, table]);
  });
});

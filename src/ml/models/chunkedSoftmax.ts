// The full-softmax next-item loss and full-catalogue scoring, with memory bounded whatever the
// catalogue size. A batch's logits are [cells × items]: 128 × 50 × 24,000 floats (614 MB, and
// several copies of it while differentiating) ran wasm out of memory. Above a fixed block size
// the logits are made one item chunk at a time and never held whole; the maths is unchanged.
import * as tf from '../tf';

/**
 * The most logits (or scores) one block holds: 2^24 floats, 64 MiB. Below it the loss runs as one
 * block (the fastest path); above it, in item chunks of ⌊SOFTMAX_BLOCK_ELEMENTS / cells⌋ items.
 * Bound: the loss's transient memory is at most four such blocks (a chunk's logits, their
 * shifted copy, exp and the gradient's product: 256 MiB) plus six tensors of the item table's size
 * ([items × hidden]: the table, its gradient's chunks, their concatenation, the target rows'
 * gradient and the sum) and a few of the cells' size ([cells × hidden]), never [cells × items].
 */
export const SOFTMAX_BLOCK_ELEMENTS = 1 << 24;

/** Items per chunk so that one [rows × chunk] block holds at most blockElements floats (≥ 1 item). */
export function itemChunkSize(rows: number, items: number, blockElements: number): number {
  return Math.max(1, Math.min(items, Math.floor(blockElements / Math.max(1, rows))));
}

/** log Σ exp along axis 1 of [rows, n], stable (the row max subtracted), as [rows, 1]. */
function stableLogSumExp(values: tf.Tensor2D): tf.Tensor2D {
  const rowMax = tf.max(values, 1, true);
  return tf.add(tf.log(tf.sum(tf.exp(tf.sub(values, rowMax)), 1, true)), rowMax);
}

/**
 * log Σ exp over each row of [rows, items] logits, with its gradient written out (softmax · dy).
 * tfjs's own logSumExp differentiates through the max it subtracts for stability, which builds
 * an element-wise Equal mask the size of the logits: measured on wasm at amazon-beauty's size,
 * that one kernel took 330 ms of a 600 ms step, for a term that cancels mathematically.
 */
export const logSumExpRows = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [logits, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
  const value = stableLogSumExp(logits);
  save([logits, value]);
  return {
    value: tf.reshape(value, [-1]),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedLogits, savedValue] = saved;
      return tf.mul(tf.expandDims(dy, 1), tf.exp(tf.sub(savedLogits, savedValue)));
    },
  };
}) as (logits: tf.Tensor) => tf.Tensor1D;

/** Row ranges [start, start + size) covering `items` in chunks of `chunk`. */
function itemChunks(items: number, chunk: number): { start: number; size: number }[] {
  const chunks: { start: number; size: number }[] = [];
  for (let start = 0; start < items; start += chunk)
    chunks.push({ start, size: Math.min(chunk, items - start) });
  return chunks;
}

/**
 * log Σ_j exp(hidden_r · table_j) for each row r, made chunk by chunk of the table: each chunk's
 * log-sum-exp is taken alone, then the per-chunk values are combined by one more (small)
 * log-sum-exp. The backward pass recomputes each chunk's logits instead of keeping them:
 * d/dhidden = Σ_chunks (softmax_chunk · dy) table_chunk, d/dtable_chunk = (softmax_chunk · dy)ᵀ hidden.
 */
function chunkedLogSumExp(chunk: number): (hidden: tf.Tensor2D, table: tf.Tensor2D) => tf.Tensor1D {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [hidden, table, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    const items = table.shape[0];
    const width = table.shape[1];
    const chunks = itemChunks(items, chunk);
    const logitsOf = (h: tf.Tensor2D, t: tf.Tensor2D, start: number, size: number): tf.Tensor2D =>
      tf.matMul(h, tf.slice(t, [start, 0], [size, width]), false, true);
    const perChunk = chunks.map(({ start, size }) =>
      tf.tidy(() => stableLogSumExp(logitsOf(hidden, table, start, size))),
    );
    const value = stableLogSumExp(tf.concat(perChunk, 1));
    tf.dispose(perChunk);
    save([hidden, table, value]);
    return {
      value: tf.reshape(value, [-1]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [h, t, lse] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const dyColumn = tf.expandDims(dy, 1);
        let hiddenGradient: tf.Tensor2D = tf.zerosLike(h);
        const tableGradients = chunks.map(({ start, size }) => {
          const [hiddenPart, tablePart] = tf.tidy(() => {
            const weights = tf.mul(dyColumn, tf.exp(tf.sub(logitsOf(h, t, start, size), lse)));
            return [tf.matMul(weights, tf.slice(t, [start, 0], [size, width])), tf.matMul(weights, h, true)];
          });
          const sum = tf.add(hiddenGradient, hiddenPart) as tf.Tensor2D;
          tf.dispose([hiddenGradient, hiddenPart]);
          hiddenGradient = sum;
          return tablePart;
        });
        const tableGradient = tableGradients.length === 1 ? tableGradients[0] : tf.concat(tableGradients, 0);
        if (tableGradients.length > 1) tf.dispose(tableGradients);
        dyColumn.dispose();
        return [hiddenGradient, tableGradient];
      },
    };
  }) as (hidden: tf.Tensor2D, table: tf.Tensor2D) => tf.Tensor1D;
}

/**
 * −log softmax(target) over the whole item table for each cell: logSumExp(all logits) − the
 * target's logit. hidden [cells, d], table [items, d], targetItems: each cell's row of the table.
 * The target logit is a row dot product, so no [cells × items] one-hot is built (at
 * amazon-beauty's size that one-hot alone is ~40 MB per step). See SOFTMAX_BLOCK_ELEMENTS for the
 * memory bound.
 */
export function fullSoftmaxCrossEntropy(
  hidden: tf.Tensor2D,
  table: tf.Tensor2D,
  targetItems: Int32Array,
  blockElements = SOFTMAX_BLOCK_ELEMENTS,
): tf.Tensor1D {
  const cells = hidden.shape[0];
  const items = table.shape[0];
  const chunk = itemChunkSize(cells, items, blockElements);
  const logSumExp =
    chunk >= items
      ? logSumExpRows(tf.matMul(hidden, table, false, true))
      : chunkedLogSumExp(chunk)(hidden, table);
  const targetLogits = tf.sum(tf.mul(hidden, tf.gather(table, targetItems)), 1);
  return tf.sub(logSumExp, targetLogits);
}

/**
 * rows [count, d] · table [items, d]ᵀ read back to the host as [count × items] scores, one item
 * chunk at a time so no backend tensor exceeds blockElements floats (the host array is what the
 * evaluator ranks every target in, so it is kept whole). `mask` [count] multiplies each row.
 */
export function scoreAgainstTable(
  rows: tf.Tensor2D,
  table: tf.Tensor2D,
  mask: Float32Array,
  blockElements = SOFTMAX_BLOCK_ELEMENTS,
): Float32Array {
  const [count, width] = rows.shape;
  const items = table.shape[0];
  const scores = new Float32Array(count * items);
  const chunk = itemChunkSize(count, items, blockElements);
  for (const { start, size } of itemChunks(items, chunk)) {
    const block = tf.tidy(() =>
      tf.mul(
        tf.matMul(rows, tf.slice(table, [start, 0], [size, width]), false, true),
        tf.tensor2d(mask, [count, 1]),
      ),
    );
    const values = block.dataSync() as Float32Array;
    block.dispose();
    for (let row = 0; row < count; row++) {
      scores.set(values.subarray(row * size, (row + 1) * size), row * items + start);
    }
  }
  return scores;
}

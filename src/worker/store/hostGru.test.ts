import { describe, expect, it } from 'vitest';
import { createRng } from '../../ml/random';
import { HostGruScorer } from './hostGru';

// The forward pass as first written (a copy of the valid history, fresh arrays every step):
// the scorer's reused buffers must give the very same numbers.
function referenceHiddenState(
  arrays: Record<string, Float32Array>,
  hidden: number,
  maxLen: number,
  itemCount: number,
  history: readonly number[],
): Float32Array {
  const d = hidden;
  const affine = (part: string, input: Float32Array, state: Float32Array, out: Float32Array) => {
    out.set(arrays[`${part}InputBias`]);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        out[j] +=
          input[i] * arrays[`${part}InputWeights`][i * d + j] +
          state[i] * arrays[`${part}RecurrentWeights`][i * d + j];
      }
    }
  };
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const valid = history.filter((item) => Number.isInteger(item) && item >= 0 && item < itemCount);
  let state = new Float32Array(d);
  for (const item of valid.slice(-maxLen)) {
    const input = arrays.itemEmbedding.subarray((item + 1) * d, (item + 2) * d);
    const update = new Float32Array(d);
    const reset = new Float32Array(d);
    affine('update', input, state, update);
    affine('reset', input, state, reset);
    const gated = new Float32Array(d);
    for (let j = 0; j < d; j++) {
      update[j] = sigmoid(update[j]);
      gated[j] = sigmoid(reset[j]) * state[j];
    }
    const candidate = new Float32Array(d);
    affine('candidate', input, gated, candidate);
    const next = new Float32Array(d);
    for (let j = 0; j < d; j++) next[j] = state[j] + update[j] * (Math.tanh(candidate[j]) - state[j]);
    state = next;
  }
  return state;
}

describe('host GRU', () => {
  it('reusing its buffers, computes exactly the straightforward forward pass', () => {
    const rng = createRng(12);
    const hidden = 6;
    const itemCount = 15;
    const maxLen = 5;
    const random = (length: number) => Float32Array.from({ length }, () => rng.next() * 2 - 1);
    const arrays: Record<string, Float32Array> = { itemEmbedding: random((itemCount + 1) * hidden) };
    for (const part of ['update', 'reset', 'candidate']) {
      arrays[`${part}InputWeights`] = random(hidden * hidden);
      arrays[`${part}InputBias`] = random(hidden);
      arrays[`${part}RecurrentWeights`] = random(hidden * hidden);
    }
    const scorer = new HostGruScorer({ name: 'gru', config: { hidden, maxLen, itemCount }, arrays });
    const histories = [[], [3], [-1, 99, 2.5], [0, 1, 2, 3, 4, 5, 6, 7], [14, -1, 2, 99, 3, 4, 5, 6, 1.5, 7]];
    for (let i = 0; i < 20; i++)
      histories.push(Array.from({ length: rng.nextInt(12) }, () => rng.nextInt(18) - 1));
    for (const history of histories) {
      const expected = referenceHiddenState(arrays, hidden, maxLen, itemCount, history);
      expect(scorer.hiddenState(history)).toEqual(expected);
    }
    // and the state does not leak from one shopper to the next
    expect(scorer.hiddenState([])).toEqual(new Float32Array(hidden));
  });
});

// The GRU's forward pass in plain JS on the snapshot's Float32Arrays, for the ranking path:
// one shopper, at most maxLen steps of hidden × hidden products, well under a millisecond —
// where the tfjs forward pass would need a GPU round trip (and a synchronous read-back) per
// event. The arithmetic mirrors GruRecommender.encode; hostGru.test.ts holds them equal.
import type { ModelSnapshot, ShopperState } from '../../ml/recommender';
import { rowScores } from '../../recs/rowScores';

interface GateWeights {
  input: Float32Array;
  bias: Float32Array;
  recurrent: Float32Array;
}

export class HostGruScorer {
  readonly itemCount: number;
  private readonly hidden: number;
  private readonly maxLen: number;
  /** [itemCount × hidden]: row i is item i (the snapshot's row 0 is padding) */
  private readonly itemVectors: Float32Array;
  private readonly table: Float32Array;
  private readonly gates: Record<'update' | 'reset' | 'candidate', GateWeights>;

  constructor(snapshot: ModelSnapshot) {
    if (snapshot.name !== 'gru') throw new Error(`host GRU: cannot read a "${snapshot.name}" snapshot`);
    const config = snapshot.config as { hidden: number; maxLen: number; itemCount: number };
    this.hidden = config.hidden;
    this.maxLen = config.maxLen;
    this.itemCount = config.itemCount;
    const array = (name: string) => {
      const values = snapshot.arrays[name];
      if (!(values instanceof Float32Array)) throw new Error(`host GRU: snapshot lacks "${name}"`);
      return values;
    };
    this.table = array('itemEmbedding');
    this.itemVectors = this.table.subarray(this.hidden, (this.itemCount + 1) * this.hidden);
    const gate = (part: string): GateWeights => ({
      input: array(`${part}InputWeights`),
      bias: array(`${part}InputBias`),
      recurrent: array(`${part}RecurrentWeights`),
    });
    this.gates = { update: gate('update'), reset: gate('reset'), candidate: gate('candidate') };
  }

  /** The hidden state after the last maxLen valid items of the history (zeros for none). */
  hiddenState(history: readonly number[]): Float32Array {
    const d = this.hidden;
    // the last maxLen valid items, found from the end without copying the history
    // (like slice(-maxLen), a maxLen of 0 keeps them all)
    const keep = this.maxLen > 0 ? this.maxLen : Infinity;
    let first = history.length;
    for (let taken = 0; first > 0 && taken < keep;) {
      if (this.isValid(history[--first])) taken++;
    }
    // two state buffers take turns (the next state is computed from the current one)
    let state = new Float32Array(d);
    let next = new Float32Array(d);
    const update = new Float32Array(d);
    const reset = new Float32Array(d);
    const gatedState = new Float32Array(d);
    const candidate = new Float32Array(d);
    for (let at = first; at < history.length; at++) {
      const item = history[at];
      if (!this.isValid(item)) continue;
      const input = this.table.subarray((item + 1) * d, (item + 2) * d);
      this.affine(this.gates.update, input, state, update);
      this.affine(this.gates.reset, input, state, reset);
      for (let j = 0; j < d; j++) {
        update[j] = sigmoid(update[j]);
        gatedState[j] = sigmoid(reset[j]) * state[j];
      }
      this.affine(this.gates.candidate, input, gatedState, candidate);
      for (let j = 0; j < d; j++) next[j] = state[j] + update[j] * (Math.tanh(candidate[j]) - state[j]);
      [state, next] = [next, state];
    }
    return state;
  }

  private isValid(item: number): boolean {
    return Number.isInteger(item) && item >= 0 && item < this.itemCount;
  }

  /** out = input · W + b + state · U (row-vector convention, as tf.matMul uses). */
  private affine(gate: GateWeights, input: Float32Array, state: Float32Array, out: Float32Array): void {
    const d = this.hidden;
    const weights = gate.input;
    const recurrent = gate.recurrent;
    out.set(gate.bias);
    for (let i = 0; i < d; i++) {
      const x = input[i];
      const h = state[i];
      const row = i * d;
      for (let j = 0; j < d; j++) out[j] += x * weights[row + j] + h * recurrent[row + j];
    }
  }

  /** Same contract as the model: an empty history scores every item 0. */
  scoreAll(state: ShopperState): Float32Array {
    if (!state.history.some((item) => this.isValid(item))) return new Float32Array(this.itemCount);
    return this.scoresOf(this.hiddenState(state.history));
  }

  /** Every item's score from a hidden state already computed (hiddenState), so a caller reading it twice runs the GRU once. */
  scoresOf(hidden: Float32Array): Float32Array {
    return rowScores(this.itemVectors, this.hidden, hidden);
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

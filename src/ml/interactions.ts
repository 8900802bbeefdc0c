// The one in-memory shape every model trains on: a user-by-item matrix in CSR form,
// each user's row in time order (so sequential models can read it as a sequence).

export interface InteractionMatrix {
  userCount: number;
  itemCount: number;
  /** length userCount + 1; user u's interactions are [userOffsets[u], userOffsets[u+1]). */
  userOffsets: Uint32Array;
  /** item index of each interaction, in time order within a user. */
  items: Int32Array;
  /** optional confidence weight of each interaction (1 when absent). */
  weights?: Float32Array;
}

/** Build a CSR matrix from per-user item sequences (already in time order). */
export function fromSequences(
  sequences: readonly (readonly number[])[],
  itemCount: number,
): InteractionMatrix {
  const userOffsets = new Uint32Array(sequences.length + 1);
  let total = 0;
  sequences.forEach((seq, u) => {
    total += seq.length;
    userOffsets[u + 1] = total;
  });
  const items = new Int32Array(total);
  sequences.forEach((seq, u) => items.set(seq, userOffsets[u]));
  return { userCount: sequences.length, itemCount, userOffsets, items };
}

/** The items of one user, in time order (a view, not a copy). */
export function userRow(m: InteractionMatrix, user: number): Int32Array {
  return m.items.subarray(m.userOffsets[user], m.userOffsets[user + 1]);
}

// Maximal marginal relevance: pick the next item by relevance minus its similarity
// to what is already picked. diversity = 0 is pure relevance order; 1 spreads the
// list as widely as the candidates allow.

export interface Candidate {
  item: number;
  /** relevance normalised to [0, 1] */
  relevance: number;
}

/**
 * Each candidate's redundancy (its largest similarity to a picked item) is kept up to date as
 * items are picked, so every pair is compared once — pool × k similarity calls, not the
 * pool × k² / 2 of recomputing the maximum over all picks each round. The result is the same:
 * the running maximum takes the picks in the same order as a fresh maximum would.
 */
export function mmrRerank(
  candidates: readonly Candidate[],
  k: number,
  diversity: number,
  similarity: (a: number, b: number) => number,
): Candidate[] {
  const lambda = Math.min(1, Math.max(0, diversity));
  const count = candidates.length;
  const redundancy = new Float64Array(count);
  const taken = new Uint8Array(count);
  const picked: Candidate[] = [];
  while (picked.length < k && picked.length < count) {
    let best = -1;
    let bestValue = -Infinity;
    for (let index = 0; index < count; index++) {
      if (taken[index]) continue;
      // the first remaining candidate is the default (as when every value is NaN or −∞)
      if (best < 0) best = index;
      const value = (1 - lambda) * candidates[index].relevance - lambda * redundancy[index];
      if (value > bestValue) {
        bestValue = value;
        best = index;
      }
    }
    taken[best] = 1;
    const choice = candidates[best];
    picked.push(choice);
    if (picked.length === k) break;
    for (let index = 0; index < count; index++) {
      if (taken[index]) continue;
      redundancy[index] = Math.max(redundancy[index], similarity(candidates[index].item, choice.item));
    }
  }
  return picked;
}

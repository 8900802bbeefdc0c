// Maximal marginal relevance: pick the next item by relevance minus its similarity
// to what is already picked. diversity = 0 is pure relevance order; 1 spreads the
// list as widely as the candidates allow.

export interface Candidate {
  item: number;
  /** relevance normalised to [0, 1] */
  relevance: number;
}

export function mmrRerank(
  candidates: readonly Candidate[],
  k: number,
  diversity: number,
  similarity: (a: number, b: number) => number,
): Candidate[] {
  const lambda = Math.min(1, Math.max(0, diversity));
  const remaining = [...candidates];
  const picked: Candidate[] = [];
  while (picked.length < k && remaining.length > 0) {
    let best = 0;
    let bestValue = -Infinity;
    remaining.forEach((candidate, index) => {
      const redundancy = picked.reduce((max, p) => Math.max(max, similarity(candidate.item, p.item)), 0);
      const value = (1 - lambda) * candidate.relevance - lambda * redundancy;
      if (value > bestValue) {
        bestValue = value;
        best = index;
      }
    });
    picked.push(remaining.splice(best, 1)[0]);
  }
  return picked;
}

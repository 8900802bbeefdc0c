// Held-out community behaviour: for a seeded sample of players, their last game is taken out
// of the training data. Every model (baselines included) trains without it, so the blend can
// be trained, and the model cards' HR@10 / NDCG@10 measured, on something no model has seen.
import type { InteractionMatrix } from '../../ml/interactions';
import { createRng, sampleWithoutReplacement } from '../../ml/random';

export interface HeldOutPlayer {
  user: number;
  /** the player's games before the held-out one, oldest first */
  history: number[];
  weights: number[];
  target: number;
}

export interface HeldOutSplit {
  train: InteractionMatrix;
  players: HeldOutPlayer[];
}

/**
 * Keep at most `maxUsers` players (seeded choice; all when undefined) — a quick training mode
 * trains on fewer — and hold out the last item of `sampleSize` of those with at least
 * `minLength` games. Users keep consecutive indices in the returned matrix.
 */
export function holdOutLastItems(
  matrix: InteractionMatrix,
  sampleSize: number,
  seed: number,
  options: { maxUsers?: number; minLength?: number } = {},
): HeldOutSplit {
  const rng = createRng(seed);
  const minLength = options.minLength ?? 3;
  const users = pickUsers(matrix.userCount, options.maxUsers, rng);
  const eligible = users.filter((u) => matrix.userOffsets[u + 1] - matrix.userOffsets[u] >= minLength);
  const heldOut = new Set(sampleWithoutReplacement(eligible, sampleSize, rng));
  const userOffsets = new Uint32Array(users.length + 1);
  // typed arrays of the most the split can hold, trimmed at the end: the store's community is
  // some 180k entries, and pushing them one by one into plain arrays cost more than the split
  const items = new Int32Array(matrix.items.length);
  const weights = new Float32Array(matrix.items.length);
  let length = 0;
  const players: HeldOutPlayer[] = [];
  users.forEach((u, newIndex) => {
    const start = matrix.userOffsets[u];
    let end = matrix.userOffsets[u + 1];
    if (heldOut.has(u)) {
      end -= 1;
      players.push({
        user: newIndex,
        history: Array.from(matrix.items.subarray(start, end)),
        weights: Array.from({ length: end - start }, (_, i) => matrix.weights?.[start + i] ?? 1),
        target: matrix.items[end],
      });
    }
    items.set(matrix.items.subarray(start, end), length);
    if (matrix.weights) weights.set(matrix.weights.subarray(start, end), length);
    else weights.fill(1, length, length + end - start);
    length += end - start;
    userOffsets[newIndex + 1] = length;
  });
  return {
    train: {
      userCount: users.length,
      itemCount: matrix.itemCount,
      userOffsets,
      items: items.slice(0, length),
      weights: weights.slice(0, length),
    },
    players,
  };
}

function pickUsers(
  userCount: number,
  maxUsers: number | undefined,
  rng: ReturnType<typeof createRng>,
): number[] {
  const all = Array.from({ length: userCount }, (_, u) => u);
  if (maxUsers === undefined || maxUsers >= userCount) return all;
  return sampleWithoutReplacement(all, maxUsers, rng).sort((a, b) => a - b);
}

/** HR@k and NDCG@k of one score function over held-out players (their history never counts). */
export function hitRateAndNdcg(
  players: readonly HeldOutPlayer[],
  score: (player: HeldOutPlayer) => Float32Array,
  k = 10,
): { hitRate: number; ndcg: number } {
  if (players.length === 0) return { hitRate: 0, ndcg: 0 };
  let hits = 0;
  let gain = 0;
  for (const player of players) {
    const scores = score(player);
    const seen = new Set(player.history);
    const targetScore = scores[player.target];
    // rank = how many unseen items score strictly higher, ties counted against the target
    let better = 0;
    for (let item = 0; item < scores.length && better < k; item++) {
      if (item === player.target || seen.has(item)) continue;
      if (!(scores[item] < targetScore)) better++;
    }
    if (better < k) {
      hits++;
      gain += 1 / Math.log2(better + 2);
    }
  }
  return { hitRate: hits / players.length, ndcg: gain / players.length };
}

/** HR@k and NDCG@k of each player on their own, for paired intervals (the rule of hitRateAndNdcg). */
export function perPlayerRanking(
  players: readonly HeldOutPlayer[],
  scoresOf: (index: number) => Float32Array,
  k = 10,
): { hits: Float64Array; ndcgs: Float64Array } {
  const hits = new Float64Array(players.length);
  const ndcgs = new Float64Array(players.length);
  players.forEach((player, index) => {
    const { hitRate, ndcg } = hitRateAndNdcg([player], () => scoresOf(index), k);
    hits[index] = hitRate;
    ndcgs[index] = ndcg;
  });
  return { hits, ndcgs };
}

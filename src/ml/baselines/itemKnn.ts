// Item-kNN on co-occurrence: two games are similar when the same players own or
// review both. Similarity is cosine over the (weighted) user columns with a
// shrinkage term, so a pair seen together by two players does not outrank a pair
// seen by two hundred. Only the top `neighbours` per item are kept (a sparse CSR
// table), which is what makes scoring a shopper cheap enough to run on every event.
import type { InteractionMatrix } from '../interactions';
import {
  topK,
  type ModelSnapshot,
  type Recommender,
  type RecommendFilter,
  type ScoredItem,
  type ShopperState,
  type TrainOptions,
} from '../recommender';
import { reportSinglePassFit } from './singlePassFit';

export interface ItemKnnConfig {
  /** neighbours kept per item */
  neighbours: number;
  /** cosine shrinkage: sim = dot / (|a||b| + shrink) */
  shrink: number;
  /** users with longer rows are truncated to their most recent items (bounds the O(n²) pair count) */
  maxItemsPerUser: number;
  /**
   * Scale each item's neighbour list so its best neighbour scores 1. Without it, one history
   * item whose players have tiny libraries (high cosines everywhere) drowns out the rest of a
   * shopper's history; with it, every history item gets an equal say. Order within a list is kept.
   */
  normalizeNeighbours: boolean;
  /**
   * Weight of a co-occurring pair by how close the two items sit in the player's sequence:
   * proximityDecay^(distance − 1). 1 counts every pair alike (ownership data, where order means
   * little); below 1, items bought one after the other count most (next-item data such as
   * amazon-beauty, where it is worth ~+10% NDCG@10).
   */
  proximityDecay: number;
  /**
   * Weight of a history item by its age when scoring: historyDecay^(items after it). 1 treats
   * the whole history alike; below 1 the latest items lead, as a next-item model needs.
   */
  historyDecay: number;
}

export const defaultItemKnnConfig: ItemKnnConfig = {
  neighbours: 50,
  shrink: 10,
  maxItemsPerUser: 200,
  normalizeNeighbours: false,
  proximityDecay: 1,
  historyDecay: 1,
};

/** Neighbour lists in CSR form: item i's neighbours are [offsets[i], offsets[i+1]). */
export interface NeighbourTable {
  offsets: Uint32Array;
  neighbours: Int32Array;
  similarities: Float32Array;
}

export class ItemKnnRecommender implements Recommender {
  readonly name = 'itemknn' as const;
  readonly config: ItemKnnConfig;
  private table: NeighbourTable = emptyTable(0);

  constructor(config: Partial<ItemKnnConfig> = {}) {
    this.config = { ...defaultItemKnnConfig, ...config };
  }

  get itemCount(): number {
    return this.table.offsets.length - 1;
  }

  async fit(data: InteractionMatrix, options?: TrainOptions): Promise<void> {
    const started = performance.now();
    this.table = buildNeighbourTable(data, this.config, options?.signal);
    reportSinglePassFit(options, data.items.length, started);
  }

  /** Neighbours of one item, most similar first. */
  neighboursOf(item: number): ScoredItem[] {
    const { offsets, neighbours, similarities } = this.table;
    const out: ScoredItem[] = [];
    for (let p = offsets[item]; p < offsets[item + 1]; p++) {
      out.push({ item: neighbours[p], score: similarities[p] });
    }
    return out;
  }

  /** sim(a, b) as stored in a's neighbour list (0 when b is not among them); allocation-free for hot paths. */
  similarity(a: number, b: number): number {
    const { offsets, neighbours, similarities } = this.table;
    for (let p = offsets[a]; p < offsets[a + 1]; p++) {
      if (neighbours[p] === b) return similarities[p];
    }
    return 0;
  }

  /** score(j) = Σ_h weight(h) · historyDecay^age(h) · sim(h, j) over the shopper's history h. */
  scoreAll(state: ShopperState): Float32Array {
    const scores = new Float32Array(this.itemCount);
    const { offsets, neighbours, similarities } = this.table;
    const { historyDecay } = this.config;
    const last = state.history.length - 1;
    state.history.forEach((item, index) => {
      if (item < 0 || item >= this.itemCount) return;
      const age = historyDecay === 1 ? 1 : historyDecay ** (last - index);
      const weight = (state.weights?.[index] ?? 1) * age;
      for (let p = offsets[item]; p < offsets[item + 1]; p++) {
        scores[neighbours[p]] += weight * similarities[p];
      }
    });
    return scores;
  }

  recommend(state: ShopperState, k: number, filter?: RecommendFilter): ScoredItem[] {
    return topK(this.scoreAll(state), k, filter);
  }

  similarItems(item: number, k: number, filter?: RecommendFilter): ScoredItem[] {
    return this.neighboursOf(item)
      .filter(
        (candidate) =>
          candidate.item !== item &&
          !filter?.exclude?.has(candidate.item) &&
          (!filter?.allow || filter.allow(candidate.item)),
      )
      .slice(0, k);
  }

  save(): ModelSnapshot {
    return {
      name: this.name,
      config: { ...this.config },
      arrays: {
        offsets: this.table.offsets.slice(),
        neighbours: this.table.neighbours.slice(),
        similarities: this.table.similarities.slice(),
      },
    };
  }

  load(snapshot: ModelSnapshot): void {
    Object.assign(this.config, snapshot.config);
    this.table = {
      offsets: Uint32Array.from(snapshot.arrays.offsets),
      neighbours: Int32Array.from(snapshot.arrays.neighbours),
      similarities: Float32Array.from(snapshot.arrays.similarities),
    };
  }

  dispose(): void {
    this.table = emptyTable(0);
  }
}

function emptyTable(itemCount: number): NeighbourTable {
  return {
    offsets: new Uint32Array(itemCount + 1),
    neighbours: new Int32Array(0),
    similarities: new Float32Array(0),
  };
}

/** Item → users CSR (the transpose), keeping each user's truncated row. */
function itemColumns(data: InteractionMatrix, maxItemsPerUser: number) {
  const rowStart = (u: number) => Math.max(data.userOffsets[u], data.userOffsets[u + 1] - maxItemsPerUser);
  const columnLengths = new Uint32Array(data.itemCount + 1);
  for (let u = 0; u < data.userCount; u++) {
    for (let p = rowStart(u); p < data.userOffsets[u + 1]; p++) columnLengths[data.items[p] + 1]++;
  }
  const offsets = new Uint32Array(data.itemCount + 1);
  for (let i = 0; i < data.itemCount; i++) offsets[i + 1] = offsets[i] + columnLengths[i + 1];
  const users = new Int32Array(offsets[data.itemCount]);
  const positions = new Int32Array(offsets[data.itemCount]);
  const cursor = offsets.slice(0, data.itemCount);
  for (let u = 0; u < data.userCount; u++) {
    for (let p = rowStart(u); p < data.userOffsets[u + 1]; p++) {
      const slot = cursor[data.items[p]]++;
      users[slot] = u;
      positions[slot] = p;
    }
  }
  return { offsets, users, positions, rowStart };
}

/**
 * Co-occurrence cosine, one item at a time with a dense scratch row: O(Σ_u n_u²)
 * time and O(items) extra memory, which for the store's data is well under a second.
 */
export function buildNeighbourTable(
  data: InteractionMatrix,
  config: ItemKnnConfig,
  signal?: AbortSignal,
): NeighbourTable {
  const weightAt = (p: number) => data.weights?.[p] ?? 1;
  const { items, weights, userOffsets } = data;
  const proximityDecay = config.proximityDecay ?? 1; // snapshots from before the option lack it
  const columns = itemColumns(data, config.maxItemsPerUser);
  // squared norm of each item column
  const norms = new Float32Array(data.itemCount);
  for (let i = 0; i < data.itemCount; i++) {
    let sum = 0;
    for (let c = columns.offsets[i]; c < columns.offsets[i + 1]; c++)
      sum += weightAt(columns.positions[c]) ** 2;
    norms[i] = Math.sqrt(sum);
  }
  const dot = new Float32Array(data.itemCount);
  const isTouched = new Uint8Array(data.itemCount);
  const touched: number[] = [];
  const best = new BestNeighbours(config.neighbours);
  const offsets = new Uint32Array(data.itemCount + 1);
  const neighbourChunks: Int32Array[] = [];
  const similarityChunks: Float32Array[] = [];
  for (let i = 0; i < data.itemCount; i++) {
    if (signal?.aborted) throw new DOMException('Training cancelled', 'AbortError');
    for (let c = columns.offsets[i]; c < columns.offsets[i + 1]; c++) {
      const user = columns.users[c];
      const at = columns.positions[c];
      const wi = weightAt(at);
      // the hot loop (Σ over users of their items squared): plain locals, no calls
      for (let p = columns.rowStart(user), end = userOffsets[user + 1]; p < end; p++) {
        const j = items[p];
        if (j === i) continue;
        if (!isTouched[j]) {
          isTouched[j] = 1;
          touched.push(j);
        }
        const w = weights === undefined ? 1 : weights[p];
        dot[j] += proximityDecay === 1 ? wi * w : wi * w * proximityDecay ** (Math.abs(p - at) - 1);
      }
    }
    best.clear();
    for (const j of touched) best.offer(j, dot[j] / (norms[i] * norms[j] + config.shrink));
    const kept = best.sorted();
    const scale = config.normalizeNeighbours && kept.length > 0 && kept[0].score > 0 ? 1 / kept[0].score : 1;
    neighbourChunks.push(Int32Array.from(kept, (c) => c.item));
    similarityChunks.push(Float32Array.from(kept, (c) => c.score * scale));
    offsets[i + 1] = offsets[i] + kept.length;
    for (const j of touched) {
      dot[j] = 0;
      isTouched[j] = 0;
    }
    touched.length = 0;
  }
  return {
    offsets,
    neighbours: concat(neighbourChunks, Int32Array),
    similarities: concat(similarityChunks, Float32Array),
  };
}

/**
 * The k best (score, item) pairs offered, best first: higher score, then lower item on a tie —
 * the order a full sort of every candidate gives, without building and sorting them all (an item
 * co-occurs with hundreds of others, and only the top k are kept). A min-heap whose root is the
 * worst pair kept.
 */
export class BestNeighbours {
  private readonly items: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.items = new Int32Array(k);
    this.scores = new Float64Array(k);
  }

  clear(): void {
    this.size = 0;
  }

  offer(item: number, score: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      this.items[this.size] = item;
      this.scores[this.size] = score;
      this.siftUp(this.size++);
    } else if (this.worse(0, item, score)) {
      this.items[0] = item;
      this.scores[0] = score;
      this.siftDown(0);
    }
  }

  sorted(): ScoredItem[] {
    const out: ScoredItem[] = [];
    for (let n = 0; n < this.size; n++) out.push({ item: this.items[n], score: this.scores[n] });
    return out.sort((a, b) => b.score - a.score || a.item - b.item);
  }

  /** whether the pair at heap slot `slot` ranks below (item, score) */
  private worse(slot: number, item: number, score: number): boolean {
    const kept = this.scores[slot];
    return kept < score || (kept === score && this.items[slot] > item);
  }

  private swap(a: number, b: number): void {
    const item = this.items[a];
    this.items[a] = this.items[b];
    this.items[b] = item;
    const score = this.scores[a];
    this.scores[a] = this.scores[b];
    this.scores[b] = score;
  }

  private siftUp(slot: number): void {
    while (slot > 0) {
      const parent = (slot - 1) >> 1;
      // the root holds the worst: move up while the parent ranks above this one
      if (!this.worse(slot, this.items[parent], this.scores[parent])) return;
      this.swap(slot, parent);
      slot = parent;
    }
  }

  private siftDown(slot: number): void {
    for (;;) {
      let worst = slot;
      const left = 2 * slot + 1;
      const right = left + 1;
      if (left < this.size && this.worse(left, this.items[worst], this.scores[worst])) worst = left;
      if (right < this.size && this.worse(right, this.items[worst], this.scores[worst])) worst = right;
      if (worst === slot) return;
      this.swap(slot, worst);
      slot = worst;
    }
  }
}

function concat<T extends Int32Array | Float32Array>(chunks: T[], Kind: { new (length: number): T }): T {
  const out = new Kind(chunks.reduce((sum, c) => sum + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

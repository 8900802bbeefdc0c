// The storefront's ranking: candidates from the models, blended, filtered by the
// business rules, diversified by MMR, each with the reason that produced it.
// Pure TypeScript (no tfjs): it runs in the worker after every shopper event.
// Until the learned models are ready "For you" is a fixed, documented blend of the baselines;
// once they are, it is the hybrid (hybrid.ts) and MF item vectors refine the item-to-item rows.
import { ItemKnnRecommender } from '../ml/baselines/itemKnn';
import { PopularityRecommender } from '../ml/baselines/popularity';
import type { InteractionMatrix } from '../ml/interactions';
import { topK, type ShopperState } from '../ml/recommender';
import { jaccard, JaccardCache, type CatalogIndex } from './catalogIndex';
import type { HybridWeights } from '../ml/blend/logisticBlend';
import { rankCandidates, type HybridFeature, type ScoreSources } from './hybrid';
import { mmrRerank, type Candidate } from './mmr';
import { excludedItems, filterPredicate } from './rules';
import { FixedRanking } from './topK';
import type { RankedItem, Reason, RowKey, ShopperSignals } from './types';

export interface StoreData {
  index: CatalogIndex;
  /** community interactions (one row per community user) */
  community: InteractionMatrix;
  /** weighted interaction counts in the most recent dated window, per item */
  recentCounts: Float32Array;
}

/** How much each signal counts in "For you". Visible and documented, not learned (yet). */
export const forYouBlend = { coOccurrence: 1, genreAffinity: 0.8, popularity: 0.15 } as const;

/** Candidates taken from the blended scores before MMR picks the final k. */
const candidatePool = 100;

/** Blended candidates MMR chooses the hybrid's k from. */
const hybridMmrPool = 60;

/** "Because you viewed X" score rows kept for reuse (one per X; 18 KB each for the store's catalog). */
const itemRowsKept = 8;

/** How much MF cosine similarity adds to the item-to-item rows once MF is trained. */
export const mfSimilarityWeight = 0.5;

/**
 * The trained models as the ranking path sees them: host-side scoring on Float32Arrays only
 * (MF folds the shopper in by a small ridge solve; the sequential model runs its forward pass
 * in plain JS), so a ranking never waits on the GPU or on training.
 */
export interface LearnedModels {
  mf: {
    scoreAll(state: ShopperState): Float32Array;
    /** cosine of every item's MF vector to `item`'s */
    cosineToAll(item: number): Float32Array;
    cosine(a: number, b: number): number;
  };
  sequential: { scoreAll(state: ShopperState): Float32Array };
  ranker: HybridWeights;
}

/** Which blend produced a "For you" row: the visible marker that the learned models are in use. */
export type RowBlend = 'hybrid' | 'baseline';

export class StoreRanker {
  readonly knn = new ItemKnnRecommender({ normalizeNeighbours: true });
  readonly popularity = new PopularityRecommender();
  private logPopularity = new Float32Array(0);
  private learned: LearnedModels | null = null;
  /** trending and popularity never change after fit: each is sorted once */
  private fixedRankings: FixedRanking[] = [];
  /**
   * "Because you viewed X" scores of the last few X (least recently used first): they depend
   * only on X and the models, and the row's X stays the same over many events on one page.
   */
  private readonly itemRows = new Map<number, Float32Array>();

  /** MMR's pair similarity (Jaccard over genres, tags, developer), remembered across events */
  private readonly pairSimilarity: JaccardCache;

  constructor(private readonly data: StoreData) {
    this.pairSimilarity = new JaccardCache(data.index.itemFeatures);
  }

  /** Switch "For you" to the hybrid (or back to the baselines with null). */
  useLearned(models: LearnedModels | null): void {
    this.learned = models;
    this.itemRows.clear();
    this.warmUp();
  }

  /**
   * Rank a few made-up shoppers, so the JavaScript engine has compiled the ranking path
   * before a real shopper waits on it (the first dozen rankings are otherwise several
   * times slower). Results are not kept anywhere but the caches, which hold true values.
   */
  warmUp(rounds = 12): void {
    const itemCount = this.data.index.itemCount;
    for (let round = 0; round < rounds && itemCount > 0; round++) {
      const history = [round, round + 7, round + 19].map((item) => item % itemCount);
      const signals: ShopperSignals = {
        history,
        weights: history.map(() => 1),
        verbs: history.map(() => 'viewed' as const),
        owned: [],
        inCart: [],
        hidden: [],
      };
      this.rankRows(
        [
          { key: 'becauseYouViewed', k: 10, item: history[2] },
          { key: 'forYou', k: 10 },
          { key: 'trending', k: 10 },
        ],
        signals,
        0.3,
      );
    }
  }

  get hybridActive(): boolean {
    return this.learned !== null;
  }

  async fit(): Promise<void> {
    await this.knn.fit(this.data.community);
    await this.popularity.fit(this.data.community);
    const counts = this.popularity.scoreAll();
    const maxLog = Math.log1p(Math.max(1, ...counts));
    this.logPopularity = counts.map((c) => Math.log1p(c) / maxLog);
    this.itemRows.clear();
    this.fixedRankings = [new FixedRanking(this.data.recentCounts), new FixedRanking(this.logPopularity)];
  }

  /**
   * Several rows for one page, in the order given; a game shown in an earlier row is
   * not repeated in a later one, so a page never shows the same shelf twice.
   */
  rankRows(
    rows: readonly { key: RowKey; k: number; item?: number }[],
    signals: ShopperSignals,
    diversity: number,
  ): { key: RowKey; item?: number; items: RankedItem[]; blend?: RowBlend }[] {
    const shown = new Set<number>();
    return rows.map((row) => {
      const items = this.rank(row.key, signals, row.k, diversity, row.item, shown);
      for (const ranked of items) shown.add(ranked.item);
      if (row.key !== 'forYou') return { key: row.key, item: row.item, items };
      return { key: row.key, item: row.item, items, blend: this.usesHybrid(signals) ? 'hybrid' : 'baseline' };
    });
  }

  /** The hybrid needs something to personalise from; a new shopper gets the popular games either way. */
  private usesHybrid(signals: ShopperSignals): boolean {
    return this.learned !== null && signals.history.length > 0;
  }

  rank(
    key: RowKey,
    signals: ShopperSignals,
    k: number,
    diversity: number,
    item?: number,
    alsoExclude: ReadonlySet<number> = new Set(),
  ): RankedItem[] {
    const exclude = excludedItems(signals);
    for (const shown of alsoExclude) exclude.add(shown);
    if (item !== undefined) exclude.add(item);
    const allow = filterPredicate(this.data.index, signals);
    switch (key) {
      case 'forYou':
        // "For you" is for discovery: games already looked at live in "Recently viewed"
        for (const seen of signals.history) exclude.add(seen);
        return this.forYou(signals, k, diversity, exclude, allow);
      case 'trending':
        return this.fromScores(this.data.recentCounts, k, diversity, exclude, allow, () => ({
          kind: 'trending',
        }));
      case 'becauseYouViewed':
      case 'alsoOwn': {
        if (item === undefined) return [];
        const verb = verbFor(signals, item);
        if (key === 'alsoOwn') {
          // "Players also own" is co-occurrence by definition: the baseline answers it
          const reason: Reason = { kind: 'ownedTogether', item };
          return this.knn
            .similarItems(item, k, { exclude, allow })
            .map((s) => ({ item: s.item, score: s.score, reason }));
        }
        const reason: Reason = { kind: 'becauseYouInteracted', item, verb };
        return topK(this.coOccurrenceWithMf(item), k, { exclude, allow }).map((s) => ({
          item: s.item,
          score: s.score,
          reason,
        }));
      }
      case 'similar':
        return item === undefined ? [] : this.similarByContent(item, k, exclude, allow);
    }
  }

  private forYou(
    signals: ShopperSignals,
    k: number,
    diversity: number,
    exclude: Set<number>,
    allow?: (item: number) => boolean,
  ): RankedItem[] {
    if (signals.history.length === 0) {
      return this.fromScores(this.logPopularity, k, diversity, exclude, allow, () => ({ kind: 'popular' }));
    }
    if (this.usesHybrid(signals)) return this.hybridForYou(signals, k, diversity, exclude, allow);
    const knnScores = this.knn.scoreAll(signals);
    const knnMax = Math.max(1e-9, ...knnScores);
    const affinity = this.genreAffinity(signals);
    const blended = new Float32Array(this.data.index.itemCount);
    for (let j = 0; j < blended.length; j++) {
      blended[j] =
        forYouBlend.coOccurrence * (knnScores[j] / knnMax) +
        forYouBlend.genreAffinity * this.affinityOf(j, affinity) +
        forYouBlend.popularity * this.logPopularity[j];
    }
    return this.diversify(blended, k, diversity, exclude, allow).map(({ item, relevance }) => ({
      item,
      score: relevance,
      reason: this.explainForYou(item, signals, knnScores[item] / knnMax, affinity),
    }));
  }

  /**
   * Every model's score for every item, for this shopper: what the hybrid blends, and what
   * the worker records for held-out community players when it trains the blend.
   */
  scoreSources(signals: ShopperSignals, learned: LearnedModels | null = this.learned): ScoreSources {
    const affinity = this.genreAffinity(signals);
    const genreScores = new Float32Array(this.data.index.itemCount);
    for (let j = 0; j < genreScores.length; j++) genreScores[j] = this.affinityOf(j, affinity);
    const state: ShopperState = { history: signals.history, weights: signals.weights };
    const sources: ScoreSources = {
      coOccurrence: this.knn.scoreAll(state),
      genreAffinity: genreScores,
      popularity: this.logPopularity,
    };
    if (learned) {
      sources.mf = learned.mf.scoreAll(state);
      sources.sequential = learned.sequential.scoreAll({ history: signals.history });
    }
    return sources;
  }

  private hybridForYou(
    signals: ShopperSignals,
    k: number,
    diversity: number,
    exclude: Set<number>,
    allow?: (item: number) => boolean,
  ): RankedItem[] {
    const learned = this.learned!;
    const sources = this.scoreSources(signals);
    // MMR is quadratic in k × pool: the blend's top 60 leave it plenty to diversify from
    const ranked = rankCandidates(learned.ranker, sources, { exclude, allow }).slice(0, hybridMmrPool);
    if (ranked.length === 0) return [];
    // MMR wants relevance in [0, 1]; blended logits can be negative
    const high = ranked[0].score;
    const low = ranked[ranked.length - 1].score;
    const span = high - low > 0 ? high - low : 1;
    const dominantOf = new Map(ranked.map((r) => [r.item, r.dominant]));
    const pairs = this.pairSimilarity;
    const picked = mmrRerank(
      ranked.map((r) => ({ item: r.item, relevance: (r.score - low) / span })),
      k,
      diversity,
      (a, b) => pairs.similarity(a, b),
    );
    const affinity = this.genreAffinity(signals);
    return picked.map(({ item, relevance }) => ({
      item,
      score: relevance,
      reason: this.explainHybrid(item, dominantOf.get(item) ?? null, signals, affinity),
    }));
  }

  /** The reason names the model whose weighted score contributed most, and what in the history drove it. */
  private explainHybrid(
    item: number,
    dominant: HybridFeature | null,
    signals: ShopperSignals,
    affinity: Float32Array,
  ): Reason {
    switch (dominant) {
      case 'coOccurrence': {
        const source = this.strongestSource(item, signals);
        if (source !== undefined)
          return { kind: 'becauseYouInteracted', item: source, verb: verbFor(signals, source) };
        break;
      }
      case 'mf': {
        const source = this.closestByMf(item, signals);
        if (source !== undefined) return { kind: 'ownedTogether', item: source };
        break;
      }
      case 'sequential':
        return { kind: 'oftenNext', item: signals.history[signals.history.length - 1] };
      case 'genreAffinity':
      case 'popularity':
      case null:
        break;
    }
    if (this.affinityOf(item, affinity) > 0) return this.genreReason(item, affinity);
    return { kind: 'popular' };
  }

  /** The history item whose MF vector is closest to `item` (weighted by the shopper's confidence). */
  private closestByMf(item: number, signals: ShopperSignals): number | undefined {
    const mf = this.learned?.mf;
    if (!mf) return undefined;
    let best: number | undefined;
    let bestValue = 0;
    signals.history.forEach((h, i) => {
      const value = mf.cosine(item, h) * signals.weights[i];
      if (value > bestValue) {
        bestValue = value;
        best = h;
      }
    });
    return best;
  }

  /** Cosine of every item's MF vector to `item`'s (zeros before MF is trained). */
  private mfCosine(item: number): Float32Array {
    return this.learned ? this.learned.mf.cosineToAll(item) : new Float32Array(this.data.index.itemCount);
  }

  /**
   * Normalised co-occurrence, plus MF cosine once MF is trained (it also knows cold items'
   * features). Read only: the row is kept and reused for the next events.
   */
  private coOccurrenceWithMf(item: number): Float32Array {
    const cached = this.itemRows.get(item);
    if (cached) {
      this.itemRows.delete(item);
      this.itemRows.set(item, cached);
      return cached;
    }
    const scores = this.computeCoOccurrenceWithMf(item);
    this.itemRows.set(item, scores);
    if (this.itemRows.size > itemRowsKept) this.itemRows.delete(this.itemRows.keys().next().value!);
    return scores;
  }

  private computeCoOccurrenceWithMf(item: number): Float32Array {
    const scores = new Float32Array(this.data.index.itemCount);
    const neighbours = this.knn.neighboursOf(item);
    const top = neighbours[0]?.score ?? 0;
    for (const n of neighbours) if (top > 0) scores[n.item] = n.score / top;
    if (!this.learned) {
      // without MF only co-occurring games qualify, as before
      for (let j = 0; j < scores.length; j++) if (scores[j] <= 0) scores[j] = Number.NEGATIVE_INFINITY;
      return scores;
    }
    const cosine = this.mfCosine(item);
    for (let j = 0; j < scores.length; j++) scores[j] += mfSimilarityWeight * cosine[j];
    scores[item] = Number.NEGATIVE_INFINITY;
    return scores;
  }

  /** The shopper's weight on each genre relative to their strongest one, e.g. [Strategy: 1, Indie: 0.4]. */
  genreAffinity(signals: ShopperSignals): Float32Array {
    const affinity = new Float32Array(this.data.index.genres.length);
    let total = 0;
    signals.history.forEach((item, i) => {
      for (const g of this.data.index.itemGenres[item] ?? []) {
        affinity[g] += signals.weights[i];
        total += signals.weights[i];
      }
    });
    // relative to the shopper's strongest genre, so their main interest counts fully
    const strongest = Math.max(0, ...affinity);
    return total > 0 && strongest > 0 ? affinity.map((a) => a / strongest) : affinity;
  }

  private affinityOf(item: number, affinity: Float32Array): number {
    const genres = this.data.index.itemGenres[item];
    if (genres.length === 0) return 0;
    let best = 0;
    for (const g of genres) best = Math.max(best, affinity[g]);
    return best;
  }

  /** The reason is whichever term contributed most to the item's blended score. */
  private explainForYou(
    item: number,
    signals: ShopperSignals,
    knnPart: number,
    affinity: Float32Array,
  ): Reason {
    const affinityPart = forYouBlend.genreAffinity * this.affinityOf(item, affinity);
    const coPart = forYouBlend.coOccurrence * knnPart;
    if (coPart > 0 && coPart >= affinityPart) {
      const source = this.strongestSource(item, signals);
      if (source !== undefined) {
        return { kind: 'becauseYouInteracted', item: source, verb: verbFor(signals, source) };
      }
    }
    if (affinityPart > 0) return this.genreReason(item, affinity);
    return { kind: 'popular' };
  }

  private genreReason(item: number, affinity: Float32Array): Reason {
    const genres = this.data.index.itemGenres[item];
    const top = genres.reduce((best, g) => (affinity[g] > affinity[best] ? g : best), genres[0]);
    return { kind: 'genreInterest', genre: this.data.index.genres[top] };
  }

  /** The history item whose weighted similarity to `item` is largest. */
  private strongestSource(item: number, signals: ShopperSignals): number | undefined {
    let best: number | undefined;
    let bestValue = 0;
    signals.history.forEach((h, i) => {
      const sim = this.knn.similarity(h, item);
      if (sim * signals.weights[i] > bestValue) {
        bestValue = sim * signals.weights[i];
        best = h;
      }
    });
    return best;
  }

  private similarByContent(
    item: number,
    k: number,
    exclude: Set<number>,
    allow?: (item: number) => boolean,
  ): RankedItem[] {
    const { itemFeatures, featureNames } = this.data.index;
    const scores = new Float32Array(this.data.index.itemCount);
    const target = itemFeatures[item];
    // content similarity, with a small popularity tie-breaker so obscure near-duplicates don't crowd the row
    const cosine = this.mfCosine(item);
    for (let j = 0; j < scores.length; j++)
      scores[j] =
        jaccard(target, itemFeatures[j]) + 0.05 * this.logPopularity[j] + mfSimilarityWeight * cosine[j];
    return topK(scores, k, { exclude, allow }).map((s) => {
      const shared = intersect(target, itemFeatures[s.item])
        .map((f) => featureNames[f])
        .slice(0, 3);
      return { item: s.item, score: s.score, reason: { kind: 'sharesTags', item, tags: shared } };
    });
  }

  private fromScores(
    scores: Float32Array,
    k: number,
    diversity: number,
    exclude: Set<number>,
    allow: ((item: number) => boolean) | undefined,
    reason: () => Reason,
  ): RankedItem[] {
    return this.diversify(scores, k, diversity, exclude, allow).map((c) => ({
      item: c.item,
      score: c.relevance,
      reason: reason(),
    }));
  }

  private diversify(
    scores: Float32Array,
    k: number,
    diversity: number,
    exclude: Set<number>,
    allow?: (item: number) => boolean,
  ): Candidate[] {
    const size = Math.max(k, candidatePool);
    const fixed = this.fixedRankings.find((ranking) => ranking.isOf(scores));
    const pool = fixed ? fixed.topK(size, { exclude, allow }) : topK(scores, size, { exclude, allow });
    const top = pool[0]?.score ?? 1;
    const candidates = pool.map((s) => ({ item: s.item, relevance: top > 0 ? s.score / top : 0 }));
    const pairs = this.pairSimilarity;
    return mmrRerank(candidates, k, diversity, (a, b) => pairs.similarity(a, b));
  }
}

function verbFor(signals: ShopperSignals, item: number): 'viewed' | 'bought' | 'liked' | 'added' {
  const at = signals.history.indexOf(item);
  return at >= 0 ? signals.verbs[at] : 'viewed';
}

function intersect(a: Int32Array, b: Int32Array): number[] {
  const set = new Set(b);
  return Array.from(a).filter((x) => set.has(x));
}

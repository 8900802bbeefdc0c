// The storefront's ranking: candidates from the models, blended, filtered by the
// business rules, diversified by MMR, each with the reason that produced it.
// Pure TypeScript (no tfjs): it runs in the worker after every shopper event.
// Until the learned models are ready "For you" is a fixed, documented blend of the baselines;
// once they are, it is the hybrid (hybrid.ts) and MF item vectors refine the item-to-item rows.
import { ItemKnnRecommender } from '../ml/baselines/itemKnn';
import { storeKnnConfig } from './storeKnnConfig';
import { PopularityRecommender } from '../ml/baselines/popularity';
import type { InteractionMatrix } from '../ml/interactions';
import { topK, type ModelSnapshot } from '../ml/recommender';
import { jaccard, JaccardCache, type CatalogIndex } from './catalogIndex';
import { CoOwnership } from './coOwnership';
import { latestGameCounts, logScaled } from './communitySignals';
import { affinityOf, genreAffinity } from './genreAffinity';
import {
  componentCandidates,
  rankCandidates,
  rankComponent,
  storeBlendColumns,
  type ScoreSources,
} from './hybrid';
import { scoreSources, type LearnedModels } from './scoreSources';
import { mmrRerank, type Candidate } from './mmr';
import { explainForYou, explainHybrid, sharedFeatureNames, verbFor, type ReasonContext } from './reasons';
import {
  bothAllow,
  compilePreferences,
  noPreferences,
  withPreferences,
  type CompiledPreferences,
} from './preferences';
import { excludedItems, filterPredicate } from './rules';
import { viewedSignals } from './signals';
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

/** Which blend produced a "For you" row: the visible marker that the learned models are in use. */
export type RowBlend = 'hybrid' | 'baseline';

/** One row's request as it passes through the ranking steps: for whom, how many, and what may not appear. */
interface RowRequest {
  signals: ShopperSignals;
  k: number;
  diversity: number;
  exclude: Set<number>;
  allow?: (item: number) => boolean;
  /** the shopper's boosts and popularity choice ("For you" only; mutes are already in allow) */
  preferences: CompiledPreferences;
}

export class StoreRanker {
  readonly knn = new ItemKnnRecommender(storeKnnConfig);
  readonly popularity = new PopularityRecommender();
  private logPopularity = new Float32Array(0);
  /** how often each game is a community player's latest one, log-scaled to [0, 1] */
  private lastChoice = new Float32Array(0);
  /** the dated window's counts, log-scaled to [0, 1] */
  private logTrending = new Float32Array(0);
  private learned: LearnedModels | null = null;
  /** which co-occurring games are specifically related, for the "Because you viewed X" reasons; built by fit */
  private coOwnership: CoOwnership | null = null;
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
  /** the learned models "For you" uses now, null before they exist */
  get learnedModels(): LearnedModels | null {
    return this.learned;
  }

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
      const signals = warmUpSignals(round, itemCount);
      const history = signals.history;
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

  /**
   * `neighbours`: the kNN table (knn.save()) a previous visit fitted on the same community and
   * configuration, loaded instead of fitted again (the fit is most of the store's start-up).
   */
  async fit(neighbours?: ModelSnapshot): Promise<void> {
    if (neighbours) this.knn.load(neighbours);
    else await this.knn.fit(this.data.community);
    await this.popularity.fit(this.data.community);
    this.coOwnership = new CoOwnership(this.data.community);
    this.logPopularity = logScaled(this.popularity.scoreAll());
    this.lastChoice = logScaled(latestGameCounts(this.data.community));
    this.logTrending = logScaled(this.data.recentCounts);
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
  private usesHybrid(signals: ShopperSignals, learned = this.learned): boolean {
    return learned !== null && signals.history.length > 0;
  }

  /**
   * "For you" exactly as `rank('forYou', …)` serves it (rules, blend or served component, MMR,
   * reasons), but with `learned` in place of the models in use and without touching them: how the
   * worker measures the blend, each component and the baselines on held-out players while shoppers
   * keep being served. `sources` may pass this shopper's scoreSources(signals, learned) computed once.
   */
  rankForYouWith(
    learned: LearnedModels | null,
    signals: ShopperSignals,
    k: number,
    diversity: number,
    sources?: ScoreSources,
  ): RankedItem[] {
    const exclude = excludedItems(signals);
    for (const seen of signals.history) exclude.add(seen);
    const preferences = compilePreferences(this.data.index, signals.preferences);
    const personal = preferences.restricts ? preferences.allows : undefined;
    const allow = bothAllow(filterPredicate(this.data.index, signals), personal);
    return this.forYou({ signals, k, diversity, exclude, allow, preferences }, learned, sources);
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
    const preferences = compilePreferences(this.data.index, signals.preferences);
    // Trending is the community's chart, the same for everyone: the profile's mutes and ceiling
    // shape only the rows made for this shopper
    const personal = key !== 'trending' && preferences.restricts ? preferences.allows : undefined;
    const request: RowRequest = {
      signals,
      k,
      diversity,
      exclude,
      allow: bothAllow(filterPredicate(this.data.index, signals), personal),
      preferences,
    };
    switch (key) {
      case 'forYou':
        // "For you" is for discovery: games already looked at live in "Recently viewed"
        for (const seen of signals.history) exclude.add(seen);
        return this.forYou(request);
      case 'trending':
        return this.fromScores(this.data.recentCounts, request, { kind: 'trending' });
      case 'becauseYouViewed':
      case 'alsoOwn': {
        if (item === undefined) return [];
        if (key === 'alsoOwn') {
          // "Players also own" is co-occurrence by definition: the baseline answers it
          const reason: Reason = { kind: 'ownedTogether', item };
          return this.knn
            .similarItems(item, k, request)
            .map((s) => ({ item: s.item, score: s.score, reason }));
        }
        const reason: Reason = { kind: 'becauseYouInteracted', item, verb: verbFor(signals, item) };
        return topK(this.coOccurrenceWithMf(item), k, request).map((s) => ({
          item: s.item,
          score: s.score,
          reason,
        }));
      }
      case 'similar':
        return item === undefined ? [] : this.similarByContent(item, request);
    }
  }

  private forYou(request: RowRequest, learned = this.learned, sources?: ScoreSources): RankedItem[] {
    const { signals, preferences } = request;
    if (signals.history.length === 0) {
      if (!preferences.adjusts) return this.fromScores(this.logPopularity, request, { kind: 'popular' });
      // a new shopper who picked genres to start from: popular games, the picked ones first
      return this.fromScores(withPreferences(this.logPopularity, preferences, this.logPopularity), request, {
        kind: 'popular',
      });
    }
    if (learned && this.usesHybrid(signals, learned)) return this.hybridForYou(request, learned, sources);
    const { index } = this.data;
    const knnScores = this.knn.scoreAll(signals);
    const knnMax = Math.max(1e-9, ...knnScores);
    const context = this.reasonContext(signals, learned);
    const coOccurrencePart = (j: number) => forYouBlend.coOccurrence * (knnScores[j] / knnMax);
    const genrePart = (j: number) => forYouBlend.genreAffinity * affinityOf(index, j, context.affinity);
    const blended = new Float32Array(index.itemCount);
    for (let j = 0; j < blended.length; j++) {
      blended[j] = coOccurrencePart(j) + genrePart(j) + forYouBlend.popularity * this.logPopularity[j];
    }
    const scores = preferences.adjusts ? withPreferences(blended, preferences, this.logPopularity) : blended;
    return this.diversify(scores, request).map(({ item, relevance }) => ({
      item,
      score: relevance,
      reason: explainForYou(
        item,
        { coOccurrence: coOccurrencePart(item), genreAffinity: genrePart(item) },
        context,
      ),
    }));
  }

  /** What this shopper's reasons are chosen from, with the models as they are now. */
  private reasonContext(signals: ShopperSignals, learned = this.learned): ReasonContext {
    const { knn, coOwnership } = this;
    return {
      index: this.data.index,
      signals,
      affinity: genreAffinity(this.data.index, signals),
      coOccurrence: (source, item) => knn.similarity(source, item),
      association: (source, item) => coOwnership?.association(source, item) ?? 1,
      isSpecific: (source, item) => coOwnership?.isSpecific(source, item) ?? false,
      mf: learned?.mf ?? null,
    };
  }

  /**
   * Every model's score for every item, for this shopper: what the hybrid blends, and what
   * the worker records for held-out community players when it trains the blend.
   */
  scoreSources(signals: ShopperSignals, learned: LearnedModels | null = this.learned): ScoreSources {
    const { index } = this.data;
    const fitted = {
      index,
      knn: this.knn,
      popularity: this.logPopularity,
      lastChoice: this.lastChoice,
      trending: this.logTrending,
    };
    return scoreSources(fitted, signals, learned);
  }

  private hybridForYou(
    request: RowRequest,
    learned: LearnedModels,
    sources = this.scoreSources(request.signals, learned),
  ): RankedItem[] {
    const { signals, k, diversity, preferences } = request;
    // A served component goes through the same rules, preferences and MMR, and its own reasons,
    // as the blend would; it proposes as many candidates as the blend's pool holds at most.
    const blended =
      learned.serves === 'blend'
        ? rankCandidates(learned.ranker, sources, request, learned.columns ?? storeBlendColumns)
        : rankComponent(learned.serves, sources, componentCandidates, request);
    if (blended.length === 0) return [];
    // MMR wants relevance in [0, 1]; blended logits can be negative
    const high = blended[0].score;
    const low = blended[blended.length - 1].score;
    const span = high - low > 0 ? high - low : 1;
    const relevant = blended.map((r) => ({
      item: r.item,
      dominant: r.dominant,
      relevance:
        (r.score - low) / span +
        (preferences.adjusts ? preferences.adjustment(r.item, this.logPopularity[r.item]) : 0),
    }));
    if (preferences.adjusts) relevant.sort((a, b) => b.relevance - a.relevance || a.item - b.item);
    // MMR is quadratic in k × pool: the blend's top 60 leave it plenty to diversify from
    const ranked = relevant.slice(0, hybridMmrPool);
    // rescaled over the pool MMR sees, so its weakest candidate is 0 and its best 1
    const floor = ranked[ranked.length - 1].relevance;
    const ceiling = ranked[0].relevance - floor || 1;
    const dominantOf = new Map(ranked.map((r) => [r.item, r.dominant]));
    const pairs = this.pairSimilarity;
    const picked = mmrRerank(
      ranked.map((r) => ({ item: r.item, relevance: (r.relevance - floor) / ceiling })),
      k,
      diversity,
      (a, b) => pairs.similarity(a, b),
    );
    const context = this.reasonContext(signals, learned);
    return picked.map(({ item, relevance }) => ({
      item,
      score: relevance,
      reason: explainHybrid(item, dominantOf.get(item) ?? null, context),
    }));
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
      // without MF, co-occurrence is the only evidence two games are alike: a game that never
      // co-occurs with this one has none, so it does not qualify
      for (let j = 0; j < scores.length; j++) if (scores[j] <= 0) scores[j] = Number.NEGATIVE_INFINITY;
      return scores;
    }
    const cosine = this.mfCosine(item);
    for (let j = 0; j < scores.length; j++) scores[j] += mfSimilarityWeight * cosine[j];
    scores[item] = Number.NEGATIVE_INFINITY;
    return scores;
  }

  private similarByContent(item: number, request: RowRequest): RankedItem[] {
    const { index } = this.data;
    const { itemFeatures } = index;
    const scores = new Float32Array(this.data.index.itemCount);
    const target = itemFeatures[item];
    // content similarity, with a small popularity tie-breaker so obscure near-duplicates don't crowd the row
    const cosine = this.mfCosine(item);
    for (let j = 0; j < scores.length; j++)
      scores[j] =
        jaccard(target, itemFeatures[j]) + 0.05 * this.logPopularity[j] + mfSimilarityWeight * cosine[j];
    return topK(scores, request.k, request).map((s) => ({
      item: s.item,
      score: s.score,
      reason: { kind: 'sharesTags', item, tags: sharedFeatureNames(index, item, s.item) },
    }));
  }

  /** A row whose every item has the same reason (trending, popular). */
  private fromScores(scores: Float32Array, request: RowRequest, reason: Reason): RankedItem[] {
    return this.diversify(scores, request).map((c) => ({
      item: c.item,
      score: c.relevance,
      reason: { ...reason },
    }));
  }

  private diversify(scores: Float32Array, { k, diversity, exclude, allow }: RowRequest): Candidate[] {
    const size = Math.max(k, candidatePool);
    const fixed = this.fixedRankings.find((ranking) => ranking.isOf(scores));
    const pool = fixed ? fixed.topK(size, { exclude, allow }) : topK(scores, size, { exclude, allow });
    const top = pool[0]?.score ?? 1;
    const candidates = pool.map((s) => ({ item: s.item, relevance: top > 0 ? s.score / top : 0 }));
    const pairs = this.pairSimilarity;
    return mmrRerank(candidates, k, diversity, (a, b) => pairs.similarity(a, b));
  }
}

/**
 * The made-up shopper of warm-up round `round`: three viewed games, and in every other round what
 * a card's feedback adds (a liked game, a hidden one, a niche or popular choice), so the branches a
 * click's ranking takes are compiled before the first click rather than during it: views alone
 * left the first feedback click's ranking the slowest of a bench run (docs/benchmarks.md,
 * "Cheaper cards").
 */
export function warmUpSignals(round: number, itemCount: number): ShopperSignals {
  const history = [round, round + 7, round + 19].map((item) => item % itemCount);
  const viewed = viewedSignals(history);
  if (round % 2 === 0) return viewed;
  return {
    ...viewed,
    weights: [1, 2, 1],
    verbs: ['viewed', 'liked', 'viewed'],
    hidden: [(round + 3) % itemCount],
    preferences: { ...noPreferences(), popularity: round % 4 === 1 ? 0.2 : 0.8 },
  };
}

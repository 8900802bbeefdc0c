// Why a game is on the shelf, chosen from what produced its score: the history game that
// co-occurs with it, the one closest in MF space, the latest game for the sequential model,
// a genre the shopper likes, or plain popularity. explain.ts turns these into words.
import type { CatalogIndex } from './catalogIndex';
import { affinityOf } from './genreAffinity';
import type { HybridFeature } from './hybrid';
import type { Reason, ShopperSignals } from './types';

/** What the reasons of one row are chosen from. */
export interface ReasonContext {
  index: CatalogIndex;
  signals: ShopperSignals;
  /** the shopper's genreAffinity */
  affinity: Float32Array;
  /** co-occurrence similarity of history item `source` to `item` as the ranking used it (0: none) */
  coOccurrence(source: number, item: number): number;
  /** how much more often owners of `source` own `item` than their libraries explain (lift, shrunk toward 1) */
  association(source: number, item: number): number;
  /** whether `item` is specifically related to `source`, not merely popular among everyone */
  isSpecific(source: number, item: number): boolean;
  /** MF once trained: cosine of two items' vectors */
  mf: { cosine(a: number, b: number): number } | null;
}

export type Verb = ShopperSignals['verbs'][number];

/** The verb of the shopper's strongest action on a history item ('viewed' for anything else). */
export function verbFor(signals: ShopperSignals, item: number): Verb {
  const at = signals.history.indexOf(item);
  return at >= 0 ? signals.verbs[at] : 'viewed';
}

/** What co-occurrence and genre affinity each added to an item's score in the baseline blend. */
export interface BaselineContributions {
  coOccurrence: number;
  genreAffinity: number;
}

/**
 * The baseline blend's reason: whichever term contributed most to the item's score. When
 * co-occurrence did but no history game is specifically related, the item co-occurs with
 * everything: it is there for being popular, and says so.
 */
export function explainForYou(item: number, parts: BaselineContributions, context: ReasonContext): Reason {
  if (parts.coOccurrence > 0 && parts.coOccurrence >= parts.genreAffinity) {
    return becauseOfOrPopular(item, context);
  }
  return genreOrPopular(item, context);
}

/** The learned blend's reason names the model whose weighted score contributed most, and what in the history drove it. */
export function explainHybrid(item: number, dominant: HybridFeature | null, context: ReasonContext): Reason {
  const { signals } = context;
  switch (dominant) {
    case 'coOccurrence':
    case 'recentCoOccurrence':
      return becauseOfOrPopular(item, context);
    case 'mf': {
      const source = closestByMf(item, context);
      if (source !== undefined) return { kind: 'ownedTogether', item: source };
      break;
    }
    case 'sequential':
    case 'profile':
      return { kind: 'oftenNext', item: signals.history[signals.history.length - 1] };
    case 'genreAffinity':
    case 'profileGenres':
    case 'popularity':
    case 'lastChoice':
    case 'trending':
    case null:
      break;
  }
  return genreOrPopular(item, context);
}

function becauseOfOrPopular(item: number, context: ReasonContext): Reason {
  const source = strongestSource(item, context);
  if (source === undefined) return { kind: 'popular' };
  return { kind: 'becauseYouInteracted', item: source, verb: verbFor(context.signals, source) };
}

function genreOrPopular(item: number, context: ReasonContext): Reason {
  if (affinityOf(context.index, item, context.affinity) > 0) return genreReason(item, context);
  return { kind: 'popular' };
}

/** The item's genre the shopper likes most. */
export function genreReason(item: number, { index, affinity }: ReasonContext): Reason {
  const genres = index.itemGenres[item];
  const top = genres.reduce((best, g) => (affinity[g] > affinity[best] ? g : best), genres[0]);
  return { kind: 'genreInterest', genre: index.genres[top] };
}

/**
 * Among the history games whose co-occurrence put `item` in the ranking, the one most
 * specifically related to it (association times the shopper's confidence); undefined when
 * none is specifically related.
 */
export function strongestSource(item: number, context: ReasonContext): number | undefined {
  const { signals, coOccurrence, association, isSpecific } = context;
  let best: number | undefined;
  let bestValue = 0;
  signals.history.forEach((h, i) => {
    if (coOccurrence(h, item) <= 0 || !isSpecific(h, item)) return;
    const value = association(h, item) * signals.weights[i];
    if (value > bestValue) {
      bestValue = value;
      best = h;
    }
  });
  return best;
}

/** The history item whose MF vector is closest to `item` (weighted by the shopper's confidence). */
export function closestByMf(item: number, { signals, mf }: ReasonContext): number | undefined {
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

/**
 * The first `limit` distinct names of the features (genres, tags, developer) two items share.
 * A genre is often a tag too ("Action" both ways), and tags differ in case ("multiplayer"):
 * each word is said once, as first spelt.
 */
export function sharedFeatureNames(index: CatalogIndex, a: number, b: number, limit = 3): string[] {
  const theirs = new Set(index.itemFeatures[b]);
  const names: string[] = [];
  const said = new Set<string>();
  for (const feature of index.itemFeatures[a]) {
    if (names.length === limit) break;
    if (!theirs.has(feature)) continue;
    const name = index.featureNames[feature];
    if (said.has(name.toLowerCase())) continue;
    said.add(name.toLowerCase());
    names.push(name);
  }
  return names;
}

// Names a shopper reads for the places and rankers the events record.
import type { ShopperEvent } from '../../data/types';

const rowLabels: Readonly<Record<string, string>> = {
  'home:forYou': 'For you',
  'home:becauseYouViewed': 'Because you viewed',
  'home:trending': 'Trending',
  'product:similar': 'Similar games',
  'product:alsoOwn': 'Players also own',
};

/** 'home:forYou' → 'For you'; an unknown placement is shown as recorded. */
export const rowLabel = (placement: string): string => rowLabels[placement] ?? placement;

const pageLabels: Readonly<Record<string, string>> = {
  home: 'Home',
  game: 'Product',
  cart: 'Cart',
  checkout: 'Checkout',
  browse: 'Browse',
  search: 'Search',
  data: 'Your data',
  insights: 'Your shopping',
  about: 'About',
  lab: 'Lab',
  bench: 'Benchmark',
  notFound: 'Not found',
};

/** A route name ('game') → the page's name ('Product'). */
export const pageLabel = (page: string): string => pageLabels[page] ?? page;

/** Which ranking ordered a row; "For you" names its blend, every other row has one fixed ranker. */
export type RowModel =
  'learned blend' | 'baseline blend' | 'co-occurrence' | 'popularity' | 'content' | 'item k-NN';

const fixedRowModels: Readonly<Record<string, RowModel>> = {
  'home:becauseYouViewed': 'co-occurrence',
  'home:trending': 'popularity',
  'product:similar': 'content',
  'product:alsoOwn': 'item k-NN',
};

/**
 * The model recorded with a recommendation's events. "For you" is ranked by the learned blend
 * once training has finished and by the fixed baseline blend before; undefined for a row this
 * list does not know, so the event says nothing rather than something wrong.
 */
export function rowModel(placement: string, blend?: 'hybrid' | 'baseline'): RowModel | undefined {
  if (placement === 'home:forYou') return blend === 'hybrid' ? 'learned blend' : 'baseline blend';
  return fixedRowModels[placement];
}

/** Events in the order they happened; equal times keep their stored (id) or recorded order. */
export function inTimeOrder(events: readonly ShopperEvent[]): ShopperEvent[] {
  return [...events].sort((a, b) => a.at - b.at || (a.id ?? 0) - (b.id ?? 0));
}

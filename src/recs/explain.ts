// A recommendation's reason in words. The reason comes from what actually produced
// the score (storeRanker.ts), never from a template picked after the fact.
import type { Reason } from './types';

const verbText = { viewed: 'viewed', bought: 'bought', liked: 'liked', added: 'added' } as const;

export function explain(reason: Reason, titleOf: (item: number) => string): string {
  switch (reason.kind) {
    case 'becauseYouInteracted':
      return `Because you ${verbText[reason.verb]} ${titleOf(reason.item)}`;
    case 'ownedTogether':
      return `Popular with players who own ${titleOf(reason.item)}`;
    case 'oftenNext':
      return `Often next after ${titleOf(reason.item)}`;
    case 'genreInterest':
      return `Matches your interest in ${reason.genre}`;
    case 'sharesTags':
      return reason.tags.length > 0 ? `Also ${reason.tags.join(', ')}` : `Like ${titleOf(reason.item)}`;
    case 'trending':
      return 'Trending with players lately';
    case 'popular':
      return 'Popular with players';
  }
}

// "Why this?" on a recommended card: the profile features that put the game there, with
// their weights, and what the shopper could do to remove it. Pure, from the card's reason,
// the profile as the worker last published it, and the shopper's preferences.
import type { AffinityDimension } from '../data/profileTypes';
import type { Game } from '../data/types';
import { explain } from './explain';
import { neutralPopularity, popularityTiltWeight, profileBoostWeight } from './preferences';
import type { ProfileView } from './profile';
import type { Reason, ShopperPreferences } from './types';

export interface WhyFeature {
  label: string;
  /** the feature's weight as the profile or the ranker counts it; null when it has none */
  weight: number | null;
}

export interface WhyThis {
  features: WhyFeature[];
  /** what would take the game out of the shopper's rows */
  removers: string[];
}

/** Tags named at most: a game carries up to twenty. */
const tagsShown = 3;

export function whyThis(
  game: Game,
  reason: Reason,
  view: ProfileView | null,
  preferences: ShopperPreferences | undefined,
  titleOf: (item: number) => string,
): WhyThis {
  const features: WhyFeature[] = [{ label: explain(reason, titleOf), weight: null }];
  const weightOf = (dimension: AffinityDimension, value: string) =>
    view?.affinities[dimension].find((a) => a.value === value)?.weight ?? 0;
  const profiled = (dimension: 'genre' | 'tag' | 'developer', values: readonly string[]) =>
    values
      .map((value) => ({ label: `your ${dimension} ${value}`, weight: weightOf(dimension, value) }))
      .filter((feature) => feature.weight !== 0);
  features.push(
    ...profiled('genre', game.genres),
    ...profiled('tag', game.tags)
      .sort((a, b) => b.weight! - a.weight!)
      .slice(0, tagsShown),
    ...profiled('developer', game.developer ? [game.developer] : []),
  );
  if (preferences) {
    for (const dimension of ['genre', 'tag', 'developer'] as const) {
      const carried =
        dimension === 'developer' ? [game.developer] : game[dimension === 'genre' ? 'genres' : 'tags'];
      for (const value of preferences.boosted[dimension].filter((v) => carried.includes(v))) {
        features.push({ label: `you boosted ${dimension} ${value}`, weight: profileBoostWeight });
      }
    }
    if (preferences.popularity !== neutralPopularity) {
      const tilt = (preferences.popularity - neutralPopularity) * 2 * popularityTiltWeight;
      features.push({ label: `popularity counts ${tilt > 0 ? 'more' : 'less'} (your choice)`, weight: tilt });
    }
  }

  const removers = [
    ...game.genres.map((genre) => `mute genre ${genre}`),
    ...(game.developer ? [`mute developer ${game.developer}`] : []),
  ];
  if (game.price !== null && game.price > 0) removers.push(`a price ceiling under $${game.price.toFixed(2)}`);
  if ('item' in reason && reason.kind !== 'sharesTags') {
    removers.push(`mark your events on ${titleOf(reason.item)} "don't use for recommendations"`);
  }
  removers.push('"Hide" on this card');
  return { features, removers };
}

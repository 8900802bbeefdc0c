// Which parts of the profile feed each home row, in words, so the profile page can say
// what made the home page look the way it does.
import type { ProfileEdits } from '../../data/profileTypes';
import type { ProfileView } from './profile';

export type HomeRowName = 'forYou' | 'becauseYouViewed' | 'trending';

export type HomeRowFeatures = Record<HomeRowName, string[]>;

/** How many of the strongest genres and tags are named for "For you". */
const namedPerDimension = 3;

const formatWeight = (weight: number) => weight.toFixed(1);

export function homeRowFeatures(view: ProfileView, edits: ProfileEdits): HomeRowFeatures {
  const strongest = (dimension: 'genre' | 'tag') =>
    view.affinities[dimension]
      .filter((a) => a.weight > 0 && a.adjustment !== 'mute')
      .slice(0, namedPerDimension)
      .map((a) => `${dimension} ${a.value} (weight ${formatWeight(a.weight)})`);
  const adjusted = (adjustment: 'boost' | 'mute') =>
    (['genre', 'tag', 'developer'] as const).flatMap((dimension) =>
      Object.entries(edits.adjustments[dimension])
        .filter(([, a]) => a === adjustment)
        .map(([value]) => `${adjustment === 'boost' ? 'boosted' : 'muted'} ${dimension} ${value}`),
    );
  const limits = [
    ...adjusted('mute'),
    ...(edits.priceCeiling === null ? [] : [`price ceiling $${edits.priceCeiling}`]),
  ];
  const excluded = edits.excludedEventIds.length;
  const exclusions = excluded === 0 ? [] : [`${excluded} event${excluded === 1 ? '' : 's'} not used`];
  return {
    forYou: [
      'the games you looked at, carted and bought',
      ...strongest('genre'),
      ...strongest('tag'),
      ...adjusted('boost'),
      ...limits,
      ...exclusions,
    ],
    becauseYouViewed: ['the last game you viewed', ...limits, ...exclusions],
    trending: ['nothing about you: what players play most lately'],
  };
}

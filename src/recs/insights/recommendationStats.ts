// How well the recommendations serve the shopper, per row or per model: what was seen, what
// was clicked, what it led to, and the feedback given on the cards.
import type { ShopperEvent } from '../../data/types';
import { attributePurchases } from './attribution';
import { rowLabel } from './labels';
import { clickThroughRate, conversionRate, rate } from './rates';

export type RecommendationGrouping = 'row' | 'model';

export interface RecommendationStats {
  /** The placement ('home:forYou') or the model ('popularity'). */
  key: string;
  label: string;
  impressions: number;
  clicks: number;
  clickThroughRate: number | null;
  /** Purchases attributed to a click in this group (see attribution.ts). */
  purchases: number;
  /** Attributed purchases per click. */
  conversionRate: number | null;
  thumbsUp: number;
  thumbsDown: number;
  /** "Not interested" given on a card of this group. */
  dismissals: number;
  /** Thumbs and dismissals per impression. */
  thumbsUpRate: number | null;
  thumbsDownRate: number | null;
  dismissRate: number | null;
}

/** Events recorded without a model (before models were recorded) are grouped here. */
export const unknownModel = 'unknown';

type Counts = Pick<
  RecommendationStats,
  'impressions' | 'clicks' | 'purchases' | 'thumbsUp' | 'thumbsDown' | 'dismissals'
>;

const emptyCounts = (): Counts => ({
  impressions: 0,
  clicks: 0,
  purchases: 0,
  thumbsUp: 0,
  thumbsDown: 0,
  dismissals: 0,
});

function groupKey(event: ShopperEvent, by: RecommendationGrouping): string | null {
  // only events on a recommendation card carry a placement
  if (event.placement === undefined) return null;
  return by === 'row' ? event.placement : (event.model ?? unknownModel);
}

/** What one event adds to its group's counts; null for events that are not about a card. */
function countedAs(event: ShopperEvent): keyof Counts | null {
  switch (event.kind) {
    case 'impression':
      return 'impressions';
    case 'recClick':
      return 'clicks';
    case 'recFeedback':
      return event.thumbs === 'up' ? 'thumbsUp' : event.thumbs === 'down' ? 'thumbsDown' : null;
    case 'notInterested':
      return 'dismissals';
    default:
      return null;
  }
}

/** One line per row or model that has any event, most impressions first. */
export function recommendationStats(
  events: readonly ShopperEvent[],
  by: RecommendationGrouping,
): RecommendationStats[] {
  const groups = new Map<string, Counts>();
  const countsOf = (key: string) => {
    let counts = groups.get(key);
    if (counts === undefined) groups.set(key, (counts = emptyCounts()));
    return counts;
  };
  for (const event of events) {
    const key = groupKey(event, by);
    const field = countedAs(event);
    if (key !== null && field !== null) countsOf(key)[field] += 1;
  }
  for (const { click } of attributePurchases(events)) {
    const key = click === null ? null : groupKey(click, by);
    if (key !== null) countsOf(key).purchases += 1;
  }
  return [...groups.entries()]
    .map(([key, c]) => ({
      key,
      label: by === 'row' ? rowLabel(key) : key,
      ...c,
      clickThroughRate: clickThroughRate(c.clicks, c.impressions),
      conversionRate: conversionRate(c.purchases, c.clicks),
      thumbsUpRate: rate(c.thumbsUp, c.impressions),
      thumbsDownRate: rate(c.thumbsDown, c.impressions),
      dismissRate: rate(c.dismissals, c.impressions),
    }))
    .sort((a, b) => b.impressions - a.impressions || b.clicks - a.clicks || a.key.localeCompare(b.key));
}

import { describe, expect, it } from 'vitest';
import { recommendationStats } from './recommendationStats';
import { shuffledTestLog } from './testLog';

describe('recommendation stats', () => {
  it('per row: impressions, clicks, attributed purchases and feedback', () => {
    // For you: impressions 2 + 1, one click (10) that was bought in its session, thumbs up and down on 11.
    // Trending: impressions 1 + 1, one click (21, bought a session later), one "not interested" on 20.
    expect(recommendationStats(shuffledTestLog, 'row')).toEqual([
      {
        key: 'home:forYou',
        label: 'For you',
        impressions: 3,
        clicks: 1,
        clickThroughRate: 1 / 3,
        purchases: 1,
        conversionRate: 1,
        thumbsUp: 1,
        thumbsDown: 1,
        dismissals: 0,
        thumbsUpRate: 1 / 3,
        thumbsDownRate: 1 / 3,
        dismissRate: 0,
      },
      {
        key: 'home:trending',
        label: 'Trending',
        impressions: 2,
        clicks: 1,
        clickThroughRate: 0.5,
        purchases: 0,
        conversionRate: 0,
        thumbsUp: 0,
        thumbsDown: 0,
        dismissals: 1,
        thumbsUpRate: 0,
        thumbsDownRate: 0,
        dismissRate: 0.5,
      },
    ]);
  });

  it('per model: "For you" splits into the blend that ranked it at the time', () => {
    const stats = recommendationStats(shuffledTestLog, 'model');
    const picked = stats.map((s) => [
      s.key,
      s.impressions,
      s.clicks,
      s.purchases,
      s.clickThroughRate,
      s.conversionRate,
    ]);
    expect(picked).toEqual([
      ['baseline blend', 2, 1, 1, 0.5, 1],
      ['popularity', 2, 1, 0, 0.5, 0],
      // seen once, never clicked: 0% click-through, and no conversion rate at all
      ['learned blend', 1, 0, 0, 0, null],
    ]);
    expect(stats[2]).toMatchObject({ thumbsUp: 1, thumbsDown: 1, thumbsUpRate: 1, thumbsDownRate: 1 });
  });

  it('ignores events that are not about a recommendation card', () => {
    expect(
      recommendationStats(
        [
          { kind: 'notInterested', at: 1, sessionId: 's', itemId: 3 }, // from a product page
          { kind: 'recClick', at: 2, sessionId: 's', itemId: 3, placement: 'home:forYou' },
        ],
        'model',
      ).map((s) => [s.key, s.dismissals, s.clicks]),
    ).toEqual([['unknown', 0, 1]]);
  });
});

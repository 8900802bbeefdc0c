import { describe, expect, it } from 'vitest';
import { emptyEdits, setAdjustment, setEventExcluded, setPriceCeiling } from './edits';
import { homeRowFeatures } from './rowFeatures';
import { affinity, viewOfAffinities } from './testSupport';

// only the fields homeRowFeatures reads
const view = viewOfAffinities({
  genre: [
    affinity('Strategy', 4.25),
    affinity('RPG', 2),
    affinity('Racing', 1.5, 'mute'),
    affinity('Indie', 1),
    affinity('Sports', -3),
  ],
  tag: [affinity('Turn-Based', 3)],
});

describe('home row features', () => {
  it('names the strongest unmuted genres and tags, the boosts, mutes, ceiling and exclusions', () => {
    let edits = setAdjustment(emptyEdits(), 'genre', 'Racing', 'mute');
    edits = setAdjustment(edits, 'developer', 'Valve', 'boost');
    edits = setPriceCeiling(edits, 20);
    edits = setEventExcluded(edits, 7, true);
    const rows = homeRowFeatures(view, edits);
    expect(rows.forYou).toEqual([
      'the games you looked at, carted and bought',
      // Racing is muted and Sports negative: the top three of the rest
      'genre Strategy (weight 4.3)',
      'genre RPG (weight 2.0)',
      'genre Indie (weight 1.0)',
      'tag Turn-Based (weight 3.0)',
      'boosted developer Valve',
      'muted genre Racing',
      'price ceiling $20',
      '1 event not used',
    ]);
    expect(rows.becauseYouViewed).toEqual([
      'the last game you viewed',
      'muted genre Racing',
      'price ceiling $20',
      '1 event not used',
    ]);
    expect(rows.trending).toEqual(['nothing about you: what players play most lately']);
  });
});

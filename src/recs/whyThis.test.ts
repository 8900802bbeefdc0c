import { describe, expect, it } from 'vitest';
import { affinity, viewOfAffinities } from './profile/testSupport';
import { noPreferences } from './preferences';
import { sampleGames } from './testSupport';
import { whyThis } from './whyThis';

const [terraria, civ] = sampleGames;
const titleOf = (item: number) => sampleGames[item].title;
// only the affinities whyThis reads
const view = viewOfAffinities({
  genre: [affinity('Action', 3.5), affinity('Strategy', 1)],
  tag: [affinity('Crafting', 2), affinity('Sandbox', 0.5)],
  developer: [affinity('Re-Logic', 1.25)],
});

describe('why this?', () => {
  it("lists the reason, the profile weights of the game's features, boosts, and what removes it", () => {
    const why = whyThis(
      terraria,
      { kind: 'becauseYouInteracted', item: 1, verb: 'viewed' },
      view,
      { ...noPreferences(), boosted: { genre: ['Indie'], tag: [], developer: [] }, popularity: 1 },
      titleOf,
    );
    expect(why.features).toEqual([
      { label: 'Because you viewed Sid Meier’s Civilization V', weight: null },
      // Indie carries no profile weight: it is not listed as a profile feature
      { label: 'your genre Action', weight: 3.5 },
      { label: 'your tag Crafting', weight: 2 },
      { label: 'your tag Sandbox', weight: 0.5 },
      { label: 'your developer Re-Logic', weight: 1.25 },
      { label: 'you boosted genre Indie', weight: 0.5 },
      // (1 − 0.5) · 2 · 0.5
      { label: 'popularity counts more (your choice)', weight: 0.5 },
    ]);
    expect(why.removers).toEqual([
      'mute genre Action',
      'mute genre Indie',
      'mute developer Re-Logic',
      'a price ceiling under $9.99',
      'mark your events on Sid Meier’s Civilization V "don\'t use for recommendations"',
      '"Hide" on this card',
    ]);
  });

  it('works before the profile exists and for a popularity pick', () => {
    const why = whyThis(civ, { kind: 'popular' }, null, undefined, titleOf);
    expect(why.features).toEqual([{ label: 'Popular with players', weight: null }]);
    expect(why.removers).toEqual([
      'mute genre Strategy',
      'a price ceiling under $29.99',
      '"Hide" on this card',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { explain } from './explain';
import { sampleGames as games } from './testSupport';

describe('explanations', () => {
  const titleOf = (id: number) => games[id].title;
  it('turns each reason into a sentence naming its source', () => {
    expect(explain({ kind: 'becauseYouInteracted', item: 0, verb: 'bought' }, titleOf)).toBe(
      'Because you bought Terraria',
    );
    expect(explain({ kind: 'ownedTogether', item: 2 }, titleOf)).toBe(
      'Popular with players who own Team Fortress 2',
    );
    expect(explain({ kind: 'genreInterest', genre: 'Strategy' }, titleOf)).toBe(
      'Matches your interest in Strategy',
    );
    expect(explain({ kind: 'sharesTags', item: 0, tags: ['Sandbox', 'Indie'] }, titleOf)).toBe(
      'Also Sandbox, Indie',
    );
  });
});

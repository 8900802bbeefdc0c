import { describe, expect, it } from 'vitest';
import type { Game } from '../../data/types';
import { recentHistoryGames, rowGames } from './rowGames';

const games: Game[] = Array.from({ length: 40 }, (_, id) => ({
  id,
  appId: String(id),
  title: `Game ${id}`,
  price: 1,
  genres: [],
  tags: [],
  developer: '',
  released: null,
  earlyAccess: false,
}));

describe('the games sent with rows', () => {
  it('are the cards, the games reasons and rows name, and the latest history, each once', () => {
    const sent = rowGames(
      [
        {
          key: 'becauseYouViewed',
          item: 3,
          items: [{ item: 5, score: 1, reason: { kind: 'becauseYouInteracted', item: 3, verb: 'viewed' } }],
        },
        {
          key: 'forYou',
          items: [
            { item: 7, score: 1, reason: { kind: 'ownedTogether', item: 9 } },
            { item: 5, score: 0.5, reason: { kind: 'popular' } },
          ],
        },
      ],
      { history: [1, 3] },
      games,
    );
    expect(sent.map((game) => game.id)).toEqual([1, 3, 5, 7, 9]);
  });

  it('keep only the latest history, and skip ids the catalog does not have', () => {
    const history = Array.from({ length: 30 }, (_, i) => i);
    const sent = rowGames(
      [{ key: 'trending', items: [{ item: 99, score: 1, reason: { kind: 'trending' } }] }],
      { history },
      games,
    );
    expect(sent.map((game) => game.id)).toEqual(history.slice(30 - recentHistoryGames));
  });
});

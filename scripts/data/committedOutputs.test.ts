// Checks the committed public/data outputs against each other and against the contracts
// the app relies on, so a hand edit or a half-finished rebuild is caught by `vitest run`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Game } from '../../src/data/types';
import { decodeCommunity, interactionKind } from '../../src/ml/communityData';
import { isCalendarDate, maxTagsPerGame } from './cleanCatalog';

const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../public/data');
const catalog = JSON.parse(readFileSync(path.join(dataDir, 'catalog.json'), 'utf8')) as {
  credit: { citations: string[] };
  games: Game[];
};
const binary = readFileSync(path.join(dataDir, 'community.bin'));
const community = decodeCommunity(
  binary.buffer.slice(binary.byteOffset, binary.byteOffset + binary.byteLength),
);

describe('committed public/data', () => {
  it('catalog games are exactly the Game shape with dense ids', () => {
    const keys = ['id', 'appId', 'title', 'price', 'genres', 'tags', 'developer', 'released', 'earlyAccess'];
    // one assertion over all games keeps this fast; the failing games are listed
    const malformed = catalog.games.filter(
      (game, index) =>
        Object.keys(game).join() !== keys.join() ||
        game.id !== index ||
        game.title.length === 0 ||
        !(game.price === null || game.price >= 0) ||
        !(game.released === null || isCalendarDate(game.released)) ||
        game.tags.length > maxTagsPerGame,
    );
    expect(malformed).toEqual([]);
    expect(catalog.games.length).toBeGreaterThan(4000);
    expect(new Set(catalog.games.map((game) => game.appId)).size).toBe(catalog.games.length);
    expect(catalog.credit.citations).toHaveLength(3);
  });

  it('community data covers exactly the catalog, every game and user at least once', () => {
    expect(community.itemCount).toBe(catalog.games.length);
    const seen = new Uint8Array(community.itemCount);
    community.items.forEach((item) => (seen[item] = 1));
    expect(seen.every((flag) => flag === 1)).toBe(true);
    let emptyUsers = 0;
    for (let user = 0; user < community.userCount; user++) {
      if (community.userOffsets[user + 1] === community.userOffsets[user]) emptyUsers++;
    }
    expect(emptyUsers).toBe(0);
  });

  it('keeps each user in order: owned, undated reviews, dated reviews by day', () => {
    const group = (row: number) =>
      community.kinds[row] === interactionKind.owned ? 0 : community.days[row] === 0 ? 1 : 2;
    for (let user = 0; user < community.userCount; user++) {
      for (let row = community.userOffsets[user] + 1; row < community.userOffsets[user + 1]; row++) {
        const order =
          group(row - 1) - group(row) ||
          (group(row) === 2 ? community.days[row - 1] - community.days[row] : 0);
        if (order > 0) throw new Error(`user ${user} row ${row} is out of order`);
      }
    }
  });

  it('numbers games by interaction count, most first', () => {
    const rowsPerItem = new Uint32Array(community.itemCount);
    community.items.forEach((item) => rowsPerItem[item]++);
    const outOfOrder = [...rowsPerItem.keys()].filter(
      (item) => item > 0 && rowsPerItem[item] > rowsPerItem[item - 1],
    );
    expect(outOfOrder).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { humanise, reportTable } from './buildReport';

describe('humanise', () => {
  it('splits camelCase keys into words', () => {
    expect(humanise('gameNotInCatalog')).toBe('game not in catalog');
    expect(humanise('gamesWithAtLeast5')).toBe('games with at least 5');
  });
});

describe('reportTable', () => {
  it('prints sections as headings and aligns grouped numbers', () => {
    const table = reportTable({
      dropped: { gameNotInCatalog: 50324, invalidRow: 0 },
      share: 0.787,
      topOwned: [{ title: 'Terraria', owners: 1234 }],
    });
    expect(table.split('\n')).toEqual([
      'dropped',
      '  game not in catalog  50,324',
      '  invalid row          0',
      'share                  0.787',
      'top owned',
      '  1',
      '    title              Terraria',
      '    owners             1,234',
    ]);
  });
});

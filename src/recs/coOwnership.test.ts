import { describe, expect, it } from 'vitest';
import { fromSequences } from '../ml/interactions';
import { CoOwnership } from './coOwnership';

// Ten players, 17 entries. Owners: 0 → 3, 1 → 3, 2 → 1, 3 → 3, 4 → 2, 5 → 5.
// Other games of each item's owners: 0 → 1 + 1 + 2 = 4, 3 → 1 + 1 + 1 = 3, 5 → 1.
const community = fromSequences([[0, 1], [0, 1], [0, 1, 2], [3, 4], [3, 4], [5], [5], [5], [5], [5, 3]], 6);

describe('CoOwnership', () => {
  const owned = new CoOwnership(community);

  it('counts owners and co-owners, in either order', () => {
    expect([0, 1, 2, 3, 4, 5].map((item) => owned.owners(item))).toEqual([3, 3, 1, 3, 2, 5]);
    expect(owned.coOwners(0, 1)).toBe(3);
    expect(owned.coOwners(1, 0)).toBe(3);
    expect(owned.coOwners(2, 0)).toBe(1);
    expect(owned.coOwners(3, 5)).toBe(1);
    expect(owned.coOwners(0, 3)).toBe(0);
  });

  it("expects co-owners from the source's owners' other games and the item's share of all entries", () => {
    // 0 → 1: 4 other games · 3 owners of 1 / 17 entries
    expect(owned.expectedCoOwners(0, 1)).toBeCloseTo(12 / 17, 12);
    // 5 → 3: 1 · 3 / 17
    expect(owned.expectedCoOwners(5, 3)).toBeCloseTo(3 / 17, 12);
  });

  it('shrinks lift toward 1 by two pseudo-players on each side', () => {
    // (3 + 2) / (12/17 + 2) = 85/46
    expect(owned.association(0, 1)).toBeCloseTo(85 / 46, 6);
    // 3 → 4: (2 + 2) / (3 · 2 / 17 + 2) = 68/40
    expect(owned.association(3, 4)).toBeCloseTo(1.7, 6);
    // 3 → 5: (1 + 2) / (3 · 5 / 17 + 2) = 51/49, barely above no association
    expect(owned.association(3, 5)).toBeCloseTo(51 / 49, 6);
  });

  it('calls a pair specific at a shrunk lift of 1.5 or more', () => {
    expect(owned.isSpecific(0, 1)).toBe(true); // 1.85
    expect(owned.isSpecific(3, 4)).toBe(true); // 1.7
    // 5 → 3: (1 + 2) / (3/17 + 2) = 1.38
    expect(owned.isSpecific(5, 3)).toBe(false);
    // 2 → 0: its one owner owns 0, but one player is an anecdote: (1 + 2) / (2 · 3/17 + 2) = 1.27
    expect(owned.isSpecific(2, 0)).toBe(false);
  });

  it('tells a blockbuster that co-occurs with a niche game from that game’s specific partner', () => {
    // niche N = 0, partner P = 1, blockbuster B = 2 (7 of 8 players), others 3 and 4; 16 entries
    const shop = new CoOwnership(
      fromSequences([[0, 1, 2], [0, 1, 2], [0, 1], [2, 3], [2, 4], [2], [2], [2, 3]], 5),
    );
    // N's owners own 2 + 2 + 1 = 5 other games. N → B: 2 co-owners, 5 · 7 / 16 = 35/16 expected
    expect(shop.association(0, 2)).toBeCloseTo(4 / (35 / 16 + 2), 6); // 0.955: no more than chance
    expect(shop.isSpecific(0, 2)).toBe(false);
    // N → P: 3 co-owners, 5 · 3 / 16 = 15/16 expected
    expect(shop.association(0, 1)).toBeCloseTo(80 / 47, 6); // 1.70
    expect(shop.isSpecific(0, 1)).toBe(true);
  });

  it('counts the same co-owners as a plain set intersection, past its memory', () => {
    const sequences = Array.from({ length: 40 }, (_, u) =>
      [0, 1, 2, 3, 4, 5, 6, 7].filter((item) => (u * (item + 3)) % (item + 2) < 2),
    );
    const small = new CoOwnership(fromSequences(sequences, 8), undefined, 5);
    const ownersOf = (item: number) =>
      new Set(sequences.flatMap((row, u) => (row.includes(item) ? [u] : [])));
    for (let a = 0; a < 8; a++) {
      for (let b = 0; b < 8; b++) {
        const both = [...ownersOf(a)].filter((u) => ownersOf(b).has(u)).length;
        expect(small.coOwners(a, b)).toBe(both);
      }
    }
  });
});

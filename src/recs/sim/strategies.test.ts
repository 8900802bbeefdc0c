import { describe, expect, it } from 'vitest';
import { fromSequences } from '../../ml/interactions';
import { buildCatalogIndex } from '../catalogIndex';
import { StoreRanker } from '../storeRanker';
import { sampleGames } from '../testSupport';
import type { ShopperSignals } from '../types';
import { parseStrategy, serveRow, strategyName } from './strategies';

describe('strategy names', () => {
  it('reads a base strategy with or without offers, and writes it back', () => {
    expect(parseStrategy('blend')).toEqual({ base: 'blend', offers: false });
    expect(parseStrategy(' diverse+offers ')).toEqual({ base: 'diverse', offers: true });
    expect(strategyName({ base: 'itemknn', offers: true })).toBe('itemknn+offers');
    expect(() => parseStrategy('mf')).toThrow(/popularity, itemknn, blend, diverse/);
    expect(() => parseStrategy('offers')).toThrow();
  });
});

describe('serveRow', () => {
  // four games; 0 is owned by everyone, 1 by three players, 2 with 3 by one player
  const community = fromSequences([[0, 1], [0, 1], [0, 1, 2, 3], [0]], 4);
  const signals: ShopperSignals = {
    history: [2],
    weights: [1],
    verbs: ['bought'],
    owned: [2],
    inCart: [],
    hidden: [],
  };

  it('never serves what the shopper has, whatever the strategy', async () => {
    const ranker = new StoreRanker({
      index: buildCatalogIndex(sampleGames),
      community,
      recentCounts: new Float32Array(4),
    });
    await ranker.fit();
    // popularity: most owned first
    expect(serveRow(ranker, 'popularity', signals, 2, 0).map((r) => r.item)).toEqual([0, 1]);
    // item k-NN from game 2: only game 0, 1 and 3 co-occur with it
    const knn = serveRow(ranker, 'itemknn', signals, 3, 0).map((r) => r.item);
    expect(knn).not.toContain(2);
    expect(knn).toContain(3);
    for (const base of ['blend', 'diverse'] as const) {
      expect(serveRow(ranker, base, signals, 3, 0.5).map((r) => r.item)).not.toContain(2);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { decodeCommunity } from '../../src/ml/communityData';
import { buildCatalogIndex } from '../../src/recs/catalogIndex';
import { noPreferences } from '../../src/recs/preferences';
import { parseFirstRows } from '../../src/ui/firstPaint/paintSources';
import type { FirstRowsDocument } from '../../src/worker/store/firstRows';
import { homeRequestKey, newShopperHomeRequest } from '../../src/worker/store/homeRequest';
import { storeTrainingPlans, type StoreTrainingPlan } from '../../src/worker/store/plan';
import { storeSplit } from '../../src/worker/store/storeNeighbours';
import { answerRequest, newStoreRanker } from '../../src/worker/store/storeRanking';
import { storeFirstRows } from './storeFirstRows';
import { jsonForHtml } from './storeFirstRowsPlugin';
import { storeNeighbourFiles } from './storeNeighbourFiles';
import { fixtureCommunity, games } from './storeFixture';

// the real modes hold out more players than the fixture has: one plan holds out a few only
const plans: Record<'full' | 'quick' | 'off', StoreTrainingPlan | null> = {
  full: { ...storeTrainingPlans.full, heldOutPlayers: 8 },
  quick: storeTrainingPlans.quick,
  off: null,
};

describe("a new shopper's first rows, ranked by the build", () => {
  it('answer the request a page with nothing stored sends: no history, no edits, default settings', () => {
    const request = newShopperHomeRequest();
    expect(request.signals).toEqual({
      history: [],
      weights: [],
      verbs: [],
      owned: [],
      inCart: [],
      hidden: [],
      preferences: noPreferences(),
    });
    expect(request.rows).toEqual([
      { key: 'forYou', k: 10 },
      { key: 'trending', k: 10 },
    ]);
    expect(request.diversity).toBe(0.3);
  });

  it('equal, row for row, what the store worker answers that request in each mode', async () => {
    const bytes = fixtureCommunity();
    const built = await storeFirstRows({
      games,
      communityBytes: bytes,
      neighbourFiles: await storeNeighbourFiles(bytes, plans),
    });
    expect(Object.keys(built)).toEqual(['full', 'quick', 'off']);
    for (const [mode, plan] of Object.entries(plans) as [keyof typeof plans, StoreTrainingPlan | null][]) {
      // the worker without a prepared table fits its own (recsWorker.ts's loadStore), then answers
      const community = decodeCommunity(bytes);
      const worker = newStoreRanker(buildCatalogIndex(games), community, storeSplit(community, plan));
      await worker.fit();
      const request = newShopperHomeRequest();
      const answer = answerRequest(worker, request, games);
      expect(built[mode]).toEqual({
        requestKey: homeRequestKey(request),
        rows: answer.rows,
        games: answer.games,
      });
      // 12 games: ten for "For you", the two left for "Trending"; every shown game is sent with them
      expect(built[mode]!.rows.map((row) => row.items.length)).toEqual([10, 2]);
      expect(built[mode]!.games.map((game) => game.id).sort((a, b) => a - b)).toEqual(
        games.map((game) => game.id),
      );
    }
  });

  it('are written into index.html as JSON that cannot end its script element early', () => {
    const document: FirstRowsDocument = {
      buildId: 'b1',
      modes: {
        off: {
          requestKey: 'k',
          rows: [{ key: 'trending', items: [{ item: 0, score: 1, reason: { kind: 'trending' } }] }],
          games: [{ ...games[0], title: 'Break </script><!-- out' }],
        },
      },
    };
    const text = jsonForHtml(document);
    expect(text).not.toContain('<');
    expect(parseFirstRows(text)).toEqual(document);
  });
});

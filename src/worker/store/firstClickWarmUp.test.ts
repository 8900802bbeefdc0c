import { describe, expect, it, vi } from 'vitest';
import type { Game } from '../../data/types';
import { fromSequences } from '../../ml/interactions';
import { buildCatalogIndex } from '../../recs/catalogIndex';
import { viewedSignals } from '../../recs/signals';
import { StoreRanker } from '../../recs/storeRanker';
import { afterFeedback, firstClickRequests, FirstClickWarmUp, warmUpRounds } from './firstClickWarmUp';
import type { RankRequest } from './protocol';
import { answerRequest } from './storeRanking';

/** Eight games in two genres; the community owns them in pairs, 7 the most. */
const games: Game[] = Array.from({ length: 8 }, (_, id) => ({
  id,
  appId: String(id),
  title: `Game ${id}`,
  price: 5 + id,
  genres: [id < 4 ? 'Strategy' : 'Racing'],
  tags: [id % 2 === 0 ? 'Even' : 'Odd'],
  developer: '',
  released: null,
  earlyAccess: false,
}));
const community = fromSequences([[0, 1], [0, 1, 2], [2, 3], [4, 5], [4, 5, 6], [7], [7], [7, 6], [3, 7]], 8);

async function fittedRanker(): Promise<StoreRanker> {
  const ranker = new StoreRanker({
    index: buildCatalogIndex(games),
    community,
    recentCounts: new Float32Array(8),
  });
  await ranker.fit();
  return ranker;
}

/** Under fake timers: runs the next timer's task, then the promise jobs it queued. */
async function oneTask(): Promise<void> {
  vi.advanceTimersToNextTimer();
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe("the first click's warm-up", () => {
  it('a liked game moves to the end of the history as liked, weighing 2; a hidden one leaves it', () => {
    const signals = viewedSignals([4, 7, 9]);
    expect(afterFeedback(signals, 7, 'liked')).toEqual({
      ...signals,
      history: [4, 9, 7],
      weights: [1, 1, 2],
      verbs: ['viewed', 'viewed', 'liked'],
    });
    expect(afterFeedback(signals, 12, 'liked').history).toEqual([4, 7, 9, 12]);
    expect(afterFeedback(signals, 9, 'hidden')).toEqual({
      ...signals,
      history: [4, 7],
      weights: [1, 1],
      verbs: ['viewed', 'viewed'],
      hidden: [9],
    });
    expect(signals.history).toEqual([4, 7, 9]); // the request's own signals are not changed
  });

  it('asks for the home rows as a like of each of the first cards and a hide of the first would', () => {
    const home: RankRequest = {
      signals: viewedSignals([]),
      rows: [{ key: 'forYou', k: 10 }],
      diversity: 0.3,
    };
    const requests = firstClickRequests(home, [30, 31, 32, 33], 2);
    expect(requests.map((r) => [r.signals.history, r.signals.hidden])).toEqual([
      [[30], []],
      [[31], []],
      [[], [30]],
    ]);
    expect(requests.every((r) => r.rows === home.rows && r.diversity === 0.3)).toBe(true);
    expect(firstClickRequests(home, [])).toEqual([]); // no cards yet: nothing to warm
  });

  it('leaves the rows of the click that follows as a ranker that was not warmed ranks them', async () => {
    const home: RankRequest = {
      signals: viewedSignals([]),
      rows: [
        { key: 'forYou', k: 4 },
        { key: 'trending', k: 4 },
      ],
      diversity: 0.3,
    };
    const warmed = await fittedRanker();
    const forYou = answerRequest(warmed, home).rows[0].items.map((entry) => entry.item);
    for (const request of firstClickRequests(home, forYou)) answerRequest(warmed, request);
    const click = { ...home, signals: afterFeedback(home.signals, forYou[1], 'liked') };
    const fresh = await fittedRanker();
    expect(answerRequest(warmed, click)).toEqual(answerRequest(fresh, click));
    expect(answerRequest(warmed, click).rows[0].items.map((entry) => entry.item)).not.toContain(forYou[1]);
  });

  it('runs once, and only after a home answer; the request it noted is not changed', async () => {
    const ranker = await fittedRanker();
    const rank = vi.spyOn(ranker, 'rankRows');
    let done = 0;
    const warmUp = new FirstClickWarmUp(() => done++);
    await warmUp.run(ranker); // no home rows answered yet: nothing to warm
    expect(rank).not.toHaveBeenCalled();
    const home: RankRequest = { signals: viewedSignals([]), rows: [{ key: 'forYou', k: 3 }], diversity: 0 };
    warmUp.answered(home, answerRequest(ranker, home).rows);
    rank.mockClear();
    await Promise.all([warmUp.run(ranker), warmUp.run(ranker)]);
    // a like of each of the 3 cards and a hide of the first, each round
    expect(rank).toHaveBeenCalledTimes(4 * warmUpRounds);
    expect(done).toBe(1);
    await warmUp.run(ranker);
    expect(rank).toHaveBeenCalledTimes(4 * warmUpRounds);
    expect(home.signals).toEqual(viewedSignals([]));
  });

  it('lets a real request that arrives during a warm-up ranking go next, and then stops for good', async () => {
    vi.useFakeTimers();
    try {
      const ranker = await fittedRanker();
      const home: RankRequest = { signals: viewedSignals([]), rows: [{ key: 'forYou', k: 3 }], diversity: 0 };
      let done = 0;
      const warmUp = new FirstClickWarmUp(() => done++);
      warmUp.answered(home, answerRequest(ranker, home).rows);
      const rank = vi.spyOn(ranker, 'rankRows');
      // the worker's queue: a rank command is kept in `pending` and drained on a task of its own
      let pending: RankRequest | null = null;
      let warmUpRankingsBeforeReal = -1;
      const drain = () => {
        warmUpRankingsBeforeReal = rank.mock.calls.length;
        warmUp.answered(pending!, answerRequest(ranker, pending!).rows);
        pending = null;
      };
      const running = warmUp.run(ranker, () => pending !== null);
      await oneTask();
      expect(rank).toHaveBeenCalledTimes(1); // the first warm-up ranking
      // the shopper clicks "More like this" while the warm-up is between rankings 1 and 2
      pending = { ...home, signals: afterFeedback(home.signals, 0, 'liked') };
      setTimeout(drain, 0);
      await vi.runAllTimersAsync();
      await running;
      expect(warmUpRankingsBeforeReal).toBe(1);
      expect(rank).toHaveBeenCalledTimes(2); // the real one, and no warm-up ranking after it
      expect(done).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops for good once a home answer is given after it started, even one it never saw waiting', async () => {
    vi.useFakeTimers();
    try {
      const ranker = await fittedRanker();
      const home: RankRequest = { signals: viewedSignals([]), rows: [{ key: 'forYou', k: 3 }], diversity: 0 };
      const warmUp = new FirstClickWarmUp();
      warmUp.answered(home, answerRequest(ranker, home).rows);
      const rank = vi.spyOn(ranker, 'rankRows');
      const running = warmUp.run(ranker, () => false);
      await oneTask();
      warmUp.answered(home, answerRequest(ranker, home).rows); // drained between two warm-up tasks
      await vi.runAllTimersAsync();
      await running;
      expect(rank).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

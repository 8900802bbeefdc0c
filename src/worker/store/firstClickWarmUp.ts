// The first click after the page loads was the slowest in nearly every bench run (docs/benchmarks.md,
// "A click off the page's path": click #0 among the slowest 5 % in 7 of 8 runs, its ranking 5-15 ms
// against ~1 ms for the next ones), although the ranker warms up on made-up shoppers: the first real
// ranking builds, for the games the shopper acts on, what the ranker keeps lazily (each liked
// game's co-occurrence row, the candidates' pair similarities for MMR), and runs code the made-up
// shoppers did not reach with this shopper's signals. So once the first rows are painted and the
// page is idle and in view (the page sends `warmFirstClick`) and the worker's backend start is over
// (its race's allocations undid an earlier warm-up: the first bench click still ranked in 22 ms),
// the worker ranks the home rows as a feedback click on each of the first cards would ask for
// them, a few rounds, one ranking per task, and drops the rows. The caches it fills hold true
// values: a later ranking gives the same rows as without it (the test below).
import type { StoreRanker } from '../../recs/storeRanker';
import type { ShopperSignals } from '../../recs/types';
import type { RankedRow, RankRequest } from './protocol';
import { answerRequest } from './storeRanking';

/** The "For you" cards in view on a small screen: what a first click most likely names. */
export const warmedCards = 5;

/**
 * Rounds of those rankings. The engine optimises the ranking code once it has run hot: in Node on
 * the store's data (load 8-10), after one round the first click still ranked in 5-24 ms, after
 * three in 0.6 ms; a round costs 80-130 ms cold, 3-20 ms once warm, one ranking per task.
 */
export const warmUpRounds = 3;

/**
 * The signals after a feedback click on `item`: "More like this" (liked, as a thumbs-up weighs:
 * recs/signals.ts) or "Not interested" / "Less like this" (hidden). Close to what the page's
 * LiveSignals would give, which is all a warm-up needs: the same games and the same code paths.
 */
export function afterFeedback(
  signals: ShopperSignals,
  item: number,
  feedback: 'liked' | 'hidden',
): ShopperSignals {
  const keep = signals.history.map((entry) => entry !== item);
  const history = signals.history.filter((_, i) => keep[i]);
  const weights = signals.weights.filter((_, i) => keep[i]);
  const verbs = signals.verbs.filter((_, i) => keep[i]);
  if (feedback === 'hidden')
    return { ...signals, history, weights, verbs, hidden: [...signals.hidden, item] };
  return { ...signals, history: [...history, item], weights: [...weights, 2], verbs: [...verbs, 'liked'] };
}

/**
 * The home rankings a first feedback click may ask for: "More like this" on each of the first
 * `cards` "For you" games, and "Not interested" on the first. Each is a request as the page sends
 * it (the same rows and diversity).
 */
export function firstClickRequests(
  home: RankRequest,
  forYou: readonly number[],
  cards: number = warmedCards,
): RankRequest[] {
  const targets = forYou.slice(0, cards);
  const liked = targets.map((item) => ({ ...home, signals: afterFeedback(home.signals, item, 'liked') }));
  const hidden =
    targets.length > 0 ? [{ ...home, signals: afterFeedback(home.signals, targets[0], 'hidden') }] : [];
  return [...liked, ...hidden];
}

/** Yields to the event loop between two warm-up rankings, so a message that came is handled. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * The worker's side: the newest home answer is noted; run() warms once, one ranking per task, and
 * stops for good at the first sign of the shopper. Yielding alone did not let a real request
 * through: the worker's drain is also a `setTimeout(0)`, queued after the warm-up's own, so a rank
 * arriving during warm-up ranking k waited for ranking k + 1; and once the shopper has clicked, the
 * click the warm-up prepares for is over.
 */
export class FirstClickWarmUp {
  private home: { request: RankRequest; forYou: number[] } | null = null;
  private started = false;
  private stopped = false;

  /** `done` is called when every round ran (not when the shopper stopped it). */
  constructor(private readonly done: () => void = () => undefined) {}

  /** The home rows just answered: the request and the "For you" games it showed. */
  answered(request: RankRequest, rows: readonly RankedRow[]): void {
    const forYou = rows.find((row) => row.key === 'forYou')?.items.map((entry) => entry.item) ?? [];
    this.home = { request, forYou };
    // a real home request was answered after the warm-up started: the shopper is here
    if (this.started) this.stopped = true;
  }

  /**
   * Once; nothing before the first home answer (the page asks only after painting it). Before each
   * ranking it asks `hasPending` (a real request waits to be ranked): if so it stops for good,
   * leaving the task to that request.
   */
  async run(ranker: StoreRanker, hasPending: () => boolean = () => false): Promise<void> {
    if (this.started || !this.home) return;
    this.started = true;
    const { request, forYou } = this.home;
    const clicks = firstClickRequests(request, forYou);
    for (let round = 0; round < warmUpRounds; round++) {
      for (const click of clicks) {
        await nextTask();
        if (this.stopped || hasPending()) {
          this.stopped = true;
          return;
        }
        answerRequest(ranker, click);
      }
    }
    this.done();
  }
}

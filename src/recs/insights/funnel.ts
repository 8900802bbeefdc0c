// The shopper's funnel over games: how many they looked at, how many of those they put in the
// cart, and how many of those they bought. A game counts at a step only if it passed the step
// before, in order, so every step is a subset of the previous one and drop-off is meaningful.
import type { ShopperEvent } from '../../data/types';
import { attributePurchases } from './attribution';
import { inTimeOrder } from './labels';
import { dropOff, median } from './rates';

export type FunnelStepName = 'viewed' | 'carted' | 'bought';

export interface FunnelStep {
  step: FunnelStepName;
  /** Distinct games that reached this step. */
  games: number;
  /** The share of the previous step's games that did not reach this one (null for the first step). */
  dropOff: number | null;
}

export interface Funnel {
  steps: FunnelStep[];
  /** Median time from a game's first view (or recommendation click) to its purchase. */
  medianTimeToConvertMs: number | null;
}

export interface FunnelOptions {
  /**
   * Only games reached from a recommendation row: the first step is the click on the card,
   * and a purchase counts only when it is attributed to a recommendation (same session).
   */
  fromRecommendations?: boolean;
}

interface Journey {
  enteredAt: number;
  cartedAt?: number;
  boughtAt?: number;
}

export function computeFunnel(events: readonly ShopperEvent[], options: FunnelOptions = {}): Funnel {
  const fromRecommendations = options.fromRecommendations === true;
  const entryKind = fromRecommendations ? 'recClick' : 'view';
  const creditedPurchases = fromRecommendations
    ? new Set(
        attributePurchases(events)
          .filter((a) => a.click !== null)
          .map((a) => a.purchase),
      )
    : null;

  const journeys = new Map<number, Journey>();
  for (const event of inTimeOrder(events)) {
    const item = event.itemId;
    if (item === undefined) continue;
    const journey = journeys.get(item);
    if (event.kind === entryKind && journey === undefined) {
      journeys.set(item, { enteredAt: event.at });
    } else if (event.kind === 'cartAdd' && journey !== undefined && journey.cartedAt === undefined) {
      journey.cartedAt = event.at;
    } else if (
      event.kind === 'purchase' &&
      journey?.cartedAt !== undefined &&
      journey.boughtAt === undefined &&
      (creditedPurchases === null || creditedPurchases.has(event))
    ) {
      journey.boughtAt = event.at;
    }
  }

  const all = [...journeys.values()];
  const counts: Record<FunnelStepName, number> = {
    viewed: all.length,
    carted: all.filter((j) => j.cartedAt !== undefined).length,
    bought: all.filter((j) => j.boughtAt !== undefined).length,
  };
  return {
    steps: [
      { step: 'viewed', games: counts.viewed, dropOff: null },
      { step: 'carted', games: counts.carted, dropOff: dropOff(counts.carted, counts.viewed) },
      { step: 'bought', games: counts.bought, dropOff: dropOff(counts.bought, counts.carted) },
    ],
    medianTimeToConvertMs: median(
      all.flatMap((j) => (j.boughtAt === undefined ? [] : [j.boughtAt - j.enteredAt])),
    ),
  };
}

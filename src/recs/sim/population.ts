// The simulated population: community players whose later games are held out. What they played
// before is what the strategies see; the held-out games are what the choice model treats as
// relevant. Every model the simulator builds trains on the community without those games, so
// no strategy has seen what the shoppers will respond to.
import type { InteractionMatrix } from '../../ml/interactions';
import { createRng, deriveSeed, sampleWithoutReplacement } from '../../ml/random';

export interface SimShopper {
  /** the player's row in the community data */
  user: number;
  /** the shopper's own random stream: the same for every strategy, so comparisons are paired */
  seed: number;
  /** the games before the held-out ones, oldest first: what the strategies personalise from */
  history: number[];
  weights: number[];
  /** the later games, taken out of every model's training data */
  heldOut: number[];
  /** 0 … 1, see priceSensitivity */
  priceSensitivity: number;
}

export interface PopulationSettings {
  shoppers: number;
  seed: number;
  /** share of a player's games held out, the latest ones (at least one) */
  heldOutFraction: number;
  /** players with fewer games are not drawn: they would have too little history to personalise */
  minGames: number;
}

export const defaultPopulationSettings: Omit<PopulationSettings, 'shoppers' | 'seed'> = {
  heldOutFraction: 0.3,
  minGames: 5,
};

export interface Population {
  shoppers: SimShopper[];
  /** the community without the shoppers' held-out games: what every strategy trains on */
  train: InteractionMatrix;
}

/** How many of `length` games are held out: the latest `fraction`, rounded down, at least one. */
export function heldOutCount(length: number, fraction: number): number {
  return Math.max(1, Math.floor(length * fraction));
}

/** Mean of the prices that are known and positive; NaN when there are none. */
function meanPaidPrice(items: Iterable<number>, prices: ArrayLike<number>): number {
  let sum = 0;
  let count = 0;
  for (const item of items) {
    const price = prices[item];
    if (price > 0) {
      sum += price;
      count++;
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}

/**
 * Price sensitivity from what a player chose to own: 1 − r / 2, clamped to [0, 1], where r is
 * the mean price of their paid games over the mean price of the catalog's paid games. A player
 * who owns games at the catalog's average price (r = 1) is 0.5; one whose games cost half the
 * average is 0.75; r ≥ 2 is 0 (price does not hold them back). No paid game: 0.5, for lack of evidence.
 */
export function priceSensitivity(
  history: readonly number[],
  prices: ArrayLike<number>,
  catalogMeanPrice: number,
): number {
  const owned = meanPaidPrice(history, prices);
  if (!(owned > 0) || !(catalogMeanPrice > 0)) return 0.5;
  return Math.min(1, Math.max(0, 1 - owned / catalogMeanPrice / 2));
}

export function catalogMeanPrice(prices: ArrayLike<number>): number {
  return meanPaidPrice(
    Array.from({ length: prices.length }, (_, i) => i),
    prices,
  );
}

/**
 * Draw `shoppers` players with at least `minGames` games (seeded), hold out their latest games,
 * and return them with the community minus those games.
 */
export function buildPopulation(
  community: InteractionMatrix,
  prices: ArrayLike<number>,
  settings: PopulationSettings,
): Population {
  const eligible: number[] = [];
  for (let u = 0; u < community.userCount; u++) {
    if (community.userOffsets[u + 1] - community.userOffsets[u] >= settings.minGames) eligible.push(u);
  }
  const drawn = sampleWithoutReplacement(eligible, settings.shoppers, createRng(settings.seed)).sort(
    (a, b) => a - b,
  );
  const meanPrice = catalogMeanPrice(prices);
  const cutAt = new Map<number, number>();
  const shoppers = drawn.map((user): SimShopper => {
    const start = community.userOffsets[user];
    const end = community.userOffsets[user + 1];
    const cut = end - heldOutCount(end - start, settings.heldOutFraction);
    cutAt.set(user, cut);
    const history = Array.from(community.items.subarray(start, cut));
    return {
      user,
      seed: deriveSeed(settings.seed, user),
      history,
      weights: Array.from({ length: cut - start }, (_, i) => community.weights?.[start + i] ?? 1),
      heldOut: Array.from(community.items.subarray(cut, end)),
      priceSensitivity: priceSensitivity(history, prices, meanPrice),
    };
  });
  return { shoppers, train: withoutHeldOut(community, cutAt) };
}

function withoutHeldOut(community: InteractionMatrix, cutAt: ReadonlyMap<number, number>): InteractionMatrix {
  const userOffsets = new Uint32Array(community.userCount + 1);
  const items: number[] = [];
  const weights: number[] = [];
  for (let u = 0; u < community.userCount; u++) {
    const end = cutAt.get(u) ?? community.userOffsets[u + 1];
    for (let j = community.userOffsets[u]; j < end; j++) {
      items.push(community.items[j]);
      weights.push(community.weights?.[j] ?? 1);
    }
    userOffsets[u + 1] = items.length;
  }
  return {
    userCount: community.userCount,
    itemCount: community.itemCount,
    userOffsets,
    items: Int32Array.from(items),
    weights: Float32Array.from(weights),
  };
}

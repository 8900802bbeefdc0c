// How a simulated shopper responds to a row of games. Every assumption is a named parameter here
// and is stated in docs/simulator.md and on the #/simulate page:
// 1. Position bias as a cascade: the shopper goes down the row and examines card i with
//    probability examineDecay^i; after a click they stop (they went to that game's page).
// 2. Relevance: a held-out game (one the player really went on to own) is relevant (1); another
//    game is relevant in proportion to how alike it is (Jaccard over genres, tags, developer) to
//    the most similar held-out game, times similarRelevance; nothing else is.
// 3. An examined card is clicked with probability baseClick + (maxClick − baseClick) · relevance.
// 4. After a click the shopper buys with probability
//    (baseBuy + (maxBuy − baseBuy) · relevance) · exp(−sensitivity · price paid / catalog mean price):
//    a price-sensitive shopper is held back more by the same price, a free game by nothing, and a
//    discount lowers the price paid, which raises the chance by exactly that factor.
import { jaccard } from '../catalogIndex';
import type { SimShopper } from './population';

export interface ChoiceModelParams {
  examineDecay: number;
  baseClick: number;
  maxClick: number;
  similarRelevance: number;
  baseBuy: number;
  maxBuy: number;
}

export const defaultChoiceModel: ChoiceModelParams = {
  examineDecay: 0.85,
  baseClick: 0.02,
  maxClick: 0.6,
  similarRelevance: 0.5,
  baseBuy: 0.05,
  maxBuy: 0.7,
};

/** What the choice model needs to know about the store. */
export interface ChoiceCatalog {
  /** feature ids per item (catalogIndex.itemFeatures), sorted */
  itemFeatures: readonly Int32Array[];
  /** catalog prices, NaN when unknown (read as free: nothing to pay) */
  prices: ArrayLike<number>;
  /** mean price of the catalog's paid games: the scale prices are felt on */
  meanPrice: number;
}

export function examineProbability(position: number, params: ChoiceModelParams): number {
  return params.examineDecay ** position;
}

/** 1 for a held-out game; similarRelevance × the best Jaccard to a held-out game otherwise. */
export function relevanceOf(
  item: number,
  shopper: Pick<SimShopper, 'heldOut'>,
  catalog: Pick<ChoiceCatalog, 'itemFeatures'>,
  params: ChoiceModelParams,
): number {
  let best = 0;
  for (const target of shopper.heldOut) {
    if (target === item) return 1;
    best = Math.max(best, jaccard(catalog.itemFeatures[item], catalog.itemFeatures[target]));
  }
  return params.similarRelevance * best;
}

export function clickProbability(relevance: number, params: ChoiceModelParams): number {
  return params.baseClick + (params.maxClick - params.baseClick) * relevance;
}

export function purchaseProbability(
  relevance: number,
  pricePaid: number,
  sensitivity: number,
  meanPrice: number,
  params: ChoiceModelParams,
): number {
  const intent = params.baseBuy + (params.maxBuy - params.baseBuy) * relevance;
  const felt = pricePaid > 0 && meanPrice > 0 ? (sensitivity * pricePaid) / meanPrice : 0;
  return intent * Math.exp(-felt);
}

/** Uniform draws one session uses: an examine and a click draw per card, then one purchase draw. */
export const drawsPerSession = (rowLength: number) => 2 * rowLength + 1;

export interface SessionOutcome {
  /** the cards the shopper examined, in row order */
  examined: number[];
  /** the clicked game, or null */
  clicked: number | null;
  purchased: boolean;
  /** dollars paid (the offered price when there was an offer) */
  revenue: number;
  /** dollars below the catalog price the merchant gave on this purchase */
  discountGiven: number;
}

/**
 * One session on one row. `draws` are the session's uniforms in [0, 1), drawsPerSession(row.length)
 * of them, consumed at fixed places (card i: 2i and 2i + 1; purchase: the last) so two strategies
 * shown to the same shopper face the same luck: a paired comparison, with common random numbers.
 * `pricePaid(item)` is the catalog price or the offered one.
 */
export function simulateSession(
  row: readonly number[],
  shopper: Pick<SimShopper, 'heldOut' | 'priceSensitivity'>,
  catalog: ChoiceCatalog,
  draws: ArrayLike<number>,
  pricePaid: (item: number) => number,
  params: ChoiceModelParams = defaultChoiceModel,
): SessionOutcome {
  if (draws.length < drawsPerSession(row.length))
    throw new Error('simulateSession: too few draws for the row');
  const examined: number[] = [];
  for (let i = 0; i < row.length; i++) {
    if (!(draws[2 * i] < examineProbability(i, params))) continue;
    const item = row[i];
    examined.push(item);
    const relevance = relevanceOf(item, shopper, catalog, params);
    if (!(draws[2 * i + 1] < clickProbability(relevance, params))) continue;
    const paid = pricePaid(item);
    const buyChance = purchaseProbability(
      relevance,
      paid,
      shopper.priceSensitivity,
      catalog.meanPrice,
      params,
    );
    const purchased = draws[draws.length - 1] < buyChance;
    const listed = catalog.prices[item] > 0 ? catalog.prices[item] : 0;
    return {
      examined,
      clicked: item,
      purchased,
      revenue: purchased ? paid : 0,
      discountGiven: purchased ? Math.max(0, listed - paid) : 0,
    };
  }
  return { examined, clicked: null, purchased: false, revenue: 0, discountGiven: 0 };
}

/** The model's assumptions in words, with its parameters, for the page and the docs. */
export function choiceModelAssumptions(params: ChoiceModelParams = defaultChoiceModel): string[] {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return [
    `Position bias (a cascade): the shopper looks down the row and examines card i (from 0) with probability ${params.examineDecay}^i; after one click they stop.`,
    `Relevance: a game the player really went on to own (held out from every model) is relevant; another game counts ${params.similarRelevance} × its best genre/tag/developer overlap (Jaccard) with those games; anything else is not relevant.`,
    `Clicks: an examined card is clicked with probability ${pct(params.baseClick)} when irrelevant, rising linearly to ${pct(params.maxClick)} when relevant.`,
    `Purchases: after a click the shopper buys with probability ${pct(params.baseBuy)}–${pct(params.maxBuy)} by relevance, times exp(−sensitivity × price / the catalog's mean price); free games are not held back by price.`,
    'Price sensitivity comes from the player’s history: 1 − (mean price of their paid games ÷ the catalog’s mean) / 2, clamped to 0…1; 0.5 without a paid game.',
    'Offers lower the price the shopper would pay, which raises the purchase probability through the same price term; each bundle line is priced on its own.',
    'A clicked game joins what the store knows for the next session; a bought one is owned and never shown again.',
  ];
}

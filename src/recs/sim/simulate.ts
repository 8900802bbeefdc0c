// The simulation: prepare the world once (population, the store's ranker trained without the
// held-out games), then serve every shopper each strategy for a few sessions and summarise.
// Pure TypeScript over typed arrays: the same code runs in the #/simulate page and in
// `npm run simulate` under Node.
import type { Game } from '../../data/types';
import { decodeCommunity, recentCounts, toInteractionMatrix } from '../../ml/communityData';
import type { ConfidenceInterval } from '../../ml/eval/statistics';
import type { InteractionMatrix } from '../../ml/interactions';
import { createRng } from '../../ml/random';
import { buildCatalogIndex } from '../catalogIndex';
import { chooseOffers, partnerFromNeighbours } from '../offers/chooseOffers';
import { noMutedInterests, type Offer } from '../offers/types';
import { StoreRanker } from '../storeRanker';
import type { ShopperSignals } from '../types';
import { drawsPerSession, simulateSession, type ChoiceCatalog } from './choiceModel';
import {
  pairedDifference,
  smallDeveloperItems,
  summarize,
  type MetricContext,
  type MetricSummary,
  type ShopperOutcome,
} from './metrics';
import { buildPopulation, catalogMeanPrice, type Population, type SimShopper } from './population';
import type { SimulationSettings } from './settings';
import { parseStrategy, serveRow, strategyDescriptions, strategyName, type StrategySpec } from './strategies';

/** The store's data as shipped: the catalog and the community interactions. */
export interface SimulationWorld {
  games: Game[];
  community: InteractionMatrix;
  recentCounts: Float32Array;
}

export function worldFromFiles(catalog: { games: Game[] }, communityBytes: ArrayBuffer): SimulationWorld {
  const data = decodeCommunity(communityBytes);
  return { games: catalog.games, community: toInteractionMatrix(data), recentCounts: recentCounts(data) };
}

export interface StrategyResult {
  name: string;
  description: string;
  metrics: MetricSummary;
  /** mean number of offers made per shopper (0 without offers) */
  offersPerShopper: number;
}

export interface OfferEffect {
  strategy: string;
  /** the same strategy without offers */
  baseline: string;
  conversionUplift: ConfidenceInterval;
  revenueUplift: ConfidenceInterval;
  /** dollars of discount given per shopper on what was bought */
  cost: ConfidenceInterval;
}

export interface SimulationReport {
  settings: SimulationSettings;
  shoppers: number;
  strategies: StrategyResult[];
  comparison: { a: string; b: string; difference: MetricSummary } | null;
  offerEffects: OfferEffect[];
  /** one example offer, so a reader sees what shoppers were offered and why */
  exampleOffers: Offer[];
}

export interface PreparedSimulation {
  population: Population;
  ranker: StoreRanker;
  choiceCatalog: ChoiceCatalog;
  metricContext: MetricContext;
  games: Game[];
}

/** The population and the ranker trained without its held-out games (a couple of seconds). */
export async function prepareSimulation(
  world: SimulationWorld,
  settings: Pick<SimulationSettings, 'shoppers' | 'seed' | 'heldOutFraction' | 'minGames'>,
): Promise<PreparedSimulation> {
  const index = buildCatalogIndex(world.games);
  const population = buildPopulation(world.community, index.prices, settings);
  const ranker = new StoreRanker({ index, community: population.train, recentCounts: world.recentCounts });
  await ranker.fit();
  return {
    population,
    ranker,
    games: world.games,
    choiceCatalog: {
      itemFeatures: index.itemFeatures,
      prices: index.prices,
      meanPrice: catalogMeanPrice(index.prices),
    },
    metricContext: { itemCount: index.itemCount, smallDeveloper: smallDeveloperItems(world.games) },
  };
}

function signalsOf(
  history: readonly number[],
  weights: readonly number[],
  owned: ReadonlySet<number>,
): ShopperSignals {
  return {
    history: [...history],
    weights: [...weights],
    verbs: history.map(() => 'bought' as const),
    owned: [...owned],
    inCart: [],
    hidden: [],
  };
}

/** The offers a strategy with offers makes this shopper, from its own first row's candidates. */
function offersFor(
  prepared: PreparedSimulation,
  shopper: SimShopper,
  spec: StrategySpec,
  settings: SimulationSettings,
): Offer[] {
  const owned = new Set(shopper.history);
  const candidates = serveRow(
    prepared.ranker,
    spec.base,
    signalsOf(shopper.history, shopper.weights, owned),
    settings.rowLength,
    settings.diversity,
  );
  const { knn } = prepared.ranker;
  return chooseOffers({
    // community players have no profile edits, so nothing is muted; chooseOffers.test.ts covers mutes
    profile: { owned: shopper.history, priceSensitivity: shopper.priceSensitivity, muted: noMutedInterests },
    candidates,
    partnerOf: (item) => partnerFromNeighbours(item, knn.neighboursOf(item), owned),
    catalog: prepared.games,
    policy: settings.offerPolicy,
    // simulated time: offers are made at the epoch and last the policy's lifetime
    now: 0,
  });
}

export interface StrategyRun {
  outcomes: ShopperOutcome[];
  offersMade: number;
  exampleOffers: Offer[];
}

/**
 * Every shopper's sessions under one strategy. A shopper's luck comes from their own seed and
 * is drawn in the same amounts whatever is shown, so every strategy faces the same shoppers
 * with the same luck. `onShopper` lets a page yield now and then.
 */
export async function runStrategy(
  prepared: PreparedSimulation,
  spec: StrategySpec,
  settings: SimulationSettings,
  onShopper?: (done: number) => Promise<void> | void,
): Promise<StrategyRun> {
  const outcomes: ShopperOutcome[] = [];
  let offersMade = 0;
  let exampleOffers: Offer[] = [];
  const { prices } = prepared.choiceCatalog;
  for (const [done, shopper] of prepared.population.shoppers.entries()) {
    const offers = spec.offers ? offersFor(prepared, shopper, spec, settings) : [];
    offersMade += offers.length;
    if (exampleOffers.length === 0) exampleOffers = offers;
    // bundles are simplified to their lines: each line's offered price applies when that game is bought
    const offeredPrice = new Map(
      offers.flatMap((o) => o.lines.map((l) => [l.itemId, l.offeredPrice] as const)),
    );
    const pricePaid = (item: number) => offeredPrice.get(item) ?? (prices[item] > 0 ? prices[item] : 0);
    const random = createRng(shopper.seed);
    const history = [...shopper.history];
    const weights = [...shopper.weights];
    const owned = new Set(shopper.history);
    const outcome: ShopperOutcome = {
      sessions: 0,
      clicks: 0,
      purchases: 0,
      revenue: 0,
      discountGiven: 0,
      impressions: [],
    };
    for (let session = 0; session < settings.sessions; session++) {
      const draws = Float64Array.from({ length: drawsPerSession(settings.rowLength) }, () => random.next());
      const row = serveRow(
        prepared.ranker,
        spec.base,
        signalsOf(history, weights, owned),
        settings.rowLength,
        settings.diversity,
      );
      const result = simulateSession(
        row.map((r) => r.item),
        shopper,
        prepared.choiceCatalog,
        draws,
        pricePaid,
        settings.choice,
      );
      outcome.sessions++;
      outcome.impressions.push(...result.examined);
      if (result.clicked === null) continue;
      // the clicked game joins what the store knows (a view, or a purchase) for the next session
      outcome.clicks++;
      history.push(result.clicked);
      weights.push(result.purchased ? 5 : 1);
      if (!result.purchased) continue;
      owned.add(result.clicked);
      outcome.purchases++;
      outcome.revenue += result.revenue;
      outcome.discountGiven += result.discountGiven;
    }
    outcomes.push(outcome);
    await onShopper?.(done + 1);
  }
  return { outcomes, offersMade, exampleOffers };
}

export interface SimulationProgress {
  /** the strategy being served, or 'intervals' once every strategy has been served */
  strategy: string;
  done: number;
  total: number;
}

/** Run every strategy (and, for each "+offers" one, the same strategy without offers) and summarise. */
export async function runSimulation(
  prepared: PreparedSimulation,
  settings: SimulationSettings,
  onProgress?: (progress: SimulationProgress) => Promise<void> | void,
): Promise<SimulationReport> {
  const specs = settings.strategies.map(parseStrategy);
  const needed = new Map<string, StrategySpec>();
  for (const spec of specs) {
    needed.set(strategyName(spec), spec);
    if (spec.offers) needed.set(spec.base, { base: spec.base, offers: false });
  }
  const runs = new Map<string, StrategyRun>();
  const total = prepared.population.shoppers.length;
  for (const [name, spec] of needed) {
    runs.set(
      name,
      await runStrategy(prepared, spec, settings, (done) => onProgress?.({ strategy: name, done, total })),
    );
  }
  await onProgress?.({ strategy: 'intervals', done: 0, total });
  const bootstrap = { resamples: settings.resamples, seed: settings.seed };
  const context = prepared.metricContext;
  const summaries = new Map<string, MetricSummary>();
  const summaryOf = (name: string) => {
    if (!summaries.has(name)) summaries.set(name, summarize(runs.get(name)!.outcomes, context, bootstrap));
    return summaries.get(name)!;
  };
  const listed = specs.map(strategyName);
  const strategies = listed.map((name) => ({
    name,
    description:
      strategyDescriptions[parseStrategy(name).base] + (name.endsWith('+offers') ? ', with offers' : ''),
    metrics: summaryOf(name),
    offersPerShopper: total > 0 ? runs.get(name)!.offersMade / total : 0,
  }));
  const [a, b] = settings.compare ?? [listed[0], listed[1]];
  const comparison =
    a !== undefined && b !== undefined && runs.has(a) && runs.has(b)
      ? {
          a,
          b,
          difference: pairedDifference(runs.get(b)!.outcomes, runs.get(a)!.outcomes, context, bootstrap),
        }
      : null;
  const offerEffects = specs
    .filter((spec) => spec.offers)
    .map((spec): OfferEffect => {
      const withOffers = runs.get(strategyName(spec))!.outcomes;
      const without = runs.get(spec.base)!.outcomes;
      const difference = pairedDifference(withOffers, without, context, bootstrap);
      return {
        strategy: strategyName(spec),
        baseline: spec.base,
        conversionUplift: difference.conversion,
        revenueUplift: difference.revenuePerShopper,
        cost: summaryOf(strategyName(spec)).discountPerShopper,
      };
    });
  const exampleOffers = [...runs.values()].find((run) => run.exampleOffers.length > 0)?.exampleOffers ?? [];
  return { settings, shoppers: total, strategies, comparison, offerEffects, exampleOffers };
}

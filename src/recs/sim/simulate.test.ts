import { describe, expect, it } from 'vitest';
import type { Game } from '../../data/types';
import { fromSequences } from '../../ml/interactions';
import { createRng } from '../../ml/random';
import { defaultSimulationSettings } from './settings';
import { prepareSimulation, runSimulation, type SimulationWorld } from './simulate';

// A small world: 40 games in 4 genres (ten each, by 4 developers with one extra single-game
// developer per genre); 300 players who each own 6–10 games, mostly from one genre.
function smallWorld(): SimulationWorld {
  const genres = ['Action', 'Strategy', 'Puzzle', 'Racing'];
  const games: Game[] = Array.from({ length: 40 }, (_, id) => ({
    id,
    appId: String(id),
    title: `Game ${id}`,
    price: id % 5 === 0 ? 0 : 5 + (id % 7) * 5,
    genres: [genres[id % 4]],
    tags: [`tag${id % 3}`],
    developer: id % 10 === 9 ? `Solo ${id}` : `Studio ${id % 4}`,
    released: null,
    earlyAccess: false,
  }));
  const random = createRng(11);
  const sequences = Array.from({ length: 300 }, () => {
    const genre = random.nextInt(4);
    const length = 6 + random.nextInt(5);
    const owned = new Set<number>();
    while (owned.size < length)
      owned.add(random.next() < 0.8 ? genre + 4 * random.nextInt(10) : random.nextInt(40));
    return [...owned];
  });
  return { games, community: fromSequences(sequences, 40), recentCounts: new Float32Array(40) };
}

const settings = {
  ...defaultSimulationSettings,
  strategies: ['popularity', 'blend+offers', 'itemknn', 'diverse'],
  shoppers: 60,
  sessions: 2,
  rowLength: 5,
  resamples: 100,
};

async function run(overrides: Partial<typeof settings> = {}) {
  const merged = { ...settings, ...overrides };
  return runSimulation(await prepareSimulation(smallWorld(), merged), merged);
}

describe('runSimulation', () => {
  it('gives identical results for the same seed and different ones for another seed', async () => {
    const first = await run();
    const again = await run();
    expect(again).toEqual(first);
    const other = await run({ seed: 2 });
    expect(other.strategies.map((s) => s.metrics)).not.toEqual(first.strategies.map((s) => s.metrics));
  });

  it('reports every listed strategy with sane values, and the offers against the same strategy without them', async () => {
    const report = await run();
    expect(report.shoppers).toBe(60);
    expect(report.strategies.map((s) => s.name)).toEqual([
      'popularity',
      'blend+offers',
      'itemknn',
      'diverse',
    ]);
    for (const { metrics } of report.strategies) {
      for (const name of ['clickThrough', 'conversion', 'coverage', 'gini', 'smallDeveloperShare'] as const) {
        expect(metrics[name].mean).toBeGreaterThanOrEqual(0);
        expect(metrics[name].mean).toBeLessThanOrEqual(1);
        expect(metrics[name].lower).toBeLessThanOrEqual(metrics[name].upper);
      }
      expect(metrics.revenuePerShopper.mean).toBeGreaterThanOrEqual(0);
    }
    // popularity shows everyone nearly the same few games: fewer games seen than the personalised blend
    const [popularity, blend] = report.strategies;
    expect(popularity.metrics.coverage.mean).toBeLessThan(blend.metrics.coverage.mean);
    expect(popularity.metrics.discountPerShopper.mean).toBe(0);
    expect(blend.offersPerShopper).toBeGreaterThan(0);
    expect(report.offerEffects).toHaveLength(1);
    const [effect] = report.offerEffects;
    expect(effect).toMatchObject({ strategy: 'blend+offers', baseline: 'blend' });
    expect(effect.cost.mean).toBeGreaterThanOrEqual(0);
    for (const offer of report.exampleOffers) {
      for (const line of offer.lines) expect(line.offeredPrice).toBeLessThan(line.originalPrice);
    }
    expect(report.comparison).toMatchObject({ a: 'popularity', b: 'blend+offers' });
  });

  it('finds exactly no difference between a strategy and itself', async () => {
    const report = await run({ strategies: ['blend', 'blend'] });
    for (const interval of Object.values(report.comparison!.difference)) {
      expect(interval).toMatchObject({ mean: 0, lower: 0, upper: 0 });
    }
  });

  it('names an unknown strategy', async () => {
    await expect(run({ strategies: ['random'] })).rejects.toThrow(/unknown strategy "random"/);
  });
});

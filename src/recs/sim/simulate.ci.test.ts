// The headless simulator on the shipped data at CI size: a few hundred shoppers, two strategies.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Game } from '../../data/types';
import { metricNames } from './metrics';
import { defaultSimulationSettings, type SimulationSettings } from './settings';
import { prepareSimulation, runSimulation, worldFromFiles } from './simulate';

const dataFile = (name: string) => fileURLToPath(new URL(`../../../public/data/${name}`, import.meta.url));

function loadWorld() {
  const catalog = JSON.parse(readFileSync(dataFile('catalog.json'), 'utf8')) as { games: Game[] };
  const bytes = readFileSync(dataFile('community.bin'));
  return worldFromFiles(catalog, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

const settings: SimulationSettings = {
  ...defaultSimulationSettings,
  strategies: ['popularity', 'blend+offers'],
  shoppers: 200,
  sessions: 2,
  resamples: 200,
};

describe('simulate on the store data (CI size)', () => {
  it('is deterministic for a seed and reports values in their ranges', async () => {
    const world = loadWorld();
    const first = await runSimulation(await prepareSimulation(world, settings), settings);
    const second = await runSimulation(await prepareSimulation(world, settings), settings);
    expect(second).toEqual(first);
    expect(first.shoppers).toBe(200);
    for (const { metrics } of first.strategies) {
      for (const name of metricNames) {
        const { mean, lower, upper } = metrics[name];
        expect(Number.isFinite(mean)).toBe(true);
        expect(lower).toBeLessThanOrEqual(upper);
        if (name !== 'revenuePerShopper' && name !== 'discountPerShopper') {
          expect(mean).toBeGreaterThanOrEqual(0);
          expect(mean).toBeLessThanOrEqual(1);
        }
      }
      expect(metrics.clickThrough.mean).toBeGreaterThan(0);
    }
    // popularity shows everyone the same handful of games; the blend personalises
    const [popularity, blend] = first.strategies;
    expect(blend.metrics.coverage.mean).toBeGreaterThan(popularity.metrics.coverage.mean);
    expect(popularity.metrics.gini.mean).toBeGreaterThan(blend.metrics.gini.mean);
    expect(first.offerEffects[0].cost.mean).toBeGreaterThanOrEqual(0);
  }, 180_000);

  it('finds a difference of exactly 0 between a strategy and itself', async () => {
    const selfSettings = {
      ...settings,
      strategies: ['blend'],
      compare: ['blend', 'blend'] as [string, string],
    };
    const report = await runSimulation(await prepareSimulation(loadWorld(), selfSettings), selfSettings);
    for (const interval of Object.values(report.comparison!.difference)) {
      expect(interval).toMatchObject({ mean: 0, lower: 0, upper: 0 });
    }
  }, 180_000);
});

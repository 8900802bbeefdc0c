import { describe, expect, it } from 'vitest';
import { metricNames, type MetricSummary } from '../../src/recs/sim/metrics';
import { defaultSimulationSettings } from '../../src/recs/sim/settings';
import type { SimulationReport } from '../../src/recs/sim/simulate';
import { formatInterval, formatReport } from './table';

const summary = (value: number): MetricSummary =>
  Object.fromEntries(
    metricNames.map((n) => [n, { mean: value, lower: value - 0.1, upper: value + 0.1, confidence: 0.95 }]),
  ) as MetricSummary;

describe('formatReport', () => {
  it('writes an interval as mean [lower, upper]', () => {
    expect(formatInterval({ mean: 0.1234, lower: -0.0001, upper: 0.2, confidence: 0.95 }, 3)).toBe(
      '0.123 [0.000, 0.200]',
    );
  });

  it('prints one column per strategy, the paired difference and the offers', () => {
    const report: SimulationReport = {
      settings: defaultSimulationSettings,
      shoppers: 10,
      strategies: [
        { name: 'popularity', description: '', metrics: summary(0.5), offersPerShopper: 0 },
        { name: 'blend+offers', description: '', metrics: summary(0.25), offersPerShopper: 1 },
      ],
      comparison: { a: 'popularity', b: 'blend+offers', difference: summary(-0.25) },
      offerEffects: [
        {
          strategy: 'blend+offers',
          baseline: 'blend',
          conversionUplift: summary(0.02).conversion,
          revenueUplift: summary(1).revenuePerShopper,
          cost: summary(0.5).discountPerShopper,
        },
      ],
      exampleOffers: [],
    };
    const text = formatReport(report);
    expect(text).toContain('| Click-through            | 0.500 [0.400, 0.600] | 0.250 [0.150, 0.350] |');
    expect(text).toContain('| Revenue per shopper ($)  | 0.50 [0.40, 0.60]    | 0.25 [0.15, 0.35]    |');
    expect(text).toContain('blend+offers − popularity (paired, 95% CI)');
    expect(text).toContain('| blend+offers vs blend | 0.020 [-0.080, 0.120] | 1.00 [0.90, 1.10]');
  });
});

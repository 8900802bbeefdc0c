import { describe, expect, it } from 'vitest';
import type { MetricSummary } from '../../recs/sim/metrics';
import { metricNames } from '../../recs/sim/metrics';
import { defaultSimulationSettings } from '../../recs/sim/settings';
import type { SimulationReport } from '../../recs/sim/simulate';
import { fixed, intervalChartData, intervalRows } from './chartData';
import {
  describeStage,
  formStrategies,
  toSimulationSettings,
  type SimulateFormEntries,
} from './simulateForm';

const entries: SimulateFormEntries = {
  strategies: { popularity: true, itemknn: false, blend: true, diverse: false },
  offers: false,
  shoppers: 100,
  seed: 5,
  sessions: 2,
  budget: 4,
  compareA: 'popularity',
  compareB: 'blend',
};

describe('the simulate form', () => {
  it('lists the chosen strategies in a fixed order, each with offers when offers are on', () => {
    expect(formStrategies(entries)).toEqual(['popularity', 'blend']);
    expect(formStrategies({ ...entries, offers: true })).toEqual([
      'popularity',
      'popularity+offers',
      'blend',
      'blend+offers',
    ]);
  });

  it('builds the settings from the entries', () => {
    const result = toSimulationSettings(entries, defaultSimulationSettings);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings).toMatchObject({
      strategies: ['popularity', 'blend'],
      shoppers: 100,
      seed: 5,
      sessions: 2,
      compare: ['popularity', 'blend'],
    });
    expect(result.settings.offerPolicy.budgetPerShopper).toBe(4);
  });

  it('drops a comparison of a strategy that does not run, and names every bad entry', () => {
    const result = toSimulationSettings({ ...entries, compareB: 'diverse' }, defaultSimulationSettings);
    expect(result.ok && result.settings.compare).toBeUndefined();
    const problem = (overrides: Partial<SimulateFormEntries>) => {
      const r = toSimulationSettings({ ...entries, ...overrides }, defaultSimulationSettings);
      return r.ok ? null : r.problem;
    };
    expect(
      problem({ strategies: { popularity: false, itemknn: false, blend: false, diverse: false } }),
    ).toMatch(/at least one/);
    expect(problem({ shoppers: 0 })).toMatch(/Shoppers/);
    expect(problem({ shoppers: 2.5 })).toMatch(/Shoppers/);
    expect(problem({ seed: 1.5 })).toMatch(/seed/);
    expect(problem({ sessions: 11 })).toMatch(/Sessions/);
    expect(problem({ budget: -1 })).toMatch(/budget/);
    expect(problem({ budget: Number.NaN })).toMatch(/budget/);
  });
});

describe('the status line', () => {
  it('says what the worker is doing', () => {
    expect(describeStage({ stage: 'serving', strategy: 'blend', done: 20, total: 40 })).toBe(
      'blend: 20 of 40 shoppers',
    );
    expect(describeStage({ stage: 'preparing', shoppers: 40 })).toMatch(/^Drawing 40 shoppers/);
    expect(describeStage({ stage: 'intervals' })).toMatch(/intervals/);
  });
});

describe('the chart data', () => {
  const summary = (mean: number) =>
    Object.fromEntries(
      metricNames.map((n) => [n, { mean, lower: mean - 0.1, upper: mean + 0.2, confidence: 0.95 }]),
    ) as MetricSummary;
  const report = {
    strategies: [
      { name: 'popularity', description: '', metrics: summary(0.3), offersPerShopper: 0 },
      { name: 'blend', description: '', metrics: summary(0.5), offersPerShopper: 0 },
    ],
  } as SimulationReport;

  it('writes numbers without a sign on a rounded zero', () => {
    expect(fixed(-0.0001, 3)).toBe('0.000');
    expect(fixed(-0.012, 2)).toBe('-0.01');
    expect(fixed(2.345, 1)).toBe('2.3');
  });

  it('draws the interval as a floating bar and the mean as a point, the same numbers as the table', () => {
    const rows = intervalRows(report, 'conversion');
    expect(rows).toEqual([
      { strategy: 'popularity', mean: 0.3, lower: 0.3 - 0.1, upper: 0.3 + 0.2 },
      { strategy: 'blend', mean: 0.5, lower: 0.5 - 0.1, upper: 0.5 + 0.2 },
    ]);
    const data = intervalChartData(rows, 'Conversion');
    expect(data.labels).toEqual(['popularity', 'blend']);
    expect(data.datasets[0].data).toEqual([
      [0.3 - 0.1, 0.3 + 0.2],
      [0.5 - 0.1, 0.5 + 0.2],
    ]);
    expect(data.datasets[1].data).toEqual([0.3, 0.5]);
  });
});

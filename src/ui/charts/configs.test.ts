import { describe, expect, it } from 'vitest';
import { computeFunnel, pathFlows, satisfactionByDay } from '../../recs/insights';
import { testLog } from '../../recs/insights/testLog';
import { curveChart, funnelChart, pathChart, satisfactionChart } from './configs';

// The charts must draw the numbers the tables show: the same values, in the same order.
describe('chart configurations', () => {
  it('the funnel chart holds both funnels, step by step', () => {
    const config = funnelChart(computeFunnel(testLog), computeFunnel(testLog, { fromRecommendations: true }));
    expect(config.data.labels).toEqual(['Viewed', 'Added to cart', 'Bought']);
    expect(config.data.datasets.map((d) => d.data)).toEqual([
      [4, 3, 3],
      [2, 2, 1],
    ]);
  });

  it('the Sankey has one flow per path link, nodes named and placed in their step’s column', () => {
    const dataset = pathChart(pathFlows(testLog, 3)).data.datasets[0];
    expect(dataset.data).toContainEqual({ from: '0:Home', to: '1:For you', flow: 1 });
    expect(dataset.data).toHaveLength(6);
    expect(dataset.labels?.['1:For you']).toBe('For you');
    expect(dataset.column?.['2:Bought']).toBe(2);
  });

  it('satisfaction stacks the answers of each day; a curve keeps its points in order', () => {
    const config = satisfactionChart(satisfactionByDay(testLog));
    expect(config.data.labels).toEqual(['1970-01-01', '1970-01-02']);
    expect(config.data.datasets.map((d) => d.data)).toEqual([
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    const curve = curveChart('loss', [
      { step: 1, value: 0.9 },
      { step: 2, value: 0.5 },
    ]);
    expect(curve.data.labels).toEqual([1, 2]);
    expect(curve.data.datasets[0].data).toEqual([0.9, 0.5]);
  });
});

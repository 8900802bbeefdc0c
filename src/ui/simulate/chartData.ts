// What the simulator page's chart draws, as plain numbers: one floating bar per strategy from
// the interval's lower to upper end, and its mean as a point. The table under the chart is
// made from the same rows, so the two cannot disagree.
import type { ChartData } from 'chart.js';
import type { MetricName } from '../../recs/sim/metrics';
import type { SimulationReport } from '../../recs/sim/simulate';

/** x with `digits` decimals; a tiny negative that rounds to zero is written without its sign. */
export function fixed(x: number, digits: number): string {
  return x.toFixed(digits).replace(/^-(0\.?0*)$/, '$1');
}

export interface IntervalRow {
  strategy: string;
  mean: number;
  lower: number;
  upper: number;
}

export function intervalRows(report: SimulationReport, metric: MetricName): IntervalRow[] {
  return report.strategies.map((s) => ({
    strategy: s.name,
    mean: s.metrics[metric].mean,
    lower: s.metrics[metric].lower,
    upper: s.metrics[metric].upper,
  }));
}

/** A bar holds [lower, upper]; a point holds the mean. */
export type IntervalChartData = ChartData<'bar' | 'line', (number | [number, number])[], string>;

/** Chart.js data for a bar chart with floating interval bars and a mean marker per strategy. */
export function intervalChartData(rows: readonly IntervalRow[], label: string): IntervalChartData {
  return {
    labels: rows.map((r) => r.strategy),
    datasets: [
      {
        type: 'bar' as const,
        label: `${label}: 95% interval`,
        data: rows.map((r) => [r.lower, r.upper] as [number, number]),
        backgroundColor: 'rgba(92, 200, 255, 0.35)',
        borderColor: '#5cc8ff',
        borderWidth: 1,
      },
      {
        type: 'line' as const,
        label: `${label}: mean`,
        data: rows.map((r) => r.mean),
        showLine: false,
        pointRadius: 5,
        pointBackgroundColor: '#ffd166',
        borderColor: '#ffd166',
      },
    ],
  };
}

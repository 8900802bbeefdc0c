// The report as plain-text tables for the terminal and docs/simulator.md.
import type { ConfidenceInterval } from '../../src/ml/eval/statistics';
import { metricLabels, metricNames, type MetricName } from '../../src/recs/sim/metrics';
import type { SimulationReport } from '../../src/recs/sim/simulate';

const money: ReadonlySet<MetricName> = new Set(['revenuePerShopper', 'discountPerShopper']);

export function formatInterval(interval: ConfidenceInterval, digits: number): string {
  // a tiny negative rounds to "-0.000", which reads as a sign where there is none
  const f = (x: number) => x.toFixed(digits).replace(/^-(0\.?0*)$/, '$1');
  return `${f(interval.mean)} [${f(interval.lower)}, ${f(interval.upper)}]`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Markdown tables: the metrics per strategy, the A/B difference, the offers' effects. */
export function formatReport(report: SimulationReport): string {
  const digits = (name: MetricName) => (money.has(name) ? 2 : 3);
  const parts = [
    table(
      ['metric (95% CI)', ...report.strategies.map((s) => s.name)],
      metricNames.map((name) => [
        metricLabels[name],
        ...report.strategies.map((s) => formatInterval(s.metrics[name], digits(name))),
      ]),
    ),
  ];
  if (report.comparison) {
    const { a, b, difference } = report.comparison;
    parts.push(
      table(
        ['metric', `${b} − ${a} (paired, 95% CI)`],
        metricNames.map((name) => [metricLabels[name], formatInterval(difference[name], digits(name))]),
      ),
    );
  }
  if (report.offerEffects.length > 0) {
    parts.push(
      table(
        ['offers', 'conversion uplift', 'revenue uplift ($/shopper)', 'cost ($/shopper)'],
        report.offerEffects.map((e) => [
          `${e.strategy} vs ${e.baseline}`,
          formatInterval(e.conversionUplift, 3),
          formatInterval(e.revenueUplift, 2),
          formatInterval(e.cost, 2),
        ]),
      ),
    );
  }
  return parts.join('\n\n');
}

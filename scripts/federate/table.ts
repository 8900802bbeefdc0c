// The federated report as a plain-text table: one row per arm, HR@10 and NDCG@10 with their 95%
// bootstrap intervals, and the share of central training's NDCG@10 each arm keeps.
import { armLabel, type FederatedReport } from '../../src/ml/federated/simulate';
import type { ConfidenceInterval } from '../../src/ml/eval/statistics';

const interval = (ci: ConfidenceInterval) =>
  `${ci.mean.toFixed(4)} [${ci.lower.toFixed(4)}, ${ci.upper.toFixed(4)}]`;

export function formatFederatedTable(report: FederatedReport): string {
  const central = report.arms.find((arm) => arm.kind === 'central');
  const header = ['arm', 'z', 'HR@10 [95% CI]', 'NDCG@10 [95% CI]', 'NDCG vs central'];
  const rows = report.arms.map((arm) => [
    armLabel(arm),
    arm.noiseMultiplier.toFixed(3),
    interval(arm.hitRate),
    interval(arm.ndcg),
    central && central.ndcg.mean > 0 ? `${((100 * arm.ndcg.mean) / central.ndcg.mean).toFixed(0)}%` : '–',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

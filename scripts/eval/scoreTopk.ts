// `npm run eval -- --score-topk FILE`: another system's top-k file scored beside the run's own
// top lists — the same users and targets, metrics, intervals and paired tests (src/ml/eval/topkScore.ts)
// — and printed as one table, so a RecBole or PyTorch run reads like one of ours.
import { DatasetParseError } from '../../src/ml/io';
import { pairedTestLine, scoreTopkFiles, type ScoredTopkFiles } from '../../src/ml/eval/topkScore';
import { UsageError } from './args';

export interface TopkScoring {
  scored: ScoredTopkFiles;
  ourName: string;
  theirName: string;
  ks: number[];
}

/** Scores the file against our run's top lists; a bad file is refused naming it and its first bad line. */
export function scoreTopkFile(
  oursText: string,
  theirsText: string,
  names: { ours: string; theirs: string },
  options: { ks: number[]; seed: number; bootstrapResamples?: number },
): TopkScoring {
  try {
    return {
      scored: scoreTopkFiles(oursText, theirsText, options),
      ourName: names.ours,
      theirName: names.theirs,
      ks: options.ks,
    };
  } catch (error) {
    if (error instanceof DatasetParseError)
      throw new UsageError(`top-k file ${names.theirs}: ${error.message}`);
    throw error;
  }
}

const fmt = (value: number) => (Number.isNaN(value) ? '—' : value.toFixed(4));
/** Both rows with HR and NDCG at each K and MRR (mean [95% interval]), then the paired lines. */
export function formatTopkTable({ scored, ourName, theirName, ks }: TopkScoring): string {
  const metrics = [...ks.flatMap((k) => [`HR@${k}`, `NDCG@${k}`]), 'MRR'];
  const width = 26;
  const nameWidth = Math.max(14, ourName.length + 2, theirName.length + 2);
  const row = (name: string, summary: ScoredTopkFiles['ours']['summary']) =>
    name.padEnd(nameWidth) +
    metrics
      .map((m) =>
        `${fmt(summary[m].mean)} [${fmt(summary[m].lower)}, ${fmt(summary[m].upper)}]`.padEnd(width),
      )
      .join('');
  const lines = [
    `scored alike from the top-k lists (a target below a list's end is a miss; MRR is cut at the list's length)`,
    '',
    'system'.padEnd(nameWidth) + metrics.map((m) => m.padEnd(width)).join(''),
    row(ourName, scored.ours.summary),
    row(theirName, scored.theirs.summary),
    '',
  ];
  for (const metric of metrics) {
    const comparison = scored.comparisons.find((c) => c.metric === metric);
    if (comparison) lines.push(`paired    ${pairedTestLine(comparison)}`);
  }
  return lines.map((line) => line.trimEnd()).join('\n');
}

// Scores top-k files — Aisle's own (`--topk-out`, the lab's top-100 lists) and another system's
// (RecBole, PyTorch) — one way: the same users and held-out targets, the same metrics from the
// targets' positions in each ranked list, the same bootstrap intervals and the same paired tests.
// A file whose users or targets are not the split's is refused at its first bad line, since a
// paired test over different users or targets would compare nothing.
import { DatasetParseError } from '../io/errors';
import { averagePrecision, hitRate, ndcg, recall, reciprocalRank } from './metrics';
import { bootstrapConfidenceInterval, mean, pairedComparison, type ConfidenceInterval } from './statistics';

/** One line of a top-k file: `user<TAB>targets (comma-separated)<TAB>ranked items (space-separated)`. */
export interface TopkLine {
  /** 1-based, for messages */
  lineNumber: number;
  user: string;
  targets: string[];
  items: string[];
}

/** Reads a top-k file; blank lines are skipped, anything else not of three tab-separated fields is refused. */
export function parseTopkText(text: string): TopkLine[] {
  const lines: TopkLine[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const lineNumber = index + 1;
    const fields = line.split('\t');
    if (fields.length !== 3) {
      throw new DatasetParseError(
        lineNumber,
        `expected user<TAB>targets<TAB>ranked items, found ${fields.length} tab-separated field(s)`,
      );
    }
    const [user, targetText, itemText] = fields;
    if (user.trim() === '') throw new DatasetParseError(lineNumber, 'the user is empty');
    const targets = targetText.split(',').filter(Boolean);
    if (targets.length === 0) throw new DatasetParseError(lineNumber, `user "${user}" has no targets`);
    const items = itemText.split(' ').filter(Boolean);
    const repeated = items.find((item, i) => items.indexOf(item) !== i);
    if (repeated !== undefined) throw new DatasetParseError(lineNumber, `item "${repeated}" is ranked twice`);
    lines.push({ lineNumber, user, targets, items });
  });
  return lines;
}

const sameTargets = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * The file's lines in the reference's user order, after checking that every line is a user of the
 * reference with the reference's targets (in any order), once, and that no user is missing.
 */
export function alignTopk(reference: readonly TopkLine[], file: readonly TopkLine[]): TopkLine[] {
  const referenceByUser = new Map(reference.map((line) => [line.user, line]));
  const byUser = new Map<string, TopkLine>();
  for (const line of file) {
    const expected = referenceByUser.get(line.user);
    if (!expected) {
      throw new DatasetParseError(
        line.lineNumber,
        `user "${line.user}" is not one of the split's ${reference.length} evaluated users`,
      );
    }
    const earlier = byUser.get(line.user);
    if (earlier) {
      throw new DatasetParseError(
        line.lineNumber,
        `user "${line.user}" already has line ${earlier.lineNumber}`,
      );
    }
    if (!sameTargets(line.targets, expected.targets)) {
      throw new DatasetParseError(
        line.lineNumber,
        `user "${line.user}" has targets "${line.targets.join(',')}" but the split holds out "${expected.targets.join(',')}"`,
      );
    }
    byUser.set(line.user, line);
  }
  const missing = reference.filter((line) => !byUser.has(line.user));
  if (missing.length > 0) {
    throw new DatasetParseError(
      0,
      `the file has no line for ${missing.length} of the split's ${reference.length} evaluated users, e.g. "${missing[0].user}"`,
    );
  }
  return reference.map((line) => byUser.get(line.user)!);
}

/** 1-based positions of the targets in the ranked list, ascending; targets not listed are left out. */
export function targetPositionsInList(line: Pick<TopkLine, 'targets' | 'items'>): number[] {
  const rank = new Map(line.items.map((item, i) => [item, i + 1]));
  return line.targets
    .map((target) => rank.get(target))
    .filter((position): position is number => position !== undefined)
    .sort((a, b) => a - b);
}

export interface TopkScore {
  users: number;
  /** metric (HR@10, Recall@10, NDCG@10, MAP@10, MRR) -> value per user, in the lines' order */
  perUser: Record<string, Float64Array>;
  /** metric -> mean with its seeded bootstrap interval */
  summary: Record<string, ConfidenceInterval>;
}

export interface TopkScoreOptions {
  ks: readonly number[];
  seed?: number;
  bootstrapResamples?: number;
}

/**
 * The lab's metrics from each line's list: a target below the list's end is a miss, so MRR is
 * cut at the list's length (100 for Aisle's lists) where the lab's own MRR ranks every item.
 */
export function scoreTopk(lines: readonly TopkLine[], options: TopkScoreOptions): TopkScore {
  const names = [...options.ks.flatMap((k) => [`HR@${k}`, `Recall@${k}`, `NDCG@${k}`, `MAP@${k}`]), 'MRR'];
  const perUser = Object.fromEntries(names.map((name) => [name, new Float64Array(lines.length)]));
  lines.forEach((line, u) => {
    const positions = targetPositionsInList(line);
    for (const k of options.ks) {
      perUser[`HR@${k}`][u] = hitRate(positions, k);
      perUser[`Recall@${k}`][u] = recall(positions, line.targets.length, k);
      perUser[`NDCG@${k}`][u] = ndcg(positions, line.targets.length, k);
      perUser[`MAP@${k}`][u] = averagePrecision(positions, line.targets.length, k);
    }
    perUser.MRR[u] = reciprocalRank(positions);
  });
  const summary = Object.fromEntries(
    names.map((name) => [
      name,
      bootstrapConfidenceInterval(perUser[name], {
        seed: options.seed ?? 0,
        resamples: options.bootstrapResamples,
      }),
    ]),
  );
  return { users: lines.length, perUser, summary };
}

export interface TopkComparison {
  metric: string;
  meanOurs: number;
  meanTheirs: number;
  /** mean of theirs − ours over the users */
  meanDifference: number;
  tTestP: number;
  permutationP: number;
  users: number;
}

/** Paired tests of the other system against ours on one metric, user by user. */
export function compareTopk(ours: TopkScore, theirs: TopkScore, metric: string, seed = 0): TopkComparison {
  const a = theirs.perUser[metric];
  const b = ours.perUser[metric];
  if (!a || !b) throw new RangeError(`unknown metric ${metric}`);
  return {
    metric,
    meanOurs: mean(b),
    meanTheirs: mean(a),
    ...pairedComparison(a, b, { seed }),
    users: a.length,
  };
}

const signed = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(4)}`;
const pValue = (p: number) => (Number.isNaN(p) ? '—' : p < 0.0001 ? '< .0001' : p.toFixed(4));

/** One paired comparison in words, as the runner prints it and the lab page shows it. */
export function pairedTestLine(comparison: TopkComparison): string {
  return `${comparison.metric} ${signed(comparison.meanDifference)} (theirs − ours) over ${comparison.users} users; paired t-test p ${pValue(comparison.tTestP)}, permutation p ${pValue(comparison.permutationP)}`;
}

export interface ScoredTopkFiles {
  ours: TopkScore;
  theirs: TopkScore;
  /** one paired comparison per metric, in the summary's order */
  comparisons: TopkComparison[];
}

/**
 * Our run's top-k text (the reference: its users and targets are the split's) and another
 * system's, scored alike and compared metric by metric. Throws DatasetParseError at the other
 * file's first bad line.
 */
export function scoreTopkFiles(
  oursText: string,
  theirsText: string,
  options: TopkScoreOptions,
): ScoredTopkFiles {
  const reference = parseTopkText(oursText);
  const aligned = alignTopk(reference, parseTopkText(theirsText));
  const ours = scoreTopk(reference, options);
  const theirs = scoreTopk(aligned, options);
  const comparisons = Object.keys(ours.summary).map((metric) =>
    compareTopk(ours, theirs, metric, options.seed),
  );
  return { ours, theirs, comparisons };
}

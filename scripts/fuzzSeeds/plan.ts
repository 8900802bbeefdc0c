// What `npm run fuzz:seeds` runs: which fuzz files, under which seeds and at what size, and how
// its outcome reads. Pure, so it is tested; scripts/fuzzSeeds.ts runs the plan.
//
// CI runs every property test once with a seed fast-check picks at random, so each CI run tries
// new inputs, and a rare counterexample can turn up on any run. Hunting with many seeds before
// landing finds those here instead.

export class UsageError extends Error {}

export const usage = `Usage: npm run fuzz:seeds -- [options] [fuzz test files]
  --seeds N   seeds per file (default 30)
  --from S    the first seed; the others follow it (default: a random one, printed, so each hunt
              tries new seeds and any run can be replayed)
  --runs N    inputs per property (AISLE_FUZZ_RUNS; default the suites' own, 10,000 per importer)
Files default to every src/**/*.fuzz.test.ts. One Vitest process at a time, one file and seed each.`;

/** fast-check takes a 32-bit signed seed */
const largestSeed = 2 ** 31 - 1;

export interface FuzzPlan {
  seeds: number[];
  runs: number | null;
  files: string[];
}

function wholeNumber(flag: string, value: string, least: number, most: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < least || n > most)
    throw new UsageError(`${flag} needs a whole number from ${least} to ${most}, got "${value}"`);
  return n;
}

/** The plan from the command line; `randomFirst` is the first seed when --from is not given. */
export function parseFuzzArgs(argv: readonly string[], randomFirst: number): FuzzPlan {
  let count = 30;
  let first = randomFirst;
  let runs: number | null = null;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (!flag.startsWith('--')) {
      files.push(flag);
      continue;
    }
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    if (flag === '--seeds') count = wholeNumber(flag, value, 1, 10_000);
    else if (flag === '--from') first = wholeNumber(flag, value, 0, largestSeed);
    else if (flag === '--runs') runs = wholeNumber(flag, value, 1, 100_000_000);
    else throw new UsageError(`unknown option ${flag}`);
  }
  if (first + count - 1 > largestSeed)
    throw new UsageError(
      `--from ${first} with ${count} seeds passes fast-check's largest seed, ${largestSeed}`,
    );
  return { seeds: Array.from({ length: count }, (_, i) => first + i), runs, files };
}

/** The command that replays one run exactly: the same file, seed and size. */
export function replayCommand(file: string, seed: number, runs: number | null): string {
  const size = runs === null ? '' : ` AISLE_FUZZ_RUNS=${runs}`;
  return `AISLE_FUZZ_SEED=${seed}${size} npx vitest run ${file}`;
}

export interface SeedOutcome {
  file: string;
  seed: number;
  passed: boolean;
  seconds: number;
}

/** One line per file: seeds tried, how many failed and which; then a replay command per failure. */
export function summarise(outcomes: readonly SeedOutcome[], runs: number | null): string {
  const files = [...new Set(outcomes.map((o) => o.file))];
  const lines = files.map((file) => {
    const mine = outcomes.filter((o) => o.file === file);
    const failed = mine.filter((o) => !o.passed).map((o) => o.seed);
    const seconds = mine.reduce((sum, o) => sum + o.seconds, 0);
    const failures =
      failed.length === 0 ? 'no failure' : `${failed.length} failed: seeds ${failed.join(', ')}`;
    return `${file}: ${mine.length} seeds, ${failures} (${seconds.toFixed(0)} s)`;
  });
  const replays = outcomes.filter((o) => !o.passed).map((o) => `  ${replayCommand(o.file, o.seed, runs)}`);
  return replays.length === 0 ? lines.join('\n') : [...lines, 'Replay:', ...replays].join('\n');
}

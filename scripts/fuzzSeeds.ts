// `npm run fuzz:seeds -- [--seeds 30] [--from S] [--runs N] [files]`: every fuzz file under many
// seeds, one Vitest process at a time (scripts/fuzzSeeds/plan.ts says why). Prints a line per
// run, then a line per file and the command that replays each failure; a failing run's output is
// kept in a log file. Exits 1 when any seed failed. Not part of `npm test`.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  parseFuzzArgs,
  summarise,
  usage,
  UsageError,
  type FuzzPlan,
  type SeedOutcome,
} from './fuzzSeeds/plan';

function fuzzFiles(): string[] {
  return readdirSync('src', { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.fuzz.test.ts'))
    .map((path) => join('src', path))
    .sort();
}

function runOne(file: string, seed: number, runs: number | null): SeedOutcome {
  const started = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env, AISLE_FUZZ_SEED: String(seed) };
  if (runs !== null) env.AISLE_FUZZ_RUNS = String(runs);
  const run = spawnSync('npx', ['vitest', 'run', file], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const outcome = { file, seed, passed: run.status === 0, seconds: (performance.now() - started) / 1000 };
  let note = '';
  if (!outcome.passed) {
    const log = join(tmpdir(), `aisle-fuzz-${basename(file, '.test.ts')}-${seed}.log`);
    writeFileSync(log, `${run.stdout}\n${run.stderr}`);
    note = `, output in ${log}`;
  }
  console.log(
    `${file} seed ${seed}: ${outcome.passed ? 'passed' : 'FAILED'} in ${outcome.seconds.toFixed(0)} s${note}`,
  );
  return outcome;
}

function main(): void {
  let plan: FuzzPlan;
  try {
    plan = parseFuzzArgs(process.argv.slice(2), Math.floor(Math.random() * 2 ** 30));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    process.exit(2);
  }
  const files = plan.files.length > 0 ? plan.files : fuzzFiles();
  const last = plan.seeds[plan.seeds.length - 1];
  console.log(`Seeds ${plan.seeds[0]}–${last} on ${files.length} files, ${plan.runs ?? 'default'} runs each`);
  const outcomes = files.flatMap((file) => plan.seeds.map((seed) => runOne(file, seed, plan.runs)));
  console.log(`\n${summarise(outcomes, plan.runs)}`);
  process.exit(outcomes.every((o) => o.passed) ? 0 : 1);
}

main();

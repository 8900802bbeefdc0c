// `npm run bench` command line: parsed into a plain object by a pure function (tested).
import type { BackendName } from '../../src/data/records';
import type { WasmThreadSetting } from '../../src/worker/bench/protocol';

export const benchModels = ['popularity', 'itemknn', 'ease', 'mf', 'sasrec', 'gru'] as const;
/**
 * What runs without --models: all but ease, which refuses the default dataset (amazon-beauty's
 * 12,101 items are above its maxItems; bench it on Last.fm with --models ease --data …).
 */
export const defaultBenchModels = benchModels.filter((model) => model !== 'ease');
export const benchBackends: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface BenchOptions {
  quick: boolean;
  models: string[];
  backends: BackendName[];
  /** epochs for mf, sasrec and gru */
  epochs: number;
  /** the sequence file (userId item1 item2 …) and the name the table gives it */
  data: string;
  datasetName: string;
  /** train on an evenly spaced slice of this many users (--quick sets one) */
  maxUsers?: number;
  /** train on this share of the users and extrapolate s/epoch (default 1: whole epochs) */
  trainFraction: number;
  /** training seconds per row before falling back to an extrapolated fraction of an epoch */
  trainBudgetSec: number;
  /** users in the probe that estimates an epoch's time */
  probeUsers: number;
  latencySamples: number;
  /** shopper events driven through the storefront; 0 skips that part */
  storeEvents: number;
  /** the storefront's background training before its events: quick (a 1,500-player sample), full, off */
  storeTrain: StoreTrainMode;
  /** plans whose "For you" quality is measured in Node with the store worker's code, after the browser parts */
  storeQualityPlans: ('quick' | 'full')[];
  /** where that measurement keeps MF, the GRU and the profile encoder between runs */
  storeModels: string;
  /** a CPU profile of the storefront page's main thread during its clicks goes here (.cpuprofile) */
  storeCpuProfile?: string;
  /** cold + warm visits of #/ for the startup section; 0 skips it */
  startupRuns: number;
  /** only the startup section: no model rows, no storefront events */
  startupOnly: boolean;
  rowTimeoutSec: number;
  /** every wasm row runs once per setting: 1 thread and all cores by default, side by side */
  wasmThreads: WasmThreadSetting[];
  json: string;
  /** time one embedding training step in Node (dense against lazy Adam) instead of the browser rows */
  step: boolean;
  help: boolean;
}

/** --quick trains on this many users of the dataset, evenly spaced through the file */
export const quickSliceUsers = 1000;

export const storeTrainModes = ['quick', 'full', 'off'] as const;
export type StoreTrainMode = (typeof storeTrainModes)[number];

export class UsageError extends Error {}

export const usage = `Usage: npm run bench [-- options]
  --quick                 a 1,000-user slice of amazon-beauty, 1 epoch, 3 s training budget per row,
                          8 s per row, 20 latency samples, 20 store events: under 3 minutes on 2 cores
  --models a,b            of ${benchModels.join(', ')} (default all but ease, whose
                          items² matrix refuses amazon-beauty: use it with --data LastFM.txt)
  --backends a,b          of ${benchBackends.join(', ')} (default all)
  --epochs N              epochs for mf, sasrec, gru (default 2: the second is the warm one timed)
  --budget S              training seconds per row: a short probe estimates an epoch and, when the
                          epochs would not fit, one epoch on the users that fit is timed and
                          s/epoch extrapolated (default 60; --quick 3)
  --fraction F            train on this share of the users, extrapolate s/epoch (overrides --budget)
  --max-users N           train on an evenly spaced slice of N users
  --samples N             event -> top-10 timings per row (default 100)
  --store-events N        shopper events for the storefront latency, 0 to skip (default 100)
  --store-train MODE      the storefront's background training before the events, waited for so the
                          learned blend is what gets timed: quick (a 1,500-player sample, default),
                          full (the shopper's plan; minutes), off (baselines only)
  --store-quality PLANS   "For you" quality measured in Node with the store worker's code
                          (learnStoreModels), after the browser parts: full, quick, full,quick or
                          none (default full, the plan a shopper gets; --quick none). The first run
                          trains the plan's models (minutes), later runs load them from:
  --store-models DIR      (default /tmp/aisle-store-models)
  --store-cpu-profile F   write a CPU profile of the storefront page's main thread during its
                          clicks to F (Chrome DevTools' .cpuprofile; the timings then include
                          the profiler's sampling)
  --startup-runs N        cold + warm visits of #/ timed to the first "For you" card, each cold one
                          in a new browser profile, 0 to skip (default 5; --quick 3)
  --startup-only          only the startup section (no model rows, no storefront events)
  --row-timeout S         stop a row after S seconds (default 300; --quick 8)
  --wasm-threads a,b      thread counts for the wasm rows, each its own row: numbers or "all"
                          (every core, up to 8); default 1,all (threads need the isolated page,
                          which the bench's server gives). SASRec / GRU "all" rows train on two
                          replicas of one thread each instead (data-parallel)
  --data FILE             sequence file (default ../shared/datasets/amazon-beauty/Beauty.txt)
  --dataset-name NAME     its name in the table (default amazon-beauty)
  --json FILE             where the results go (default bench-results/bench.json)
  --step                  instead of the above: time one MF training step in Node, tfjs's dense Adam
                          against the lazy Adam the models train with (with --quick: smaller tables)`;

function listOf<T extends string>(text: string, known: readonly T[], what: string): T[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!known.includes(name as T)) throw new UsageError(`unknown ${what} "${name}" (${known.join(', ')})`);
  }
  if (names.length === 0) throw new UsageError(`--${what}s needs at least one name`);
  return names as T[];
}

function positiveNumber(text: string, flag: string, { whole }: { whole: boolean }): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (whole && !Number.isInteger(value))) {
    throw new UsageError(`${flag} must be a ${whole ? 'whole' : ''} number ≥ 0, got "${text}"`);
  }
  return value;
}

export function parseBenchArgs(argv: readonly string[], defaultData: string): BenchOptions {
  const flags = new Set(['quick', 'step', 'help', 'startup-only']);
  const values = new Map<string, string>();
  const present = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const name = arg.slice(2);
    present.add(name);
    if (flags.has(name)) continue;
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    values.set(name, value);
    i++;
  }
  const known = new Set([
    ...flags,
    'models',
    'backends',
    'epochs',
    'fraction',
    'budget',
    'max-users',
    'samples',
    'store-events',
    'store-train',
    'store-quality',
    'store-models',
    'store-cpu-profile',
    'startup-runs',
    'row-timeout',
    'wasm-threads',
    'data',
    'dataset-name',
    'json',
  ]);
  for (const name of present) if (!known.has(name)) throw new UsageError(`unknown option --${name}`);

  const quick = present.has('quick');
  const number = (name: string, fallback: number, whole = true) =>
    values.has(name) ? positiveNumber(values.get(name)!, `--${name}`, { whole }) : fallback;
  const fraction = number('fraction', 1, false);
  if (fraction <= 0 || fraction > 1) throw new UsageError('--fraction must be in (0, 1]');
  const epochs = number('epochs', quick ? 1 : 2);
  if (epochs < 1) throw new UsageError('--epochs must be at least 1');
  const maxUsers = values.has('max-users') ? number('max-users', 0) : quick ? quickSliceUsers : undefined;
  return {
    quick,
    models: values.has('models')
      ? listOf(values.get('models')!, benchModels, 'model')
      : [...defaultBenchModels],
    backends: values.has('backends')
      ? listOf(values.get('backends')!, benchBackends, 'backend')
      : [...benchBackends],
    epochs,
    data: values.get('data') ?? defaultData,
    datasetName: values.get('dataset-name') ?? 'amazon-beauty',
    maxUsers: maxUsers || undefined,
    trainFraction: fraction,
    trainBudgetSec: number('budget', quick ? 3 : 60, false),
    probeUsers: quick ? 128 : 256,
    latencySamples: number('samples', quick ? 20 : 100),
    storeEvents: number('store-events', quick ? 20 : 100),
    storeTrain: values.has('store-train')
      ? listOf(values.get('store-train')!, storeTrainModes, 'store training mode')[0]
      : 'quick',
    storeQualityPlans: storeQualityPlans(values.get('store-quality') ?? (quick ? 'none' : 'full')),
    storeModels: values.get('store-models') ?? '/tmp/aisle-store-models',
    storeCpuProfile: values.get('store-cpu-profile'),
    startupRuns: number('startup-runs', quick ? 3 : 5),
    startupOnly: present.has('startup-only'),
    rowTimeoutSec: number('row-timeout', quick ? 8 : 300),
    wasmThreads: values.has('wasm-threads') ? wasmThreadSettings(values.get('wasm-threads')!) : [1, 'all'],
    json: values.get('json') ?? 'bench-results/bench.json',
    step: present.has('step'),
    help: present.has('help'),
  };
}

/** "full,quick" -> ['full', 'quick']; "none" -> [] */
export function storeQualityPlans(text: string): ('quick' | 'full')[] {
  return text === 'none' ? [] : listOf(text, ['quick', 'full'] as const, 'store quality plan');
}

/** "1,all" -> [1, 'all']: whole thread counts ≥ 1 or "all", each once, in the order given. */
export function wasmThreadSettings(text: string): WasmThreadSetting[] {
  const settings: WasmThreadSetting[] = [];
  for (const word of text.split(',').map((part) => part.trim())) {
    const setting: WasmThreadSetting = word === 'all' ? 'all' : Number(word);
    if (setting !== 'all' && !(Number.isInteger(setting) && setting >= 1))
      throw new UsageError(`--wasm-threads takes whole numbers ≥ 1 or "all", got "${word}"`);
    if (!settings.includes(setting)) settings.push(setting);
  }
  return settings;
}

/** The table's name for what was trained on: the dataset, or which slice of it. */
export function datasetLabel(name: string, maxUsers: number | undefined): string {
  return maxUsers ? `${name}[${maxUsers} users]` : name;
}

/** The backends each model runs on, a wasm backend once per thread setting. */
export interface BackendRun {
  backend: BackendName;
  wasmThreads?: WasmThreadSetting;
}

export function backendRuns(options: Pick<BenchOptions, 'backends' | 'wasmThreads'>): BackendRun[] {
  return options.backends.flatMap((backend): BackendRun[] =>
    backend === 'wasm' ? options.wasmThreads.map((wasmThreads) => ({ backend, wasmThreads })) : [{ backend }],
  );
}

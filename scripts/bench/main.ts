// `npm run bench`: trains and times every model on every tfjs backend inside headless Chromium,
// on the production build, then times the storefront's own worker on the real Steam data.
// The numbers are the page's numbers: the same bundle, the same worker code, the same backends.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import type { BenchRowResult, BenchRowSpec } from '../../src/worker/bench/protocol';
import {
  ensureBuild,
  launchChromium,
  newBenchContext,
  privatePath,
  repositoryRoot,
  serveBuild,
} from './browser';
import { backendRuns, datasetLabel, parseBenchArgs, usage, UsageError, type BenchOptions } from './options';
import { runStepSection } from './stepSection';
import { measureStartup } from './startup';
import { measureStorefront, type StorefrontOutcome } from './storefront';
import { measureStoreQualityInNode } from './storeQualityNode';
import {
  backendLabel,
  formatReport,
  referenceComparisons,
  sasrecReference,
  type BenchReport,
  type NodeStoreQualityOutcome,
} from './table';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** A status line that rewrites itself on a terminal and stays quiet in a log file. */
function statusLine(text: string): void {
  if (process.stderr.isTTY)
    process.stderr.write(`\r\x1b[K${text.slice(0, (process.stderr.columns ?? 100) - 1)}`);
}

/** Interactions in a sequence file (items per line, minus the user id), for the reference comparison. */
function countSequenceInteractions(file: string): number {
  let total = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const fields = line.trim().split(/\s+/).filter(Boolean);
    if (fields.length > 1) total += fields.length - 1;
  }
  return total;
}

function rowSpecs(options: BenchOptions): BenchRowSpec[] {
  const dataset = {
    name: datasetLabel(options.datasetName, options.maxUsers),
    url: `${privatePath}dataset`,
    maxUsers: options.maxUsers,
  };
  return options.models.flatMap((model) =>
    backendRuns(options).map(({ backend, wasmThreads }): BenchRowSpec => ({
      model,
      backend,
      dataset,
      epochs: options.epochs,
      trainFraction: options.trainFraction < 1 ? options.trainFraction : undefined,
      trainBudgetSec: options.trainBudgetSec,
      latencySamples: options.latencySamples,
      timeoutSec: options.rowTimeoutSec,
      wasmThreads,
    })),
  );
}

async function openBenchPage(page: Page, origin: string): Promise<void> {
  // App starts the store's own worker on every page: ?backend=cpu keeps it off the WebGPU device
  // the rows measure and ?train=off stops its background training, which would otherwise share
  // the CPU with every row. It goes idle once ready, and the rows wait for that.
  await page.goto(`${origin}/?backend=cpu&train=off#/bench`);
  await page.waitForFunction(() => Boolean(window.aisleBench), null, { timeout: 180_000 });
  // (on a busy machine it may take long: go on regardless after a minute)
  await page
    .getByTestId('backend-name')
    .filter({ hasNotText: '…' })
    .waitFor({ timeout: 60_000 })
    .catch(() => log('the store worker is still starting; the rows begin anyway'));
}

async function runRows(page: Page, specs: BenchRowSpec[]): Promise<BenchRowResult[]> {
  const results: BenchRowResult[] = [];
  for (const [index, spec] of specs.entries()) {
    const label = `[${index + 1}/${specs.length}] ${spec.model} on ${backendLabel(spec)}`;
    statusLine(label);
    await page.exposeFunction(`__aisleBenchProgress${index}`, (message: string) =>
      statusLine(`${label}: ${message}`),
    );
    const result = await page.evaluate(
      ({ spec, index }) =>
        window.aisleBench!.runRow(spec, {
          onProgress: (progress) =>
            void (window as unknown as Record<string, (m: string) => void>)[`__aisleBenchProgress${index}`](
              progress.message,
            ),
        }),
      { spec, index },
    );
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    log(
      `${label}: ${result.ok ? `${result.training!.secondsPerEpoch.toFixed(2)} s/epoch, p50 ${result.latency!.p50Ms.toFixed(2)} ms` : `failed: ${result.error}`} (${result.wallSeconds.toFixed(1)} s)`,
    );
    results.push(result);
  }
  return results;
}

async function measureRowsAndStorefront(
  browser: Browser,
  origin: string,
  options: BenchOptions,
): Promise<{ rows: BenchRowResult[]; storefront: StorefrontOutcome | undefined }> {
  const context = await newBenchContext(browser);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await openBenchPage(page, origin).catch((error: Error) => {
    throw new Error(`the bench page did not start: ${[error.message, ...pageErrors].join('; ')}`);
  });
  const rows = await runRows(page, rowSpecs(options));
  await page.close();
  const storefront =
    options.storeEvents > 0
      ? await measureStorefront(
          context,
          origin,
          options.storeEvents,
          statusLine,
          // how long to let the store worker's background learning settle first
          (options.quick && options.storeTrain !== 'quick' ? 30 : 300) * 1000,
          options.storeTrain,
          options.storeCpuProfile,
        ).catch((error: Error) => ({ ok: false as const, error: error.message }))
      : undefined;
  return { rows, storefront };
}

async function main(): Promise<void> {
  const defaultData = resolve(repositoryRoot, '../shared/datasets/amazon-beauty/Beauty.txt');
  const options = parseBenchArgs(process.argv.slice(2), defaultData);
  if (options.help) return void console.log(usage);
  if (options.step) return void console.log(await runStepSection(options.quick, log));
  const dataFile = resolve(options.data);
  const fullInteractions = countSequenceInteractions(dataFile);
  const started = Date.now();
  const loadBefore = loadavg()[0];
  ensureBuild(log);
  const served = await serveBuild(new Map([['dataset', dataFile]]));
  const browser = await launchChromium();
  try {
    // first, before the rows warm or load anything: each visit opens its own browser profile
    const startup =
      options.startupRuns > 0
        ? await measureStartup(
            browser,
            served.origin,
            options.startupRuns,
            statusLine,
            // what a shopper gets: the full plan trains in the background after the first rows
            'full',
          ).catch((error: Error) => ({ ok: false as const, error: error.message }))
        : undefined;
    const { rows, storefront } = options.startupOnly
      ? { rows: [], storefront: undefined }
      : await measureRowsAndStorefront(browser, served.origin, options);
    // after the browser parts, so its training shares the CPU with nothing the bench times
    const storeQuality: NodeStoreQualityOutcome[] = [];
    for (const plan of options.startupOnly ? [] : options.storeQualityPlans) {
      log(`store quality, ${plan} plan: measuring in Node (models kept in ${options.storeModels})`);
      storeQuality.push(
        await measureStoreQualityInNode(plan, options.storeModels, (line) =>
          statusLine(`store quality: ${line}`),
        ),
      );
    }
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    const report: BenchReport = {
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      date: new Date().toISOString(),
      chromium: browser.version(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? '?',
        // other work on the machine slows every row: the 1-minute load average says how much there was
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadavg()[0],
      },
      options: { ...options, data: dataFile },
      fullDatasetInteractions: fullInteractions,
      reference: sasrecReference,
      referenceComparisons: [],
      rows,
      storefront,
      storeQuality,
      startup,
      wallSeconds: (Date.now() - started) / 1000,
    };
    report.referenceComparisons = referenceComparisons(report);
    console.log(formatReport(report));
    const jsonPath = resolve(options.json);
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(jsonPath, JSON.stringify(report, null, 2) + '\n');
    log(`results: ${jsonPath}`);
  } finally {
    await browser.close();
    served.close();
  }
}

main().catch((error: Error) => {
  console.error(`bench: ${error.message}`);
  if (error instanceof UsageError) console.error(usage);
  process.exit(1);
});

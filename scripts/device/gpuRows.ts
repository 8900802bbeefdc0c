// The bench's training rows on a machine that has a real GPU but no browser (the device machine
// some sessions are lent: Node and nothing else). WebGPU comes from Dawn's Node binding (the
// `webgpu` npm package, carried by prepare.sh); every row is the bench's own row code
// (worker/bench/runBenchRow.ts: the registry's models, the worker's backend start with its check
// matmul and adapter description, the same timing of epochs and of event -> top-10), so a figure
// from here is comparable with the browser's rows. Each row runs in a child process of its own,
// as each browser row runs in a fresh worker: a clean tfjs engine, and a row that wedges its
// backend is killed at its time limit without losing the rows before it.
//
//   node gpuRows.mjs --data Beauty.txt --dawn ./webgpu/index.js [--name amazon-beauty] [--models mf,sasrec,gru]
//                    [--backends webgpu,wasm] [--epochs 2] [--budget 240] [--max-users N]
//                    [--row-timeout 420] [--total-time S] [--out DIR]
import { fork } from 'node:child_process';
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BackendName } from '../../src/data/records';
import type { BenchRowResult, BenchRowSpec } from '../../src/worker/bench/protocol';
import { markdownTable } from '../bench/table';
import { deviceRowSpecs, parseRowList, positiveOption, type DeviceRunOptions } from './rowSpecs';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    name: { type: 'string', default: 'amazon-beauty' },
    dawn: { type: 'string' },
    models: { type: 'string', default: 'mf,sasrec,gru' },
    backends: { type: 'string', default: 'webgpu,wasm' },
    epochs: { type: 'string', default: '2' },
    budget: { type: 'string', default: '240' },
    'max-users': { type: 'string' },
    'row-timeout': { type: 'string', default: '420' },
    /** seconds for the whole run: a row that could not finish inside them is not started */
    'total-time': { type: 'string' },
    out: { type: 'string', default: '.' },
    /** internal: run this one row (JSON spec) in this process and send its result to the parent */
    row: { type: 'string' },
  },
});

/** Dawn's WebGPU as the browser's `navigator.gpu`, before any tfjs backend looks for it. */
async function installDawn(modulePath: string): Promise<void> {
  const dawn = (await import(pathToFileURL(resolve(modulePath)).href)) as {
    create: (flags: string[]) => GPU;
    globals: Record<string, unknown>;
  };
  Object.assign(globalThis, dawn.globals);
  Object.defineProperty(globalThis, 'navigator', {
    value: { gpu: dawn.create([]), hardwareConcurrency: cpus().length },
    configurable: true,
  });
}

const fileSource = async (path: string) =>
  Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array>;

async function runOneRow(spec: BenchRowSpec): Promise<void> {
  if (args.dawn) await installDawn(args.dawn);
  // after navigator.gpu exists: the backends register when this module loads
  const { runBenchRow } = await import('../../src/worker/bench/runBenchRow');
  const result = await runBenchRow(
    spec,
    ({ message }) => console.error(`  ${spec.model}/${spec.backend}: ${message}`),
    fileSource,
  );
  process.send?.(result);
}

function notStarted(spec: BenchRowSpec, error: string, wallSeconds = 0): BenchRowResult {
  return {
    model: spec.model,
    backend: spec.backend,
    datasetName: spec.dataset.name,
    ok: false,
    wallSeconds,
    error,
  };
}

function runInChild(spec: BenchRowSpec, timeoutSec: number): Promise<BenchRowResult> {
  return new Promise((done) => {
    const passOn = args.dawn ? ['--dawn', args.dawn] : [];
    const child = fork(process.argv[1], ['--row', JSON.stringify(spec), ...passOn], { stdio: 'inherit' });
    let result: BenchRowResult | null = null;
    const failed = (error: string) => notStarted(spec, error, timeoutSec);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutSec * 1000);
    child.on('message', (message) => (result = message as BenchRowResult));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result) done(result);
      else if (signal === 'SIGKILL') done(failed(`stopped at its time limit, ${Math.round(timeoutSec)} s`));
      else done(failed(`the row's process ended (${signal ?? `exit code ${code}`}) without a result`));
    });
  });
}

async function main(): Promise<void> {
  if (args.row) return runOneRow(JSON.parse(args.row) as BenchRowSpec);
  if (!args.data) throw new Error('--data FILE is required (a `userId item item …` sequence file)');
  const rowTimeoutSec = positiveOption('row-timeout', args['row-timeout']) ?? 420;
  const options: DeviceRunOptions = {
    dataPath: resolve(args.data),
    datasetName: args.name,
    models: parseRowList(args.models),
    backends: parseRowList(args.backends) as BackendName[],
    epochs: positiveOption('epochs', args.epochs) ?? 2,
    budgetSec: positiveOption('budget', args.budget) ?? 240,
    maxUsers: positiveOption('max-users', args['max-users']),
    rowTimeoutSec,
  };
  const started = new Date();
  const totalSec = positiveOption('total-time', args['total-time']);
  const rows: BenchRowResult[] = [];
  for (const spec of deviceRowSpecs(options)) {
    const elapsedSec = (Date.now() - started.getTime()) / 1000;
    const timeoutSec =
      totalSec === undefined ? rowTimeoutSec : Math.min(rowTimeoutSec, totalSec - elapsedSec);
    if (timeoutSec < 30) {
      rows.push(notStarted(spec, `not started: the run's --total-time of ${totalSec} s was spent`));
      continue;
    }
    console.error(`row ${spec.model} on ${spec.backend}`);
    rows.push(await runInChild(spec, timeoutSec));
  }
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg()[0].toFixed(1)}, Node ${process.version}`;
  const adapter = rows.find((row) => row.backendReport?.adapter)?.backendReport?.adapter;
  const summary = [
    `# GPU rows, ${started.toISOString()}`,
    '',
    `Machine: ${machine}.`,
    `WebGPU adapter: ${adapter ? `${adapter.vendor} ${adapter.architecture} ${adapter.description}`.trim() + (adapter.isSoftware ? ' (software)' : '') : 'none'}.`,
    '',
    markdownTable(rows),
  ].join('\n');
  console.log(summary);
  mkdirSync(args.out, { recursive: true });
  writeFileSync(join(args.out, 'gpu-rows.md'), `${summary}\n`);
  writeFileSync(join(args.out, 'gpu-rows.json'), `${JSON.stringify({ started, machine, rows }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});

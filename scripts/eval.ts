// Headless evaluation runner: `npm run eval -- --data FILE --format sequences --model popularity …`.
// It serves the production build and the data files from one private origin, opens the lab page
// in Debian's headless Chromium and drives the page's own `window.aisleLab` API, so the numbers
// it prints are the numbers the lab page would show — same parser, same worker, same tfjs backend,
// and the same spec: the flags become the lab form's entries and go through its toRunSpec.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { AisleLabRunOutput } from '../src/ui/lab/labApi';
import { ImportSpecError, toImportSpec } from '../src/ui/lab/importSpecForm';
import { RunSpecError, toRunSpec } from '../src/ui/lab/runSpecForm';
import type { LabImportSpec, LabProgress, LabRunSpec, LabTextFile } from '../src/worker/lab/protocol';
import {
  checkInputFileSize,
  evalRunFields,
  flagLabels,
  parseEvalArgs,
  usage,
  UsageError,
  type EvalArgs,
} from './eval/args';
import { modelPreset } from '../src/ml/presets';
import { pageErrorMessage, type PageFailure } from './eval/pageError';
import { formatTopkTable, scoreTopkFile } from './eval/scoreTopk';
import { formatRunTable } from './eval/table';
import { modelCacheFolder, modelCacheRoute } from './eval/modelCacheRoute';
import { progressLog } from './eval/progressLog';
import { ensureBuild, launchChromium, serveBuild } from './headless.mjs';

/** Where the runner's files appear on the page's origin; the app itself never uses this path. */
const privatePath = '/__aisle-eval__/';

declare global {
  interface Window {
    /** the runner's progress line, exposed to the page by page.exposeFunction */
    __aisleEvalProgress?: (progress: LabProgress) => Promise<void>;
  }
}

type PageOutcome =
  { ok: true; output: AisleLabRunOutput; recboleFiles?: LabTextFile[] } | ({ ok: false } & PageFailure);

function readableFile(path: string, what: string): string {
  const full = resolve(path);
  if (!existsSync(full) || !statSync(full).isFile()) throw new UsageError(`${what} not found: ${path}`);
  checkInputFileSize(what, path, statSync(full).size);
  return full;
}

/** The files to serve (name -> path on disk) and the run spec, its dataset still blank. */
function prepare(args: EvalArgs): {
  files: Map<string, string>;
  dataImport: LabImportSpec;
  spec: LabRunSpec;
  /** another system's top-k file, read before the browser starts so a missing one fails at once */
  topkText?: string;
} {
  const dataFile = readableFile(args.files.data, 'data file');
  const files = new Map([['data', dataFile]]);
  if (args.files.negatives) files.set('negatives', readableFile(args.files.negatives, 'negatives file'));
  if (args.files.attributes) files.set('attributes', readableFile(args.files.attributes, 'attributes file'));
  const served = (name: string) =>
    files.has(name) ? { kind: 'url' as const, url: `${privatePath}${name}` } : undefined;
  const configText = args.files.config
    ? readFileSync(readableFile(args.files.config, 'config file'), 'utf8')
    : undefined;
  const fields = evalRunFields(args, {
    configText,
    negatives: served('negatives'),
    attributes: served('attributes'),
  });
  const spec = toRunSpec(fields, flagLabels(args.files.config));
  if (args.modelCacheDir) spec.modelCacheUrl = `${privatePath}${modelCacheFolder}`;
  if (args.finalFit) spec.finalFit = args.finalFit;
  return {
    files,
    dataImport: toImportSpec(args.dataImport, basename(dataFile)),
    spec,
    topkText: args.files.scoreTopk
      ? readFileSync(readableFile(args.files.scoreTopk, 'top-k file'), 'utf8')
      : undefined,
  };
}

async function run(args: EvalArgs): Promise<void> {
  const { files, dataImport, spec, topkText } = prepare(args);
  for (const [model, preset] of Object.entries(args.presets)) {
    console.error(`eval: ${model} starts from preset ${preset}: ${modelPreset(preset).source}`);
  }
  ensureBuild((line) => console.error(`eval: ${line}`));
  const served = await serveBuild(
    files,
    privatePath,
    args.modelCacheDir ? modelCacheRoute(resolve(args.modelCacheDir)) : undefined,
  );
  const browser = await launchChromium().catch((error: unknown) => {
    served.close();
    throw error;
  });
  const started = Date.now();
  try {
    const page = await browser.newPage();
    // tsx compiles the functions below with esbuild's keep-names helper, which calls
    // `__name(fn, "name")`; that exists only in Node, so the page gets a do-nothing stand-in
    await page.addInitScript({ content: 'globalThis.__name = (target) => target;' });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    let lastLine = '';
    const logLine = progressLog();
    await page.exposeFunction('__aisleEvalProgress', (progress: LabProgress) => {
      const line = `${progress.message}${progress.etaSec ? ` (about ${Math.ceil(progress.etaSec)} s left)` : ''}`;
      if (line === lastLine) return;
      lastLine = line;
      if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
      else if (logLine.due(progress.message, Date.now())) {
        // a run logged to a file (hours of training in the background): a dated line per change
        process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
      }
    });
    await page.goto(`${served.origin}/#/lab`);
    await page
      .waitForFunction(() => Boolean(window.aisleLab), null, { timeout: 60_000 })
      .catch(() => {
        throw new Error(`the lab page did not start${pageErrors.length ? `: ${pageErrors.join('; ')}` : ''}`);
      });
    const outcome: PageOutcome = await page.evaluate(
      async ({ dataUrl, dataImport, spec, exportRecbole }) => {
        let stage: 'import' | 'run' = 'import';
        try {
          const lab = window.aisleLab!;
          const dataset = await lab.importUrl(dataUrl, dataImport);
          stage = 'run';
          const keyed = { ...spec, dataset: dataset.key };
          const recboleFiles = exportRecbole ? await lab.exportRecbole(keyed) : undefined;
          const output = await lab.run(keyed, {
            onProgress: (progress) => void window.__aisleEvalProgress?.(progress),
          });
          return { ok: true as const, output, recboleFiles };
        } catch (error) {
          return {
            ok: false as const,
            stage,
            message: error instanceof Error ? error.message : String(error),
            lineNumber: (error as { lineNumber?: number } | null)?.lineNumber,
          };
        }
      },
      { dataUrl: `${privatePath}data`, dataImport, spec, exportRecbole: Boolean(args.outputs.recboleDir) },
    );
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    if (!outcome.ok) {
      const shownNames = new Map([...files].map(([name, path]) => [name, basename(path)]));
      throw new Error(pageErrorMessage(outcome, shownNames, privatePath));
    }
    const { json, csv, topLists } = outcome.output;
    const wallMs = Date.now() - started;
    console.log(formatRunTable(json));
    console.log(`wall time (browser start to result): ${(wallMs / 1000).toFixed(2)} s`);
    if (args.outputs.json)
      writeFileSync(args.outputs.json, JSON.stringify({ ...json, wallMs }, null, 2) + '\n');
    if (args.outputs.csv) writeFileSync(args.outputs.csv, csv);
    if (args.outputs.topLists) writeFileSync(args.outputs.topLists, topLists ?? '');
    if (args.outputs.recboleDir && outcome.recboleFiles) {
      writeRecboleFiles(args.outputs.recboleDir, outcome.recboleFiles);
    }
    if (topkText !== undefined && args.files.scoreTopk) {
      const scoring = scoreTopkFile(
        topLists ?? '',
        topkText,
        { ours: json.models[0].model, theirs: basename(args.files.scoreTopk) },
        { ks: json.ks, seed: json.seed, bootstrapResamples: spec.bootstrapResamples },
      );
      console.log(`\n${formatTopkTable(scoring)}`);
    }
  } finally {
    await browser.close();
    served.close();
  }
}

/** RecBole reads a dataset from a folder named after it: DIR/NAME/NAME.inter and the split's files. */
function writeRecboleFiles(dir: string, files: readonly LabTextFile[]): void {
  const name = files[0].name.replace(/\.inter$/, '');
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  for (const file of files) writeFileSync(join(folder, file.name), file.text);
  console.log(`RecBole files: ${files.map((file) => join(folder, file.name)).join(', ')}`);
}

async function main(): Promise<void> {
  const args = parseEvalArgs(process.argv.slice(2));
  if (args.kind === 'help') console.log(usage);
  else await run(args);
}

main().catch((error: unknown) => {
  console.error(`eval: ${error instanceof Error ? error.message : String(error)}`);
  // a flag or entry the run could not be built from: show how to write it
  if (error instanceof UsageError || error instanceof RunSpecError || error instanceof ImportSpecError) {
    console.error(usage);
  }
  process.exit(1);
});

// Headless evaluation runner: `npm run eval -- --data FILE --format sequences --model popularity …`.
// It serves the production build and the data files from one private origin, opens the lab page
// in Debian's headless Chromium and drives the page's own `window.aisleLab` API, so the numbers
// it prints are the numbers the lab page would show — same parser, same worker, same tfjs backend.
import { existsSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ensureBuild, launchChromium, serveBuild } from './headless.mjs';

const formats = ['sequences', 'pairs', 'inter', 'csv', 'sessions'];
const backends = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];
/** Where the runner's files appear on the page's origin; the app itself never uses this path. */
const privatePath = '/__aisle-eval__/';

const usage = `Usage: npm run eval -- --data FILE --format sequences|pairs|inter|csv|sessions --model NAME[,NAME]
  [--config FILE]                 JSON object of config overrides for the model
  [--protocol full|sampled:N[:popularity]]   default: fixed when --negatives is given, else full
  [--negatives FILE]              fixed negatives (userId neg1 … negN), e.g. LastFM_sample.txt
  [--attributes FILE]             item attributes (JSON item → ids, or lines itemId attr …), e.g.
                                  LastFM_item2attributes.json; used by ease's attributeWeight
  [--split loo|temporal:F|random:F|kfold:K]  default loo (leave-one-out)
  [--max-history N]               leave-one-out model input length (default 50)
  [--k 10,20]                     cut-offs (default 5,10,20)
  [--seed N]                      default 0
  [--backend webgpu|webgl|wasm|cpu|auto]     default auto
  [--tune grid|random] [--trials N] [--patience N]   patience: trials without a better validation NDCG@10
  [--epoch-patience N]            with --tune: stop a learned model's trial after N epochs without improvement
  [--tune-cv K]                   with --tune: score trials by K-fold cross-validation on the training part
  [--bootstrap N]                 bootstrap resamples for the 95% intervals (default 1000)
  [--json OUT] [--csv OUT] [--topk-out FILE]
  CSV: --csv-user COL --csv-item COL [--csv-time COL] [--csv-rating COL] [--min-rating X] [--delimiter D] [--no-header]
  .inter: [--min-rating X]`;

class UsageError extends Error {}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const name = arg.slice(2);
    if (name === 'no-header' || name === 'help') {
      options[name] = true;
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    options[name] = value;
    i++;
  }
  return options;
}

function wholeNumber(text, what) {
  const value = Number(text);
  if (!Number.isInteger(value)) throw new UsageError(`${what} must be a whole number, got "${text}"`);
  return value;
}

function readableFile(path, what) {
  const full = resolve(path);
  if (!existsSync(full) || !statSync(full).isFile()) throw new UsageError(`${what} not found: ${path}`);
  return full;
}

function parseSplit(text = 'loo', maxHistory) {
  const [kind, value] = text.split(':');
  if (kind === 'loo' || kind === 'leave-one-out') {
    return {
      kind: 'leave-one-out',
      maxHistory: maxHistory === undefined ? 50 : wholeNumber(maxHistory, '--max-history'),
    };
  }
  if (kind === 'temporal' || kind === 'random')
    return { kind, testFraction: value === undefined ? 0.2 : Number(value) };
  if (kind === 'kfold' || kind === 'k-fold')
    return { kind: 'k-fold', folds: value === undefined ? 5 : wholeNumber(value, 'folds') };
  throw new UsageError(`unknown split "${text}" (loo, temporal:F, random:F, kfold:K)`);
}

function parseProtocol(text, negativesUrl) {
  if (text === undefined)
    return negativesUrl ? { kind: 'fixed', negatives: { kind: 'url', url: negativesUrl } } : { kind: 'full' };
  if (text === 'full') return { kind: 'full' };
  const [kind, count, sampling = 'uniform'] = text.split(':');
  if (kind === 'sampled') {
    if (!['uniform', 'popularity'].includes(sampling))
      throw new UsageError(`sampling must be uniform or popularity`);
    return { kind: 'sampled', negatives: wholeNumber(count ?? '99', 'the number of negatives'), sampling };
  }
  if (kind === 'fixed') {
    if (!negativesUrl) throw new UsageError('--protocol fixed needs --negatives FILE');
    return { kind: 'fixed', negatives: { kind: 'url', url: negativesUrl } };
  }
  throw new UsageError(`unknown protocol "${text}" (full, sampled:N, fixed)`);
}

function csvColumn(text) {
  return /^\d+$/.test(text) ? Number(text) : text;
}

function importSpec(options, name) {
  const spec = { format: options.format, name };
  if (options.format === 'csv') {
    if (!options['csv-user'] || !options['csv-item'])
      throw new UsageError('--format csv needs --csv-user and --csv-item');
    spec.csv = {
      user: csvColumn(options['csv-user']),
      item: csvColumn(options['csv-item']),
      hasHeader: !options['no-header'],
    };
    if (options['csv-time']) spec.csv.time = csvColumn(options['csv-time']);
    if (options['csv-rating']) spec.csv.rating = csvColumn(options['csv-rating']);
    if (options['min-rating']) spec.csv.minRating = Number(options['min-rating']);
    if (options.delimiter) spec.csv.delimiter = options.delimiter === '\\t' ? '\t' : options.delimiter;
  } else if (options.format === 'inter' && options['min-rating']) {
    spec.minRating = Number(options['min-rating']);
  }
  return spec;
}

const fmt = (value) => (value === undefined || Number.isNaN(value) ? '—' : value.toFixed(4));
const pad = (text, width) => String(text).padEnd(width);

function printTable(json) {
  const { dataset } = json;
  const lines = [
    `dataset   ${dataset.name}: ${dataset.stats.users} users, ${dataset.stats.items} items, ${dataset.stats.interactions} interactions (hash ${dataset.contentHash})`,
    `protocol  ${json.protocol}; split ${JSON.stringify(json.split)}; seed ${json.seed}`,
    `backend   ${json.backend.active}: ${json.backend.reason}`,
  ];
  if (json.itemAttributes) {
    const a = json.itemAttributes;
    lines.push(
      `attributes ${a.attributes} attributes on ${a.itemsCovered} of ${dataset.stats.items} items (hash ${a.hash}${a.itemsUnknown ? `; ${a.itemsUnknown} items not in the data skipped` : ''})`,
    );
  }
  lines.push('');
  const metrics = json.ks.flatMap((k) => [`HR@${k}`, `NDCG@${k}`]).concat('MRR');
  const width = 26;
  const epochWidth = 20;
  lines.push(
    pad('model', 14) +
      metrics.map((m) => pad(m, width)).join('') +
      pad('kept epoch', epochWidth) +
      'train      eval',
  );
  for (const model of json.models) {
    const cells = metrics.map((m) => {
      const ci = model.metrics[m];
      return pad(ci ? `${fmt(ci.mean)} [${fmt(ci.lower)}, ${fmt(ci.upper)}]` : '—', width);
    });
    // the 1-based epoch evaluated, of those trained ("2/4 early": early stopping kept epoch 2)
    const kept =
      model.keptEpoch === undefined
        ? '—'
        : `${model.keptEpoch}/${model.epochsTrained}${model.stoppedEarly ? ' early' : ''}`;
    lines.push(
      pad(model.model, 14) +
        cells.join('') +
        pad(kept, epochWidth) +
        pad(`${(model.trainMs / 1000).toFixed(2)} s`, 11) +
        `${(model.evalMs / 1000).toFixed(2)} s`,
    );
    if (model.published) {
      const published = metrics.map((m) =>
        pad(
          m === 'HR@10' ? fmt(model.published.hr10) : m === 'NDCG@10' ? fmt(model.published.ndcg10) : '',
          width,
        ),
      );
      lines.push(pad('  published', 14) + published.join('') + model.published.model);
    }
    if (model.blend) {
      // the hybrid's learned weights (fitted on the validation fold) and each component's training time
      const parts = model.blend.components.map(
        (c) => `${c.name} ${c.weight.toFixed(3)} (${(c.trainMs / 1000).toFixed(1)} s)`,
      );
      lines.push(
        `  blend     ${parts.join(', ')}; bias ${model.blend.bias.toFixed(3)}; fitted on ${model.blend.cases} validation users`,
      );
    }
  }
  for (const model of json.models) {
    if (!model.trials?.length) continue;
    const best = model.trials.reduce((a, b) => (b.validationNdcg10 > a.validationNdcg10 ? b : a));
    const at = best.bestEpoch === undefined ? '' : ` at epoch ${best.bestEpoch}`;
    lines.push(
      `tuned     ${model.model}: ${model.trials.length} trials, best validation NDCG@10 ${fmt(best.validationNdcg10)}${at}; kept config ${JSON.stringify(model.config)}`,
    );
  }
  lines.push(
    '',
    `users evaluated: ${json.models.map((m) => `${m.model} ${m.usersEvaluated}`).join(', ')}; total ${(json.totalMs / 1000).toFixed(2)} s in the page`,
  );
  console.log(lines.join('\n'));
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    console.log(usage);
    return;
  }
  for (const required of ['data', 'format', 'model']) {
    if (!options[required]) throw new UsageError(`--${required} is required`);
  }
  if (!formats.includes(options.format))
    throw new UsageError(`unknown format "${options.format}" (${formats.join(', ')})`);
  const backend = options.backend ?? 'auto';
  if (!backends.includes(backend))
    throw new UsageError(`unknown backend "${backend}" (${backends.join(', ')})`);
  const dataFile = readableFile(options.data, 'data file');
  const negativesFile = options.negatives ? readableFile(options.negatives, 'negatives file') : undefined;
  const attributesFile = options.attributes ? readableFile(options.attributes, 'attributes file') : undefined;
  const modelNames = options.model.split(',').filter(Boolean);
  for (const needsTune of ['trials', 'patience', 'epoch-patience', 'tune-cv']) {
    if (options[needsTune] && !options.tune) throw new UsageError(`--${needsTune} needs --tune grid|random`);
  }
  if (options['topk-out'] && modelNames.length > 1)
    throw new UsageError('--topk-out takes one model at a time');
  let config;
  if (options.config) {
    try {
      config = JSON.parse(readFileSync(readableFile(options.config, 'config file'), 'utf8'));
    } catch (error) {
      throw new UsageError(`config file ${options.config}: ${error.message}`);
    }
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw new UsageError('the config file must hold a JSON object of settings, e.g. {"neighbours": 100}');
    }
  }
  const files = new Map([['data', dataFile]]);
  if (negativesFile) files.set('negatives', negativesFile);
  if (attributesFile) files.set('attributes', attributesFile);
  const spec = {
    dataset: '', // filled in after the import
    models: modelNames.map((name) => ({
      name,
      config,
      tuning: options.tune
        ? {
            strategy: options.tune,
            trials: options.trials ? wholeNumber(options.trials, '--trials') : undefined,
            patience: options.patience ? wholeNumber(options.patience, '--patience') : undefined,
            earlyStoppingPatience: options['epoch-patience']
              ? wholeNumber(options['epoch-patience'], '--epoch-patience')
              : undefined,
            scoring: options['tune-cv'] ? 'cross-validation' : undefined,
            folds: options['tune-cv'] ? wholeNumber(options['tune-cv'], '--tune-cv') : undefined,
          }
        : undefined,
    })),
    split: parseSplit(options.split, options['max-history']),
    protocol: parseProtocol(options.protocol, negativesFile ? `${privatePath}negatives` : undefined),
    ks: (options.k ?? '5,10,20').split(',').map((k) => wholeNumber(k, '--k')),
    seed: options.seed === undefined ? 0 : wholeNumber(options.seed, '--seed'),
    backend,
    topK: options['topk-out'] ? 100 : undefined,
    bootstrapResamples: options.bootstrap ? wholeNumber(options.bootstrap, '--bootstrap') : undefined,
    itemAttributes: attributesFile ? { kind: 'url', url: `${privatePath}attributes` } : undefined,
  };
  const dataImport = importSpec(options, basename(dataFile));

  ensureBuild((line) => console.error(`eval: ${line}`));
  const served = await serveBuild(files, privatePath);
  const browser = await launchChromium().catch((error) => {
    served.close();
    throw error;
  });
  const started = Date.now();
  try {
    const page = await browser.newPage();
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    let lastLine = '';
    await page.exposeFunction('__aisleEvalProgress', (progress) => {
      const line = `${progress.message}${progress.etaSec ? ` (about ${Math.ceil(progress.etaSec)} s left)` : ''}`;
      if (line !== lastLine && process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
      lastLine = line;
    });
    await page.goto(`${served.origin}/#/lab`);
    await page
      .waitForFunction(() => Boolean(window.aisleLab), null, { timeout: 60_000 })
      .catch(() => {
        throw new Error(`the lab page did not start${pageErrors.length ? `: ${pageErrors.join('; ')}` : ''}`);
      });
    const outcome = await page.evaluate(
      async ({ dataUrl, dataImport, spec }) => {
        try {
          const dataset = await window.aisleLab.importUrl(dataUrl, dataImport);
          const output = await window.aisleLab.run(
            { ...spec, dataset: dataset.key },
            { onProgress: (progress) => void window.__aisleEvalProgress(progress) },
          );
          return { ok: true, output };
        } catch (error) {
          return {
            ok: false,
            message: error instanceof Error ? error.message : String(error),
            lineNumber: error?.lineNumber,
          };
        }
      },
      { dataUrl: `${privatePath}data`, dataImport, spec },
    );
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    if (!outcome.ok) {
      // a parse error names its line; say which file unless a side file's message already names it
      const sideFile = /^(line \d+: )?(negatives|attributes) file /.test(outcome.message);
      // side files were served under the private path; name them as the user gave them
      let message = outcome.message;
      for (const [name, path] of files) message = message.replaceAll(`${privatePath}${name}`, basename(path));
      throw new Error(outcome.lineNumber && !sideFile ? `${basename(dataFile)}, ${message}` : message);
    }
    const { json, csv, topLists } = outcome.output;
    json.wallMs = Date.now() - started;
    printTable(json);
    console.log(`wall time (browser start to result): ${(json.wallMs / 1000).toFixed(2)} s`);
    if (options.json) writeFileSync(options.json, JSON.stringify(json, null, 2) + '\n');
    if (options.csv) writeFileSync(options.csv, csv);
    if (options['topk-out']) writeFileSync(options['topk-out'], topLists ?? '');
  } finally {
    await browser.close();
    served.close();
  }
}

main().catch((error) => {
  console.error(`eval: ${error.message}`);
  if (error instanceof UsageError) console.error(usage);
  process.exit(1);
});

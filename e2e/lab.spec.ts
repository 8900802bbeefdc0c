// The evaluation lab end to end: a file imported on the page is evaluated by the lab worker, a
// malformed file is refused with its line, and the headless runner (`npm run eval`) produces the
// JSON and top-100 file from the same page code. Uses the first 200 users of LastFM.txt when the
// shared datasets are present, else a generated file of the same shape.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const lastFm = '../shared/datasets/lastfm/LastFM.txt';

function tinyDataset(): string {
  if (existsSync(lastFm)) {
    return readFileSync(lastFm, 'utf8').split('\n').slice(0, 200).join('\n') + '\n';
  }
  return generatedDataset();
}

/** 200 users walking a 40-item catalogue, 5 to 12 items each */
function generatedDataset(): string {
  return Array.from({ length: 200 }, (_, u) => {
    const items = Array.from({ length: 5 + (u % 8) }, (_, i) => 1 + ((u * 7 + i * 3) % 40));
    return `${u + 1} ${[...new Set(items)].join(' ')}`;
  }).join('\n');
}

const dir = mkdtempSync(join(tmpdir(), 'aisle-lab-'));
const dataPath = join(dir, 'tiny.txt');
writeFileSync(dataPath, tinyDataset());
// a 40-item catalogue for ease, whose fit inverts an items × items matrix (Last.fm's first 200
// users name 3,028 artists: tens of seconds, which the runner's Last.fm rows measure instead)
const smallCataloguePath = join(dir, 'small.txt');
writeFileSync(smallCataloguePath, generatedDataset());

/** Opens the lab and submits a sequences file for import (a path, or a name and its text). */
async function importSequences(page: Page, file: string | { name: string; text: string }) {
  await page.goto('#/lab');
  await page.getByTestId('lab-format').selectOption('sequences');
  await page
    .getByTestId('lab-file')
    .setInputFiles(
      typeof file === 'string'
        ? file
        : { name: file.name, mimeType: 'text/plain', buffer: Buffer.from(file.text) },
    );
  await page.getByTestId('lab-import').click();
}

test('import a file, run popularity leave-one-out on full ranking, read HR@10 and NDCG@10', async ({
  page,
}) => {
  await importSequences(page, dataPath);
  await expect(page.getByTestId('lab-import-message')).toContainText('Imported tiny.txt: 200 users');
  await expect(page.getByTestId('lab-dataset')).toContainText('tiny.txt');

  await page.getByTestId('lab-ks').fill('10');
  await page.getByTestId('lab-run').click();
  const row = page.locator('[data-testid="lab-result-row"][data-model="popularity"]');
  await expect(row).toBeVisible({ timeout: 45_000 });
  await expect(page.getByTestId('lab-result-context')).toContainText('full ranking');

  for (const metric of ['HR@10', 'NDCG@10']) {
    const cell = row.locator(`td[data-metric="${metric}"]`);
    const mean = Number(await cell.locator('.mean').textContent());
    const [lower, upper] = ((await cell.locator('.ci').textContent()) ?? '').match(/[\d.]+/g)!.map(Number);
    expect(mean).toBeGreaterThan(0);
    expect(mean).toBeLessThanOrEqual(1);
    expect(lower).toBeLessThanOrEqual(mean);
    expect(upper).toBeGreaterThanOrEqual(mean);
  }
  // popularity trains no epochs: the kept-epoch column says so
  await expect(row.getByTestId('lab-kept-epoch')).toHaveText('—');
  // the run was kept on the device
  await expect(page.getByTestId('lab-past-runs')).toContainText('popularity on tiny.txt');
});

test('a malformed file is refused with its line number and nothing is kept', async ({ page }) => {
  await importSequences(page, { name: 'broken.txt', text: '1 10 11 12\n2 10 13\n3\n4 11 12\n' });
  const error = page.getByTestId('lab-import-error');
  await expect(error).toContainText('line 3');
  await expect(error).toContainText('has no items');
  await expect(page.getByTestId('lab-dataset')).not.toContainText('broken.txt');
});

test('ease reads an item attributes file; a malformed one is refused with its line', async ({ page }) => {
  await importSequences(page, smallCataloguePath);
  await expect(page.getByTestId('lab-import-message')).toContainText('Imported small.txt');
  await page.getByTestId('lab-model-popularity').uncheck();
  await page.getByTestId('lab-model-ease').check();
  await page.getByLabel('ease config overrides (JSON)').fill('{"l2": 50, "attributeWeight": 5}');
  await page.getByTestId('lab-ks').fill('10');

  await page.getByTestId('lab-attributes').setInputFiles({
    name: 'tags-broken.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('1 rock\n2 pop\n1 jazz\n'),
  });
  await page.getByTestId('lab-run').click();
  await expect(page.getByTestId('lab-run-error')).toContainText(
    'line 3: attributes file tags-broken.txt: item "1" appears on more than one line',
  );

  // every item of the data gets a tag by its id: a made-up but well-formed attributes file
  const items = new Set(
    readFileSync(smallCataloguePath, 'utf8')
      .trim()
      .split('\n')
      .flatMap((line) => line.trim().split(/\s+/).slice(1)),
  );
  const lines = [...items].map((item) => `${item} tag${Number(item) % 4}`).join('\n');
  await page.getByTestId('lab-attributes').setInputFiles({
    name: 'tags.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(lines),
  });
  await page.getByTestId('lab-run').click();
  const row = page.locator('[data-testid="lab-result-row"][data-model="ease"]');
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('lab-result-context')).toContainText('item attributes: 4 on');
  const ndcg = Number(await row.locator('td[data-metric="NDCG@10"] .mean').textContent());
  expect(ndcg).toBeGreaterThan(0);
});

/** `npm run eval` on a sequences file, as a person runs it in a terminal: a model, then options. */
function runEval(model: string, options: string[], timeout: number, data = dataPath) {
  const command = ['--import', 'tsx', 'scripts/eval.ts', '--data', data, '--format', 'sequences'];
  return promisify(execFile)('node', [...command, '--model', model, ...options], { timeout });
}

test('npm run eval writes the JSON and one top-100 line per evaluated user', async () => {
  const jsonPath = join(dir, 'out.json');
  const topkPath = join(dir, 'topk.tsv');
  await runEval(
    'popularity',
    ['--k', '10', '--json', jsonPath, '--topk-out', topkPath, '--seed', '3', '--backend', 'cpu'],
    90_000,
  );
  const json = JSON.parse(readFileSync(jsonPath, 'utf8'));
  expect(json.seed).toBe(3);
  expect(json.backend.active).toBe('cpu');
  expect(json.dataset.contentHash).toMatch(/^[0-9a-f]{16}$/);
  expect(json.split).toEqual({ kind: 'leave-one-out', maxHistory: 50 });
  const [model] = json.models;
  expect(model.model).toBe('popularity');
  expect(model.usersEvaluated).toBe(200);
  expect(model.metrics['NDCG@10'].mean).toBeLessThanOrEqual(model.metrics['HR@10'].mean);
  expect(typeof model.trainMs).toBe('number');

  const sequences = new Map(
    readFileSync(dataPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [user, ...items] = line.trim().split(/\s+/);
        return [user, items] as const;
      }),
  );
  const catalogue = new Set([...sequences.values()].flat());
  const lines = readFileSync(topkPath, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(200);
  for (const line of lines) {
    const [user, target, ranked] = line.split('\t');
    const items = sequences.get(user)!;
    expect(target).toBe(items.at(-1)); // leave-one-out holds out the last item
    const top = ranked.split(' ');
    const history = new Set(items.slice(0, -1));
    expect(top.length).toBe(Math.min(100, catalogue.size - history.size));
    expect(top.filter((item) => history.has(item))).toEqual([]); // history masked
  }
});

test('npm run eval tunes mf with per-epoch early stopping and reports the kept epoch', async () => {
  const jsonPath = join(dir, 'tuned.json');
  const configPath = join(dir, 'mf.json');
  writeFileSync(configPath, JSON.stringify({ epochs: 3 }));
  const tuning = ['--tune', 'random', '--trials', '2', '--epoch-patience', '1'];
  const output = ['--k', '10', '--bootstrap', '50', '--json', jsonPath, '--seed', '3', '--backend', 'cpu'];
  // the 40-item catalogue: early stopping is the same on it, and mf's epochs cost a fraction of
  // Last.fm's 3,028 artists (two trials of up to three epochs and the final fit, here)
  const { stdout } = await runEval(
    'mf',
    ['--config', configPath, ...tuning, ...output],
    180_000,
    smallCataloguePath,
  );
  expect(stdout).toContain('kept epoch');
  const [model] = JSON.parse(readFileSync(jsonPath, 'utf8')).models;
  expect(model.trials).toHaveLength(2);
  for (const trial of model.trials) {
    // patience 1: a trial ends one epoch after its best, or at its 3rd epoch
    expect(trial.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(trial.epochsTrained).toBe(Math.min(trial.bestEpoch + 1, 3));
    expect(trial.stoppedEarly).toBe(trial.epochsTrained < 3);
  }
  const best = model.trials.reduce((a: { validationNdcg10: number }, b: { validationNdcg10: number }) =>
    b.validationNdcg10 > a.validationNdcg10 ? b : a,
  );
  // the kept configuration trains the best trial's best epoch count, and that epoch is evaluated
  expect(model.config.epochs).toBe(best.bestEpoch);
  expect(model.epochsTrained).toBe(best.bestEpoch);
  expect(model.keptEpoch).toBe(best.bestEpoch);
  expect(model.stoppedEarly).toBe(false);
  expect(model.curve).toHaveLength(best.bestEpoch);
  expect(model.validationNdcg10).toBe(model.curve[model.keptEpoch - 1].validationNdcg10);
  // same training part, seed and schedule on the deterministic cpu backend: the final fit retraces the trial
  expect(model.validationNdcg10).toBeCloseTo(best.validationNdcg10, 10);
});

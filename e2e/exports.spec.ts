// Exports and other systems' results in the lab: a dataset run with a one-epoch MF, its split saved
// as RecBole atomic files, its item embeddings as safetensors, and a top-k file from "another
// system" (written here from the exported test split) scored beside MF with a paired test.
import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { blockingViolations } from './pageChecks';

/** 40 users walking a 12-item catalogue, 4 to 7 items each. */
const dataset = Array.from({ length: 40 }, (_, u) => {
  const items = Array.from({ length: 4 + (u % 4) }, (_, i) => `i${(u * 5 + i * 3) % 12}`);
  return `u${u} ${[...new Set(items)].join(' ')}`;
}).join('\n');

const header = 'user_id:token\titem_id:token\ttimestamp:float';

/** Clicks and collects the `count` downloads the click starts, by file name. */
async function downloadsOf(page: Page, click: () => Promise<void>, count: number) {
  const downloads: Download[] = [];
  const listener = (download: Download) => downloads.push(download);
  page.on('download', listener);
  await click();
  await expect.poll(() => downloads.length).toBe(count);
  page.off('download', listener);
  const files = new Map<string, Buffer>();
  for (const download of downloads)
    files.set(download.suggestedFilename(), readFileSync(await download.path()));
  return files;
}

test('export a run as RecBole files and safetensors, and score another system beside it', async ({
  page,
}) => {
  // the steps take seconds, but on a shared 2-core machine under load (load average 53) starting the
  // lab worker took over 30 s and injecting axe 20 s: room for that
  test.setTimeout(300_000);
  await page.goto('?train=off#/lab');
  await page.getByTestId('lab-format').selectOption('sequences');
  await page
    .getByTestId('lab-file')
    .setInputFiles({ name: 'walks.txt', mimeType: 'text/plain', buffer: Buffer.from(dataset) });
  await page.getByTestId('lab-import').click();
  await expect(page.getByTestId('lab-import-message')).toContainText('Imported walks.txt: 40 users', {
    timeout: 90_000,
  });

  await page.getByTestId('lab-model-popularity').uncheck();
  await page.getByTestId('lab-model-mf').check();
  await page.getByLabel('mf config overrides (JSON)').fill('{"epochs": 1, "dim": 4}');
  await page.getByTestId('lab-ks').fill('10');
  await page.getByLabel('backend').selectOption('cpu');
  await page.getByLabel('keep top-100 lists').check();
  await page.getByTestId('lab-run').click();
  await expect(page.locator('[data-testid="lab-result-row"][data-model="mf"]')).toBeVisible({
    timeout: 60_000,
  });

  // the dataset and its leave-one-out split, as RecBole reads them
  const recbole = await downloadsOf(page, () => page.getByTestId('lab-export-recbole').click(), 4);
  expect([...recbole.keys()].sort()).toEqual([
    'walks.inter',
    'walks.test.inter',
    'walks.train.inter',
    'walks.valid.inter',
  ]);
  for (const text of recbole.values()) expect(text.toString('utf8').split('\n')[0]).toBe(header);
  const testLines = recbole.get('walks.test.inter')!.toString('utf8').trim().split('\n').slice(1);
  expect(testLines).toHaveLength(40);

  // MF's 12 item vectors of 4 floats, behind an 8-byte length and a space-padded JSON header
  const model = await downloadsOf(page, () => page.getByTestId('lab-export-model-mf').click(), 2);
  const [tensorsName] = [...model.keys()].filter((name) => name.endsWith('.safetensors'));
  const bytes = model.get(tensorsName)!;
  const headerLength = Number(bytes.readBigUInt64LE(0));
  expect(headerLength % 8).toBe(0);
  const tensors = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  expect(tensors.item_embeddings).toEqual({ dtype: 'F32', shape: [12, 4], data_offsets: [0, 192] });
  expect(bytes.length).toBe(8 + headerLength + 192);
  const manifestName = [...model.keys()].find((name) => name.endsWith('.manifest.json'))!;
  const manifest = JSON.parse(model.get(manifestName)!.toString('utf8'));
  expect(manifest).toMatchObject({ format: 'aisle-model', architecture: 'mf' });
  expect(manifest.itemIds).toHaveLength(12);

  // "another system" that always ranks the held-out item first: the split's users and targets
  const oracle = testLines
    .map((line) => line.split('\t'))
    .map(([user, item]) => `${user}\t${item}\t${item}`)
    .join('\n');
  await page.getByTestId('lab-topk-file').setInputFiles({
    name: 'bad.tsv',
    mimeType: 'text/tab-separated-values',
    buffer: Buffer.from('nobody\ti1\ti1 i2\n'),
  });
  await page.getByTestId('lab-topk-score').click();
  await expect(page.getByTestId('lab-topk-error')).toContainText(
    'bad.tsv was refused: line 1: user "nobody" is not one of the split\'s 40 evaluated users',
  );
  await page.getByTestId('lab-topk-file').setInputFiles({
    name: 'oracle.tsv',
    mimeType: 'text/tab-separated-values',
    buffer: Buffer.from(oracle),
  });
  await page.getByTestId('lab-topk-score').click();
  const rows = page.getByTestId('lab-topk-results').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('mf (this run)');
  await expect(rows.nth(1)).toContainText('oracle.tsv');
  // every target at rank 1: HR@10 1 with the interval [1, 1]
  await expect(rows.nth(1)).toContainText('1.0000 [1.0000, 1.0000]');
  await expect(page.getByTestId('lab-topk-paired')).toContainText(
    /HR@10 \+0\.\d{4} \(theirs − ours\) over 40 users/,
  );

  expect(await blockingViolations(page, '[data-testid="lab-export"]', '[data-testid="lab-topk"]')).toEqual(
    [],
  );
  // the new controls are reachable from the keyboard
  await page.getByTestId('lab-export-recbole').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('lab-export-model-mf')).toBeFocused();
});

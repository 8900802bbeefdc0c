// A community model trained elsewhere, in the store: a person opens About, picks a Spark ALS save
// (e2e/fixtures/store-als, a real implicit-ALS fit on the store's community data written by
// scripts/fixtures/storeAlsFixture.ts) with the keyboard-reachable control, and sees its card:
// source, when, each file's SHA-256, how its ids met the catalog, and its held-out figures with
// intervals beside the store's own MF. A reload still shows it; "Use the store's own model" deletes
// it. A file that is no model is refused and stores nothing. The About page with the imported card
// passes axe-core (a11y.spec.ts checks About without one).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, openStore, storedRows, test } from './fixtures';
import { blockingViolations } from './pageChecks';

const fixture = 'e2e/fixtures/store-als';
const modelFiles = [
  join(fixture, 'metadata/part-00000'),
  join(fixture, 'itemFactors/part-00000-aisle-store-c000.snappy.parquet'),
];
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
/** ".136 [.080, .197]": a metric in [0, 1] with its 95% interval, as every card writes one */
const withInterval = /^(\.\d{3}|1\.000) \[(\.\d{3}|1\.000), (\.\d{3}|1\.000)\]$/;

test('a Spark ALS model replaces the store MF, is measured beside it, survives a reload, and goes back', async ({
  page,
}, testInfo) => {
  // the tiny plan learns in seconds on an idle machine; the two-core CI machine is often loaded
  test.slow();
  await openStore(page, '?backend=wasm&train=tiny#/about');
  const panel = page.getByTestId('imported-model-panel');
  await expect(panel.getByTestId('store-model-own')).toBeVisible();

  // the file control and its button are reached and used with the keyboard
  const picker = panel.getByLabel('Model files');
  await picker.setInputFiles(modelFiles);
  await picker.focus();
  await page.keyboard.press('Tab');
  await expect(panel.getByTestId('store-model-import')).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(panel.getByTestId('store-model-message')).toContainText(
    'Imported Spark MLlib ALS: 4340 of 4538 items matched; 198 have no vector',
  );
  const card = panel.getByTestId('imported-model-card');
  const showsTheImport = async () => {
    await expect(card.getByTestId('imported-source')).toHaveText('Spark MLlib ALS (Spark ALS, rank 8)');
    await expect(card.getByTestId('imported-at')).toContainText(String(new Date().getFullYear()));
    await expect(card.getByTestId('imported-file')).toHaveText([
      new RegExp(`^part-00000 \\(294 bytes\\) SHA-256 ${sha256(modelFiles[0])}$`),
      new RegExp(
        `^part-00000-aisle-store-c000\\.snappy\\.parquet \\(.+ bytes\\) SHA-256 ${sha256(modelFiles[1])}$`,
      ),
    ]);
    await expect(card.getByTestId('imported-alignment')).toContainText(
      '4340 of 4538 games matched; 198 have no vector',
    );
    // measured here once learning reaches MF: both rows with intervals, and which is better
    const quality = card.getByTestId('imported-quality');
    await expect(quality).toBeVisible({ timeout: 120_000 });
    for (const ranker of ['imported', 'storeMf']) {
      await expect(quality.locator(`tr[data-ranker="${ranker}"] td`)).toHaveText([
        withInterval,
        withInterval,
      ]);
    }
    await expect(card.getByTestId('imported-verdict')).toContainText('NDCG@10 imported − store');
  };
  await showsTheImport();
  console.log(
    (await card.getByTestId('imported-quality').innerText()).replace(/\s+/g, ' '),
    (await card.getByTestId('imported-verdict').innerText()).trim(),
  );
  await expect(page.getByTestId('learning-status')).toHaveAttribute('data-phase', 'ready', {
    timeout: 120_000,
  });
  await expect(page.getByTestId('model-card-hybrid')).toContainText('mfColumn imported: Spark MLlib ALS');

  await panel.screenshot({ path: testInfo.outputPath('imported-model-panel.png') });
  // the rest of About is a11y.spec.ts's: checking the panel alone keeps this test seconds shorter
  expect(await blockingViolations(page, '[data-testid="imported-model-panel"]')).toEqual([]);

  await page.reload();
  await showsTheImport();

  await panel.getByTestId('store-model-undo').click();
  await expect(panel.getByTestId('store-model-own')).toBeVisible();
  await expect(panel.getByTestId('store-model-message')).toContainText("The store's own MF is back");
  await expect(card).toHaveCount(0);
  expect(await storedRows(page, 'importedModels')).toEqual([]);
  await expect(page.getByTestId('learning-status')).toHaveAttribute('data-phase', 'ready', {
    timeout: 120_000,
  });
  await expect(page.getByTestId('model-card-mf')).toBeVisible();
  await expect(page.getByTestId('model-card-hybrid')).not.toContainText('mfColumn');

  // a file that is no model: the readers' message, and nothing stored
  await picker.setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('not a model'),
  });
  await panel.getByTestId('store-model-import').click();
  await expect(panel.getByRole('alert')).toContainText(
    'The model was not imported: the picked files: hold no model; expected Spark ALS',
  );
  await expect(panel.getByTestId('store-model-own')).toBeVisible();
  expect(await storedRows(page, 'importedModels')).toEqual([]);
});

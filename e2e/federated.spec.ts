// Federated-ready learning (issue 14): the shopper's would-be contribution on the profile page
// (computed on the device, nothing sent, exported only when asked), and the lab's federated
// simulation on a tiny dataset. Learning is off in the store: the update starts from the seeded
// table, which is all the section needs to show its terms.
import { readFileSync } from 'node:fs';
import { expect, openStore, test, waitForStored } from './fixtures';
import { blockingViolations, tabTo } from './pageChecks';

interface ExportedUpdate {
  dimension: number;
  epsilon: number;
  delta: number;
  clipNorm: number;
  rows: { item: number; vector: number[] }[];
}

test('a shopper with a few views sees the privacy of their update and exports it', async ({ page }) => {
  await openStore(page, '?train=off&backend=cpu#/');
  for (const id of [3, 8, 21]) {
    await page.evaluate((target) => (location.hash = target), `#/game/${id}`);
    await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('');
  }
  await waitForStored(page, (events) => events.filter((e) => e.kind === 'view').length === 3, 'three views');
  await page.evaluate(() => (location.hash = '#/profile'));

  const section = page.getByTestId('community-update');
  await expect(
    section.getByRole('heading', { name: 'Help the community model (nothing is sent)' }),
  ).toBeVisible();
  const open = section.getByTestId('community-update-open');
  // from the control before it: the section is in the page's tab order (the whole page is long)
  await page.getByTestId('reset-profile').focus();
  await tabTo(page, open, 5);
  await page.keyboard.press('Enter');
  const privacy = section.getByTestId('community-update-privacy');
  await expect(privacy).toContainText(/ε = [\d.]+ at δ = 0\.00001/);
  const rowsText = (await section.getByTestId('community-update-rows').textContent()) ?? '';
  const [, rows, dimension, pseudo] = /(\d+) rows of (\d+) numbers, of which (\d+)/.exec(rowsText) ?? [];
  expect(Number(pseudo)).toBe(20);
  expect(await blockingViolations(page, '[data-testid="community-update"]')).toEqual([]);

  const exportButton = section.getByTestId('community-update-export');
  await tabTo(page, exportButton, 20);
  const downloaded = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const file = JSON.parse(readFileSync(await (await downloaded).path(), 'utf8')) as ExportedUpdate;
  expect(file.rows).toHaveLength(Number(rows));
  expect(file.rows.every((row) => row.vector.length === Number(dimension))).toBe(true);
  expect(file.dimension).toBe(Number(dimension));
  expect(file.delta).toBe(1e-5);
  await expect(privacy).toContainText(`ε = ${Number(file.epsilon.toPrecision(3))}`);
});

/** 60 users over a 20-item catalogue, in two taste groups: a federated run of a few rounds takes a second */
const tinyClients = Array.from({ length: 60 }, (_, user) => {
  const items = Array.from({ length: 6 }, (_, step) => 1 + (user % 2) * 10 + ((user + step * 3) % 10));
  return `${user + 1} ${[...new Set(items)].join(' ')}`;
}).join('\n');

test('the lab simulates federated learning on a tiny dataset and shows the table and curves', async ({
  page,
}) => {
  await page.goto('#/lab');
  await page.getByTestId('lab-format').selectOption('sequences');
  await page
    .getByTestId('lab-file')
    .setInputFiles({ name: 'clients.txt', mimeType: 'text/plain', buffer: Buffer.from(tinyClients) });
  await page.getByTestId('lab-import').click();
  await expect(page.getByTestId('lab-import-message')).toContainText('Imported clients.txt: 60 users');

  const panel = page.getByTestId('federated-panel');
  await panel.getByTestId('federated-rounds').fill('4');
  await panel.getByTestId('federated-epsilons').fill('4');
  await panel.getByTestId('federated-epsilons').focus();
  await tabTo(page, panel.getByTestId('federated-run'), 3);
  await page.keyboard.press('Enter');

  const arms = panel.getByTestId('federated-arm');
  await expect(arms).toHaveCount(3);
  await expect(arms.nth(0)).toContainText('central (no privacy)');
  await expect(arms.nth(1)).toContainText('federated, ε = 4');
  await expect(arms.nth(2)).toContainText('federated, ε = ∞');
  await expect(panel.getByTestId('federated-table')).toContainText('60 clients');
  // rounds 0 … 4, one point per round (curveEvery = 1 for four rounds)
  await expect(panel.getByTestId('federated-curve-1')).toHaveAttribute('data-points', '5');
  await expect(panel.getByTestId('federated-curve-1-chart')).toBeVisible();
  expect(await blockingViolations(page, '[data-testid="federated-panel"]')).toEqual([]);
});

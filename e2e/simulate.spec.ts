// The merchant's simulator page: run a small population with offers, read the results table,
// the A/B comparison and the offers' effect, see the chart drawn beside a table of the same
// numbers, and check the page with axe and by keyboard.
import { expect, test } from './fixtures';
import { axeViolations } from './pageChecks';

// the store's own training is off: it would share the page's two cores with the simulation
const simulatePage = '?train=off#/simulate';

test('simulate a small population: results, comparison, offers, chart with its table', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(simulatePage);
  await expect(page.getByRole('heading', { name: 'Simulate shoppers' })).toBeVisible();

  await page.getByTestId('sim-offers').check();
  await page.getByTestId('sim-shoppers').fill('30');
  await page.getByTestId('sim-sessions').fill('1');
  await page.getByTestId('sim-compare-a').selectOption('popularity');
  await page.getByTestId('sim-compare-b').selectOption('blend');
  await page.getByTestId('sim-run').click();
  await expect(page.getByTestId('sim-status')).toContainText('Done: 30 shoppers', { timeout: 240_000 });

  const results = page.getByTestId('sim-results');
  for (const name of ['popularity', 'popularity+offers', 'blend', 'blend+offers']) {
    await expect(results.getByRole('columnheader', { name, exact: true })).toBeVisible();
  }
  await expect(results.locator('tr[data-metric="coverage"] td')).toHaveCount(4);
  await expect(page.getByTestId('sim-comparison')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'A/B: blend − popularity' })).toBeVisible();
  await expect(page.getByTestId('sim-offers-table').getByRole('rowheader')).toHaveText([
    'popularity+offers vs popularity',
    'blend+offers vs blend',
  ]);
  await expect(page.getByTestId('sim-assumptions').locator('li').first()).toContainText('cascade');

  // the chart is drawn, and its table holds the same means as the results table
  const chart = page.getByTestId('sim-chart');
  await expect(chart).toHaveAttribute('data-drawn', 'true');
  await expect(chart.locator('canvas')).toBeVisible();
  const conversionMeans = await results.locator('tr[data-metric="conversion"] td .mean').allTextContents();
  const chartMeans = await page
    .getByTestId('sim-chart-table')
    .locator('tbody tr td:nth-of-type(1)')
    .allTextContents();
  expect(chartMeans).toEqual(conversionMeans);

  expect(await axeViolations(page)).toEqual([]);
});

test('the settings and Run are reachable by keyboard, and a bad entry is named', async ({ page }) => {
  await page.goto(simulatePage);
  await expect(page.getByTestId('sim-run')).toBeVisible();
  await page.getByTestId('sim-strategy-popularity').focus();
  const reached = new Set<string>();
  for (let i = 0; i < 20 && !reached.has('sim-run'); i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
    reached.add(id);
  }
  for (const id of ['sim-offers', 'sim-shoppers', 'sim-seed', 'sim-budget', 'sim-compare-a', 'sim-run']) {
    expect(reached, `${id} is reachable by Tab`).toContain(id);
  }
  await page.getByTestId('sim-shoppers').fill('0');
  await page.getByTestId('sim-shoppers').press('Enter');
  await expect(page.getByTestId('sim-problem')).toContainText('Shoppers must be a whole number');
});

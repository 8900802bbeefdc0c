// "Your shopping": a purchase made from "For you" is credited to "For you", the funnel counts
// the events stored, the charts draw the numbers their tables show, and the page is accessible.
import type { Locator } from '@playwright/test';
import { expect, openStore, storedEvents, test, waitForStored } from './fixtures';
import { axeViolations, tabTo } from './pageChecks';

const cell = (row: Locator, name: string) => row.locator(`[data-cell="${name}"]`);

test('a game bought from "For you" is credited to it; charts and tables agree', async ({ page }) => {
  // learning off and the backend pinned (no race): only the store's baselines are under test
  await openStore(page, '?train=off&backend=cpu');
  const forYou = page.getByTestId('row-home:forYou');
  const firstCard = forYou.getByTestId('game-card').first();
  await expect(firstCard).toBeVisible();
  // a card counts as seen after half a second at least half in view
  await waitForStored(
    page,
    (events) => events.some((e) => e.kind === 'impression' && e.placement === 'home:forYou'),
    'an impression of "For you" stored',
  );
  const item = Number(await firstCard.getAttribute('data-item'));
  await firstCard.getByRole('link').click();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByTestId('cart-link').click();
  await page.getByRole('link', { name: 'Go to checkout' }).click();
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByTestId('order-done')).toContainText('1 game');

  // the satisfaction question, answered from the keyboard
  await page.getByRole('link', { name: 'Aisle home' }).click();
  const yes = page.getByRole('button', { name: 'Yes, these picks were useful' });
  await expect(yes).toBeVisible();
  // the question sits below every row: from the last card of the row above it, a few presses of Tab
  // prove it is in the tab order (a walk from the top crosses the controls of every card on the page first)
  await page
    .getByTestId('row-home:trending')
    .getByTestId('game-card')
    .last()
    .getByRole('link')
    .first()
    .focus();
  await tabTo(page, yes, 20);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Thanks. Your answers are in')).toBeVisible();

  // to the insights page from the keyboard
  const navLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Your shopping' });
  await page.locator('#search').focus();
  await tabTo(page, navLink);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Your shopping' })).toBeVisible();
  const forYouRow = page.getByTestId('recs-by-row-home:forYou');
  await expect(cell(forYouRow, 'purchases')).toHaveText('1');

  const events = await storedEvents(page);
  const click = events.find((e) => e.kind === 'recClick');
  const purchase = events.find((e) => e.kind === 'purchase');
  expect(click).toMatchObject({
    itemId: item,
    placement: 'home:forYou',
    position: 0,
    model: 'baseline blend',
  });
  expect(purchase).toMatchObject({ itemId: item, sessionId: click?.sessionId });
  expect(events.find((e) => e.kind === 'satisfaction')).toMatchObject({ answer: 'useful' });

  // the recommendation table counts what is stored
  const forYouImpressions = events.filter((e) => e.kind === 'impression' && e.placement === 'home:forYou');
  await expect(cell(forYouRow, 'impressions')).toHaveText(String(forYouImpressions.length));
  await expect(cell(forYouRow, 'clicks')).toHaveText('1');
  const otherRows = page.getByTestId('recs-by-row').locator('tbody tr').filter({ hasNotText: 'For you' });
  for (const purchases of await otherRows.locator('[data-cell="purchases"]').allTextContents()) {
    expect(purchases).toBe('0');
  }

  // the funnel: one game viewed (the one clicked), carted and bought, all from "For you"
  const viewed = new Set(events.filter((e) => e.kind === 'view').map((e) => e.itemId));
  expect(viewed).toEqual(new Set([item]));
  const funnelCounts = async (column: 'all' | 'recs') =>
    Promise.all(
      ['viewed', 'carted', 'bought'].map(async (step) =>
        Number(await cell(page.getByTestId(`funnel-${step}`), column).textContent()),
      ),
    );
  expect(await funnelCounts('all')).toEqual([1, 1, 1]);
  expect(await funnelCounts('recs')).toEqual([1, 1, 1]);

  // the charts are drawn, with the numbers of their tables
  const funnelChart = page.getByTestId('funnel-chart');
  await expect(funnelChart).toHaveAttribute('data-values', /.+/);
  expect(JSON.parse((await funnelChart.getAttribute('data-values'))!)).toEqual([
    await funnelCounts('all'),
    await funnelCounts('recs'),
  ]);
  const satisfactionChart = page.getByTestId('satisfaction-chart');
  await expect(satisfactionChart).toHaveAttribute('data-values', /.+/);
  const satisfactionRow = page.getByTestId('satisfaction-table').locator('tbody tr');
  const answers = (await satisfactionRow.locator('td').allTextContents()).map(Number);
  expect(JSON.parse((await satisfactionChart.getAttribute('data-values'))!)).toEqual(answers.map((n) => [n]));
  expect(answers).toEqual([1, 0, 0]);

  const pathsChart = page.getByTestId('paths-chart');
  await expect(pathsChart).toHaveAttribute('data-values', /.+/);
  const flows = JSON.parse((await pathsChart.getAttribute('data-values'))!) as {
    from: string;
    to: string;
    flow: number;
  }[][];
  expect(flows[0]).toContainEqual({ from: '0:Home', to: '1:For you', flow: 1 });
  expect(flows[0]).toContainEqual({ from: '1:For you', to: '2:Product', flow: 1 });
  const pathRows = await page
    .getByTestId('paths-table')
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent)));
  expect(pathRows).toEqual(
    flows[0].map((f) => [f.from.replace(':', ' · '), f.to.replace(':', ' · '), String(f.flow)]),
  );
  for (const canvas of [funnelChart, satisfactionChart, pathsChart]) {
    expect(await canvas.evaluate((c) => (c as HTMLCanvasElement).width)).toBeGreaterThan(0);
  }

  // accessible: no axe violations on the page as drawn, and the paths table opens from the keyboard
  const summary = page.getByText('The paths as a table');
  await tabTo(page, summary);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('paths-table')).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
});

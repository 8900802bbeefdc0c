// Every page of the store, the lab and the bench, checked by axe-core as a person would reach it:
// no serious or critical violation, and the main navigation reachable from the keyboard alone.
// Pages with their own spec (profile, insights, simulator) check themselves after their own steps, and so
// does About with an imported community model (storeModel.spec.ts: learning is off here, so none can be).
import type { Page } from '@playwright/test';
import { expect, openStore, test } from './fixtures';
import { blockingViolations } from './pageChecks';

const pages: { path: string; ready: (page: Page) => Promise<void> }[] = [
  {
    path: '#/',
    ready: (page) =>
      expect(page.getByTestId('row-home:forYou').getByTestId('game-card').first()).toBeVisible(),
  },
  { path: '#/browse', ready: (page) => expect(page.getByTestId('game-card').first()).toBeVisible() },
  {
    path: '#/search?q=strategy',
    ready: (page) => expect(page.getByRole('heading', { name: /Results for/ })).toBeVisible(),
  },
  { path: '#/game/10', ready: (page) => expect(page.getByRole('heading', { level: 1 })).not.toHaveText('') },
  { path: '#/cart', ready: (page) => expect(page.getByRole('heading', { level: 1 })).toBeVisible() },
  { path: '#/checkout', ready: (page) => expect(page.getByRole('heading', { level: 1 })).toBeVisible() },
  { path: '#/data', ready: (page) => expect(page.getByRole('heading', { level: 1 })).toBeVisible() },
  { path: '#/offers', ready: (page) => expect(page.getByTestId('offers-enabled')).toBeVisible() },
  { path: '#/about', ready: (page) => expect(page.getByRole('heading', { level: 1 })).toBeVisible() },
  { path: '#/lab', ready: (page) => expect(page.getByRole('heading', { level: 1 })).toBeVisible() },
];

// One page load visits every route by its hash (a same-document navigation, as a shopper's
// clicks are), so the check costs one store start-up instead of one per page; each page is its
// own step and a soft assertion, so one failing page still reports every other.
test('every page passes axe-core with no serious or critical violation', async ({ page }) => {
  test.setTimeout(300_000);
  await openStore(page, '?train=off');
  for (const { path, ready } of pages) {
    await test.step(path, async () => {
      await page.goto(`?train=off${path}`);
      await ready(page);
      // an on-demand page shows "Loading the …" until its code arrives: check the page, not that
      await expect(page.getByText(/^Loading the /)).toHaveCount(0);
      expect.soft(await blockingViolations(page), `${path} has no serious or critical violation`).toEqual([]);
    });
  }
});

test('the skip link and the main navigation are reachable with the keyboard', async ({ page }) => {
  // the header does not depend on the backend: pinned, so the page load runs no race
  await openStore(page, '?train=off&backend=cpu');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  const navigation = page.getByRole('navigation', { name: 'Main' });
  const links = await navigation.getByRole('link').all();
  expect(links.length).toBeGreaterThan(2);
  for (const link of links) {
    let reached = false;
    for (let press = 0; press < 40 && !reached; press++) {
      await page.keyboard.press('Tab');
      reached = await link.evaluate((element) => element === document.activeElement);
    }
    expect(reached, `${await link.textContent()} is reachable with Tab`).toBe(true);
  }
});

// Offline and installable: once the service worker controls the page, the store opens, browses,
// recommends and takes a cart with the network cut (context.setOffline), from the build's cache.
import { expect, openStore, test } from './fixtures';

test('the store works offline once its service worker controls the page', async ({ page, context }) => {
  // installing caches the whole build: minutes on a loaded 2-core machine
  test.setTimeout(400_000);
  // wasm asked for: the backend race is not what this test is about, and on a busy machine it is slow
  await openStore(page, '?backend=wasm&train=off');
  // the manifest is linked, and names a start URL and scope relative to wherever the app is served
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = (await (await page.request.get(new URL(manifestHref!, page.url()).href)).json()) as {
    start_url: string;
    scope: string;
    icons: { src: string }[];
  };
  expect([manifest.start_url, manifest.scope]).toEqual(['./', './']);
  expect(manifest.icons.length).toBeGreaterThan(0);

  // installed (every file of the build cached) and in control of this page
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 180_000 })
    .toBe(true);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 180_000 });

  // recommendations: a filled "For you" row, ranked by the worker from the cached data
  const forYou = page.getByTestId('row-home:forYou').getByTestId('game-card');
  await expect(forYou.first()).toBeVisible();
  expect(await forYou.count()).toBeGreaterThan(0);

  // browse, open a game, put it in the cart
  await page.getByRole('link', { name: 'Browse' }).click();
  const cards = page.getByTestId('game-card');
  await expect(cards.first()).toBeVisible();
  const item = await cards.first().getAttribute('data-item');
  await page.goto(`#/game/${item}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByTestId('cart-link')).toHaveText('Cart (1)');
  await context.setOffline(false);
});

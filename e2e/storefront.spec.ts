import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { databaseNames, expect, go, openStore, storedEvents, test, waitForStored } from './fixtures';
import { catalogGames } from './pageChecks';

// learning off and the backend pinned: no race (up to 2 s per backend, e2e/backend.spec.ts tests it)
// on each of these page loads, since only the store's baselines are under test
const store = '?train=off&backend=cpu';

test('browsing records events in IndexedDB, and a reload keeps them', async ({ page }) => {
  await openStore(page, store);
  await page.getByRole('link', { name: 'Browse' }).click();
  await page.getByTestId('game-card').first().getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('');
  const viewed = Number(new URL(page.url()).hash.split('/').pop());

  await page.getByLabel('Search games').fill('strategy');
  await page.getByLabel('Search games').press('Enter');
  await expect(page.getByRole('heading', { name: /Results for/ })).toBeVisible();

  const events = await waitForStored(
    page,
    (e) => e.some((x) => x.kind === 'view' && x.itemId === viewed) && e.some((x) => x.kind === 'search'),
    'a view of the opened game and the search are stored',
  );
  // leaving the product page after > 1 s records a dwell time
  expect(events.find((e) => e.kind === 'search')?.query).toBe('strategy');
  for (const event of events) {
    expect(typeof event.at).toBe('number');
    expect(event.sessionId).toMatch(/\S/);
  }

  await page.reload();
  await openStore(page, page.url());
  // every event stored before the reload is still there, unchanged; the reload adds its own page view
  const afterReload = await waitForStored(
    page,
    (stored) => stored.slice(events.length).some((e) => e.kind === 'pageView' && e.page === 'search'),
    'the page view of the reloaded page stored',
  );
  expect(afterReload.slice(0, events.length)).toEqual(events);
});

test("the worker warms the first click up once after the first rows; the click's event is still stored", async ({
  page,
}) => {
  await openStore(page, store + '#/');
  const warmUps = () => page.evaluate(() => performance.getEntriesByName('aisle:first-click-warmed').length);
  await expect.poll(warmUps, { timeout: 30_000, message: 'the first-click warm-up ran' }).toBe(1);
  const forYou = page.getByTestId('row-home:forYou').getByTestId('game-card');
  const first = await forYou.first().getByRole('link').getAttribute('href');
  const hidden = Number(first?.split('/').pop());
  await forYou
    .first()
    .getByRole('button', { name: /^Not interested/ })
    .click();
  // the hidden game leaves the row (the warm-up changed no row), and its event is written in idle time
  await expect(page.getByTestId('row-home:forYou').locator(`a[href$="/${hidden}"]`)).toHaveCount(0);
  await waitForStored(
    page,
    (events) => events.some((e) => e.kind === 'notInterested' && e.itemId === hidden),
    'the hide is stored',
  );
  expect(await warmUps()).toBe(1);
});

test('"For you" follows the genre of the games the shopper views', async ({ page, request }) => {
  const games = await catalogGames<{ id: number; genres: string[] }>(request);
  const isSimulation = (id: string | null) => games[Number(id)].genres.includes('Simulation');
  await openStore(page, store);
  const forYou = page.getByTestId('row-home:forYou').getByTestId('game-card');
  await expect(forYou.first()).toBeVisible();
  const before = await forYou.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-item')));

  // view three Simulation games from the browse page
  await go(page, '#/browse?genre=Simulation');
  const simulation = await page
    .getByTestId('game-card')
    .evaluateAll((cards) => cards.slice(0, 3).map((c) => Number(c.getAttribute('data-item'))));
  for (const id of simulation) {
    await go(page, `#/game/${id}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  await go(page, '#/');
  await expect
    .poll(async () =>
      (await forYou.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-item')))).join(),
    )
    .not.toBe(before.join());
  const after = await forYou.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-item')));
  // the row now leans to Simulation, and never repeats what was just viewed
  expect(after.filter(isSimulation).length).toBeGreaterThan(before.filter(isSimulation).length);
  expect(after.filter(isSimulation).length).toBeGreaterThanOrEqual(3);
  for (const id of simulation) expect(after).not.toContain(String(id));
  // the reasons speak of what the shopper did
  await expect(page.getByTestId('row-home:forYou').getByTestId('reason').first()).toHaveText(
    /Because you viewed|Matches your interest in/,
  );
});

test('cart and checkout record purchases and empty the cart', async ({ page }) => {
  await openStore(page, `${store}#/game/3`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await go(page, '#/game/4');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByTestId('cart-link')).toHaveText('Cart (2)');
  await page.getByTestId('cart-link').click();
  await expect(page.getByTestId('cart-lines').getByRole('listitem')).toHaveCount(2);
  await page.getByRole('link', { name: 'Go to checkout' }).click();
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByTestId('order-done')).toContainText('2 games');
  await expect(page.getByTestId('cart-link')).toHaveText('Cart (0)');
  const events = await waitForStored(
    page,
    (e) => e.filter((x) => x.kind === 'purchase').length === 2,
    'two purchases stored',
  );
  expect(new Set(events.filter((e) => e.kind === 'purchase').map((e) => e.itemId))).toEqual(new Set([3, 4]));
  // an owned game is never recommended again
  await go(page, '#/game/3');
  await expect(page.getByText('You own this game.')).toBeVisible();
});

test('export, erase and import restore the same events; erase leaves no database behind', async ({
  page,
}) => {
  await openStore(page, `${store}#/game/1`);
  await go(page, '#/game/2');
  await page.getByRole('button', { name: 'Not interested', exact: true }).click();
  await go(page, '#/data');
  await waitForStored(page, (e) => e.length >= 3, 'events stored');

  const download = page.waitForEvent('download');
  await page.getByTestId('export').click();
  const file = await (await download).path();
  // export flushes pending writes first, so what is stored now is exactly what the file holds
  const stored = await storedEvents(page);
  const exported = JSON.parse(readFileSync(file, 'utf8')) as { events: unknown[] };
  expect(exported.events).toHaveLength(stored.length);

  // a second tab shows the same list; the erase must empty it too, not leave it showing what is gone
  const otherTab = await page.context().newPage();
  await openStore(otherTab, `${store}#/data`);
  await expect(otherTab.getByTestId('event-count')).not.toHaveText('0');

  page.once('dialog', (dialog) => dialog.accept());
  await page.getByTestId('erase').click();
  await expect(page.getByTestId('data-status')).toContainText('erased');
  await expect(otherTab.getByTestId('erased-elsewhere')).toContainText('erased in another tab');
  await expect(otherTab.getByTestId('event-count')).toHaveText('0');
  await otherTab.close();
  expect(await databaseNames(page)).toEqual([]);
  await expect(page.getByTestId('event-count')).toHaveText('0');

  await openStore(page, `${store}#/data`);
  await page.getByTestId('import').setInputFiles(file);
  await expect(page.getByTestId('data-status')).toContainText(`Imported ${stored.length} events`);
  const restored = await storedEvents(page);
  const strip = (events: typeof stored) =>
    events.map(({ id: _id, ...rest }) => rest).sort((a, b) => a.at - b.at);
  expect(strip(restored)).toEqual(strip(stored));
});

test('a malformed import is refused with a reason and changes nothing', async ({ page }) => {
  await openStore(page, `${store}#/game/5`);
  await go(page, '#/data');
  // leaving the game records its dwell and arriving here a page view: both stored before the snapshot
  const before = await waitForStored(
    page,
    (e) => e.some((x) => x.kind === 'pageView' && x.page === 'data'),
    'the view of the game and the page view of "Your data" are stored',
  );
  await page.getByTestId('import').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"app":"aisle","version":1,"events":[{"kind":"teleport"'),
  });
  await expect(page.getByTestId('data-problem')).toContainText('not imported');
  expect(await storedEvents(page)).toEqual(before);
});

test.describe('first paint before the worker answers', () => {
  // the worker's data is held back by routing; a service worker would answer it from its cache
  test.use({ serviceWorkers: 'block' });

  /** Holds community.bin (only the store worker fetches it on #/) until the returned release is called. */
  async function holdWorkerData(page: Page): Promise<() => void> {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.context().route('**/data/community.bin', async (route) => {
      await released;
      await route.continue();
    });
    return release;
  }

  const paintSource = (page: Page) =>
    page.evaluate(
      () =>
        performance
          .getEntriesByType('mark')
          .find((mark) => mark.name.startsWith('aisle:paint-source-'))
          ?.name.slice('aisle:paint-source-'.length) ?? null,
    );
  /** How many "More like" events the page's database holds (read in the page, as the app stores them). */
  const storedFeedbackEvents = () =>
    new Promise<number>((resolve, reject) => {
      const open = indexedDB.open('aisle');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const all = open.result.transaction('events').objectStore('events').getAll();
        all.onsuccess = () => {
          resolve(all.result.filter((event: { kind: string }) => event.kind === 'recFeedback').length);
          open.result.close();
        };
      };
    });
  const forYouItems = (page: Page) =>
    page
      .getByTestId('row-home:forYou')
      .getByTestId('game-card')
      .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-item')));
  /** Holds the app's bundle (the module script index.html loads) until the returned release is called. */
  async function holdAppBundle(page: Page): Promise<() => void> {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.context().route(/\/assets\/index-[\w-]+\.js$/, async (route) => {
      await released;
      await route.continue();
    });
    return release;
  }
  const earlyPainted = (page: Page) =>
    page.evaluate(() => performance.getEntriesByName('aisle:early-paint').length > 0);
  const keptMarkup = (page: Page) => page.evaluate(() => localStorage.getItem('aisle:home-markup'));

  test("the build's rows, then the last visit's, are real cards; a new event takes them down", async ({
    page,
  }) => {
    const forYou = page.getByTestId('row-home:forYou').getByTestId('game-card');
    let release = await holdWorkerData(page);
    await page.goto('?train=off#/');
    // cold: the build's rows, while the worker still waits for its data
    await expect(forYou).toHaveCount(10);
    expect(await paintSource(page)).toBe('build');
    const built = await forYouItems(page);
    // a painted card is the real card: it opens its game
    await forYou.nth(2).getByRole('link').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/\S/);
    release();
    await go(page, '#/');
    await expect(page.getByTestId('row-home:becauseYouViewed').getByTestId('game-card')).toHaveCount(10);
    const answered = await forYouItems(page);
    expect(answered).not.toContain(built[2]);
    // the page keeps those rows shortly after the worker's answer, and the For you row's markup
    await expect.poll(() => page.evaluate(() => localStorage.getItem('aisle:home-rows') !== null)).toBe(true);
    await expect.poll(() => keptMarkup(page)).not.toBeNull();

    // warm, with the app's bundle held back: the early script paints the kept row from plain HTML,
    // inert (a click on it does nothing) until the app takes over
    await page.context().unrouteAll();
    release = await holdWorkerData(page);
    const releaseBundle = await holdAppBundle(page);
    await page.reload({ waitUntil: 'commit' });
    await expect(forYou).toHaveCount(10);
    expect(await earlyPainted(page)).toBe(true);
    expect(await paintSource(page)).toBeNull(); // no app yet
    expect(await forYouItems(page)).toEqual(answered);
    await expect(page.locator('main')).toHaveAttribute('inert', '');
    // then the app, with the worker still held back: the kept rows, card for card, in one copy
    releaseBundle();
    await expect.poll(() => paintSource(page)).toBe('saved');
    await expect(forYou).toHaveCount(10);
    await expect(page.locator('[inert]')).toHaveCount(0);
    expect(await forYouItems(page)).toEqual(answered);

    // a new event before the worker answers: the kept rows no longer describe the state
    const liked = answered[0];
    await forYou
      .first()
      .getByRole('button', { name: /^More like/ })
      .click();
    await expect(page.getByTestId('row-home:forYou')).toHaveAttribute('aria-busy', 'true');
    // once it is stored, a reload paints no stale rows: the write changed the state version first
    await expect.poll(() => page.evaluate(storedFeedbackEvents)).toBe(1);
    await page.reload();
    // the shopper's storage has opened (their recently viewed row is known) and the rows still wait
    await expect(page.getByTestId('row-home:recentlyViewed')).toHaveAttribute('aria-busy', 'false');
    await expect(page.getByTestId('row-home:forYou')).toHaveAttribute('aria-busy', 'true');
    expect(await paintSource(page)).toBeNull();
    expect(await earlyPainted(page)).toBe(false); // the kept markup is of the old state
    release();
    await expect(forYou).toHaveCount(10);
    expect(await forYouItems(page)).not.toContain(liked);
  });
});

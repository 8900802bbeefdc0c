// "Your profile": what the store believes after five views of one genre, the shopper's
// corrections reaching the rows (and surviving a reload, an export / erase / import), the
// retention window, and the page's accessibility. Learning is off: only the profile and the
// baselines are under test.
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { expect, go, openStore, storedEvents, test, waitForStored } from './fixtures';
import { axeViolations, catalogGames, tabTo } from './pageChecks';

interface CatalogGame {
  id: number;
  title: string;
  genres: string[];
}

// learning off and the backend pinned (no race): only the profile and the baselines are under test
const store = '?train=off&backend=cpu#/';
const dayMs = 86_400_000;

/** After a reload: wait until the store's worker is ready again. */
async function reopen(page: Page): Promise<void> {
  await page.reload();
  await expect(page.getByTestId('backend-name')).not.toHaveText('…', { timeout: 90_000 });
}

const strategyOnly = (games: CatalogGame[]) =>
  games.filter((g) => g.genres.length === 1 && g.genres[0] === 'Strategy').slice(0, 5);

/** The first five Strategy-only games, and whether a game (by id) has the Strategy genre. */
async function strategyGames(request: APIRequestContext) {
  const games = await catalogGames<CatalogGame>(request);
  return { viewed: strategyOnly(games), isStrategy: (id: number) => games[id].genres.includes('Strategy') };
}

/** On the profile page: mute the Strategy genre and hear it announced. */
async function muteStrategy(page: Page): Promise<void> {
  await strategyRow(page).getByTestId('mute').click();
  await expect(page.getByTestId('profile-announcement')).toContainText('Muted genre Strategy');
}

/** Go home and wait until "For you" shows cards and none of them is `excluded`. */
async function expectForYouWithout(page: Page, excluded: (id: number) => boolean): Promise<void> {
  await go(page, '#/');
  const forYou = page.getByTestId('row-home:forYou');
  await expect(forYou.getByTestId('game-card').first()).toBeVisible();
  await expect.poll(async () => (await itemsOf(forYou)).filter(excluded)).toEqual([]);
}

/** Import an export file holding `events` (replacing what is stored), as a shopper would. */
async function importEvents(page: Page, events: object[]): Promise<void> {
  await go(page, '#/data');
  await page.getByTestId('import').setInputFiles({
    name: 'seed.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({
        app: 'aisle',
        version: 1,
        exportedAt: new Date().toISOString(),
        events,
        cart: [],
        settings: { profileStartDone: true },
        profile: [],
      }),
    ),
  });
  await expect(page.getByTestId('data-status')).toContainText(`Imported ${events.length} events`);
}

/** One view of each game, a minute apart, oldest first, ids 1… */
const viewsOf = (games: CatalogGame[], now = Date.now()) =>
  games.map((g, i) => ({
    id: i + 1,
    kind: 'view',
    at: now - (games.length - i) * 60_000,
    sessionId: 's',
    itemId: g.id,
  }));

const itemsOf = (row: Locator) =>
  row.getByTestId('game-card').evaluateAll((cards) => cards.map((c) => Number(c.getAttribute('data-item'))));

const strategyRow = (page: Page) => page.locator('[data-testid="affinity-genre"][data-value="Strategy"]');

const sorted = (games: CatalogGame[]) => games.map((g) => g.id).sort((a, b) => a - b);

const evidenceItems = (page: Page) =>
  strategyRow(page)
    .getByTestId('evidence')
    .evaluateAll((items) => items.map((i) => Number(i.getAttribute('data-item'))).sort((a, b) => a - b));

test('five Strategy views put Strategy on top with those games as evidence; muting it empties "For you" of it', async ({
  page,
  request,
}) => {
  // games whose only genre is Strategy: Strategy is then the only genre the views teach
  const { viewed, isStrategy } = await strategyGames(request);
  await openStore(page, store);
  await page.getByTestId('profile-start-skip').click();
  for (const game of viewed) {
    await go(page, `#/game/${game.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(game.title);
  }
  await waitForStored(page, (e) => e.filter((x) => x.kind === 'view').length === 5, 'five views stored');

  await go(page, '#/profile');
  await expect(page.getByTestId('affinity-genre').first()).toHaveAttribute('data-value', 'Strategy');
  await expect.poll(() => evidenceItems(page)).toEqual(sorted(viewed));

  await muteStrategy(page);
  await expectForYouWithout(page, isStrategy);
});

test('a reload keeps the mute; a view marked "don\'t use" leaves the evidence and "Because you viewed"', async ({
  page,
  request,
}) => {
  const { viewed, isStrategy } = await strategyGames(request);
  await openStore(page, store);
  await importEvents(page, viewsOf(viewed));
  await go(page, '#/profile');
  await muteStrategy(page);

  await reopen(page);
  await expect(strategyRow(page).getByTestId('mute')).toHaveAttribute('aria-pressed', 'true');
  await expectForYouWithout(page, isStrategy);
  await expect(page.getByRole('heading', { name: `Because you viewed ${viewed[4].title}` })).toBeVisible();

  await go(page, '#/profile');
  const last = viewed[4];
  await strategyRow(page)
    .locator(`[data-testid="evidence"][data-item="${last.id}"]`)
    .getByTestId('dont-use')
    .click();
  await expect.poll(() => evidenceItems(page)).toEqual(sorted(viewed.slice(0, 4)));
  await go(page, '#/');
  await expect(page.getByRole('heading', { name: `Because you viewed ${viewed[3].title}` })).toBeVisible();
  await expect(page.getByRole('heading', { name: `Because you viewed ${last.title}` })).toHaveCount(0);
});

test('export, erase and import bring the mute and the "don\'t use" mark back', async ({ page, request }) => {
  const viewed = strategyOnly(await catalogGames<CatalogGame>(request));
  await openStore(page, store);
  await importEvents(page, viewsOf(viewed));
  await go(page, '#/profile');
  await muteStrategy(page);
  await strategyRow(page)
    .locator(`[data-testid="evidence"][data-item="${viewed[0].id}"]`)
    .getByTestId('dont-use')
    .click();
  await expect.poll(() => evidenceItems(page)).toEqual(sorted(viewed.slice(1)));

  await go(page, '#/data');
  const download = page.waitForEvent('download');
  await page.getByTestId('export').click();
  const file = await (await download).path();
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByTestId('erase').click();
  await expect(page.getByTestId('data-status')).toContainText('erased');
  await go(page, '#/profile');
  await expect(page.getByTestId('profile-empty')).toBeVisible();

  await go(page, '#/data');
  await page.getByTestId('import').setInputFiles(file);
  await expect(page.getByTestId('data-status')).toContainText('Imported');
  await go(page, '#/profile');
  await expect(strategyRow(page).getByTestId('mute')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => evidenceItems(page)).toEqual(sorted(viewed.slice(1)));
});

test('events older than a 30-day window, chosen from the keyboard, are gone after a reload and from the profile', async ({
  page,
  request,
}) => {
  const games = await catalogGames<CatalogGame>(request);
  const racing = games.find((g) => g.genres.length === 1 && g.genres[0] === 'Racing')!;
  const now = Date.now();
  await openStore(page, store);
  // two views of a Racing game 40 days ago, through the page's own import
  await importEvents(page, viewsOf([racing, racing], now - 40 * dayMs));
  await go(page, '#/profile');
  await expect(page.locator('[data-testid="affinity-genre"][data-value="Racing"]')).toBeVisible();

  // keyboard: the retention choice is reachable, and choosing 30 days drops the old events
  const retention = page.getByTestId('retention');
  await tabTo(page, retention);
  await retention.selectOption('30');
  await expect(page.getByTestId('profile-announcement')).toContainText('30 days');
  await reopen(page);
  expect((await storedEvents(page)).filter((e) => e.at < now - 30 * dayMs)).toEqual([]);
  await expect(page.getByTestId('profile-empty')).toBeVisible();
  await expect(page.locator('[data-testid="affinity-genre"][data-value="Racing"]')).toHaveCount(0);
});

test('the profile page passes axe; its controls and "Why this?" work from the keyboard', async ({
  page,
  request,
}) => {
  const games = await catalogGames<CatalogGame>(request);
  const racing = games.find((g) => g.genres.length === 1 && g.genres[0] === 'Racing')!;
  await openStore(page, store);
  await importEvents(page, viewsOf([racing]));
  await go(page, '#/profile');
  const mute = page.locator('[data-testid="affinity-genre"][data-value="Racing"]').getByTestId('mute');
  await expect(mute).toBeVisible();
  await tabTo(page, mute);
  await page.keyboard.press('Enter');
  await expect(mute).toHaveAttribute('aria-pressed', 'true');
  expect(await axeViolations(page)).toEqual([]);

  await go(page, '#/');
  const why = page.getByTestId('row-home:forYou').getByTestId('why-this').first();
  await expect(why).toBeVisible();
  // the popover is made on the first press (not with every card): the keyboard still opens,
  // enters, closes and reopens it, and the button says whether it is open
  await expect(why).toHaveAttribute('aria-expanded', 'false');
  await why.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('why-removers')).toBeVisible();
  await expect(page.getByTestId('why-removers')).toContainText('mute genre');
  await expect(why).toHaveAttribute('aria-expanded', 'true');
  const popover = page.getByRole('dialog', { name: /is recommended$/ });
  await page.keyboard.press('Tab');
  await expect(popover.getByRole('link', { name: 'Change your profile' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(popover).toBeHidden();
  await expect(why).toHaveAttribute('aria-expanded', 'false');
  await why.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('why-removers')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(popover).toBeHidden();
});

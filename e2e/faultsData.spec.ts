// Faults in the shopper's data, on the production build: the disk fills up while recording, a
// record in the database is damaged (plain, and sealed with a passphrase), and a database from the
// oldest schema is opened by this build. Each time the shopper is told what happened, and nothing
// already stored is lost.
import type { APIRequestContext, Page } from '@playwright/test';
import {
  expect,
  go,
  openStore,
  storedEvents,
  storedRows,
  test,
  type StoredEvent,
  waitForStored,
} from './fixtures';
import { catalogGames } from './pageChecks';

// no training and a pinned backend: these tests are about storage, and two cores are shared
const store = '?train=off&backend=cpu';
const passphrase = 'plum orbit lantern';

declare global {
  interface Window {
    __aisleTest?: { quotaFull?: boolean };
    __rejections?: string[];
  }
}

/** Uncaught errors and unhandled rejections of the page, as they happen. */
async function watchForErrors(page: Page): Promise<() => Promise<string[]>> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(() => {
    window.__rejections = [];
    window.addEventListener('unhandledrejection', (event) => window.__rejections!.push(String(event.reason)));
  });
  return async () => [...errors, ...(await page.evaluate(() => window.__rejections ?? []))];
}

/** Every game's title by id, as the catalog has it. */
async function catalogTitles(request: APIRequestContext): Promise<Map<number, string>> {
  const games = await catalogGames<{ id: number; title: string }>(request);
  return new Map(games.map((game) => [game.id, game.title]));
}

/**
 * Opens a game's page within the app (the catalog is loaded: a page opened before it records no
 * view) and waits for its title.
 */
async function viewGame(page: Page, id: number, title: string): Promise<void> {
  await go(page, `#/game/${id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
}

const viewOf = (id: number) => (events: StoredEvent[]) =>
  events.some((event) => event.kind === 'view' && event.itemId === id);

/** Puts a row straight into a store of the app's database, as a damaged disk or another program could. */
function putRaw(page: Page, table: string, row: Record<string, unknown>): Promise<void> {
  return page.evaluate(
    ({ table, row }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('aisle');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(table, 'readwrite');
          tx.objectStore(table).put(row);
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { table, row },
  );
}

/** Flips the last bit of a sealed event's bytes in place, as a damaged disk could. */
function flipSealedBit(page: Page, id: number): Promise<void> {
  return page.evaluate(
    (id) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('aisle');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('events', 'readwrite');
          const store = tx.objectStore('events');
          const read = store.get(id);
          read.onsuccess = () => {
            const row = read.result as { sealed: Uint8Array };
            row.sealed[row.sealed.length - 1] ^= 0x01;
            store.put(row);
          };
          tx.oncomplete = () => resolve(open.result.close());
          tx.onerror = () => reject(tx.error);
        };
      }),
    id,
  );
}

/** The Your data list shows every stored event except `skipped` of them. */
async function expectListedAllBut(page: Page, skipped: number): Promise<void> {
  await expect
    .poll(async () => Number(await page.getByTestId('event-count').textContent()) + skipped)
    .toBe((await storedEvents(page)).length);
}

/** The store still ranks: "For you" on the home page has cards. */
async function expectRanks(page: Page): Promise<void> {
  await go(page, '#/');
  await expect(page.getByTestId('row-home:forYou').getByTestId('game-card').first()).toBeVisible();
}

test('storage full while recording: the shopper is told, nothing stored is lost, and the kept events are saved when space returns', async ({
  page,
  request,
}) => {
  const titles = await catalogTitles(request);
  const errors = await watchForErrors(page);
  await openStore(page, `${store}#/`);
  await viewGame(page, 3, titles.get(3)!);
  await waitForStored(page, viewOf(3), 'the first view is stored');
  const before = await storedEvents(page);

  await page.evaluate(() => (window.__aisleTest = { quotaFull: true }));
  const title = titles.get(5)!;
  await viewGame(page, 5, title);
  const banner = page.getByTestId('write-error');
  await expect(banner).toContainText("Your browser's storage is full");
  await expect(banner).toContainText('kept in this tab');
  // every row stored before the disk filled up is still there, unchanged, and the new view is not
  const during = await storedEvents(page);
  expect(during.slice(0, before.length)).toEqual(before);
  expect(viewOf(5)(during)).toBe(false);

  // space returns: the next write (opening Your data saves what is pending) stores the kept events
  await page.evaluate(() => (window.__aisleTest = { quotaFull: false }));
  await go(page, '#/data');
  await expect(page.getByRole('listitem').filter({ hasText: `Viewed ${title}` })).toBeVisible();
  await expect(banner).toBeHidden();
  const after = await storedEvents(page);
  expect(after.slice(0, before.length)).toEqual(before);
  expect(viewOf(5)(after)).toBe(true);
  expect(await errors()).toEqual([]);
});

test('a record of the wrong shape in the events store is skipped with a message; every other row is shown and the store ranks', async ({
  page,
  request,
}) => {
  const title = (await catalogTitles(request)).get(3)!;
  const errors = await watchForErrors(page);
  await openStore(page, `${store}#/`);
  await viewGame(page, 3, title);
  await waitForStored(page, viewOf(3), 'the view is stored');
  await putRaw(page, 'events', { kind: 'teleport', at: 'yesterday', sessionId: 7 });

  await page.reload();
  await go(page, '#/data');
  await expect(page.getByTestId('read-notice')).toHaveText(
    /^1 saved record could not be read \(damaged on this device\) and was skipped\./,
  );
  await expect(
    page
      .getByRole('listitem')
      .filter({ hasText: `Viewed ${title}` })
      .first(),
  ).toBeVisible();
  await expectListedAllBut(page, 1);
  // skipped, not deleted: the damaged row is still stored
  expect((await storedEvents(page)).filter((event) => event.kind === 'teleport')).toHaveLength(1);
  await expectRanks(page);
  expect(await errors()).toEqual([]);
});

test('with a passphrase, a sealed record with flipped bytes is skipped with a message after unlocking; the rest is back', async ({
  page,
  request,
}) => {
  // two passphrase derivations (PBKDF2, 600,000 iterations) and two loads: as long as encryption.spec.ts
  test.setTimeout(240_000);
  const titles = await catalogTitles(request);
  const [kept, damaged] = [titles.get(3)!, titles.get(4)!];
  const errors = await watchForErrors(page);
  await openStore(page, `${store}#/data`);
  const vault = page.getByTestId('vault');
  await vault.getByLabel('Passphrase').fill(passphrase);
  await vault.getByLabel('Type it again').fill(passphrase);
  await vault.getByTestId('vault-set').click();
  await expect(page.getByTestId('vault-status')).toHaveText('Your data is now encrypted on this device.');
  await viewGame(page, 3, kept);
  await viewGame(page, 4, damaged);
  // sealed rows show only their id, kind and time
  const views = (events: StoredEvent[]) => events.filter((event) => event.kind === 'view');
  const sealed = await waitForStored(page, (events) => views(events).length === 2, 'both views are stored');

  // the last view is game 4's: flip one bit of its sealed bytes (its kind and time stay readable)
  await flipSealedBit(page, views(sealed).at(-1)!.id);

  await page.reload();
  await go(page, '#/data');
  await vault.getByLabel('Passphrase').fill(passphrase);
  await vault.getByTestId('vault-unlock').click();
  await expect(page.getByTestId('vault-status')).toContainText('are back');
  await expect(page.getByTestId('read-notice')).toHaveText(/^1 saved record could not be read/);
  const list = page.getByRole('listitem');
  await expect(list.filter({ hasText: `Viewed ${kept}` }).first()).toBeVisible();
  await expect(list.filter({ hasText: `Viewed ${damaged}` })).toHaveCount(0);
  await expectListedAllBut(page, 1);
  await expectRanks(page);
  expect(await errors()).toEqual([]);
});

test('a database from the oldest schema (version 1) with data in it opens with every event, setting and cart line', async ({
  page,
}) => {
  const errors = await watchForErrors(page);
  const at = Date.now() - 60_000;
  // any same-origin page without the app: the build has no fallback, so this is a plain 404
  await page.goto('no-app-here');
  await page.evaluate(
    (at) =>
      new Promise<void>((resolve, reject) => {
        // Dexie stores version N as IndexedDB version 10 N; this is db.ts's version 1, literally
        const open = indexedDB.open('aisle', 10);
        open.onupgradeneeded = () => {
          const db = open.result;
          const events = db.createObjectStore('events', { keyPath: 'id', autoIncrement: true });
          for (const index of ['kind', 'at', 'itemId', 'sessionId']) events.createIndex(index, index);
          events.createIndex('[kind+at]', ['kind', 'at']);
          db.createObjectStore('cart', { keyPath: 'itemId' });
          for (const name of ['settings', 'profile']) db.createObjectStore(name, { keyPath: 'key' });
          db.createObjectStore('models', { keyPath: 'name' }).createIndex('trainedAt', 'trainedAt');
          db.createObjectStore('checkpoints', { keyPath: 'name' });
          const runs = db.createObjectStore('evalRuns', { keyPath: 'id', autoIncrement: true });
          for (const index of ['createdAt', 'dataset', 'model']) runs.createIndex(index, index);
          db.createObjectStore('datasets', { keyPath: 'hash' }).createIndex('importedAt', 'importedAt');
          events.add({ kind: 'view', at, sessionId: 'v1', itemId: 3 });
          events.add({ kind: 'purchase', at: at + 1_000, sessionId: 'v1', itemId: 4, price: 4.99 });
          open.transaction!.objectStore('cart').add({ itemId: 12, addedAt: at });
          open.transaction!.objectStore('settings').add({ key: 'diversity', value: 0.9 });
        };
        open.onsuccess = () => resolve(open.result.close());
        open.onerror = () => reject(open.error);
      }),
    at,
  );

  await openStore(page, `${store}#/data`);
  const list = page.getByRole('listitem');
  await expect(list.filter({ hasText: 'Viewed ' })).toHaveCount(1);
  await expect(list.filter({ hasText: 'for $4.99' })).toHaveCount(1);
  await expect(page.getByTestId('cart-link')).toHaveText('Cart (1)');
  const events = await storedEvents(page);
  expect(events.filter((event) => event.sessionId === 'v1').map((e) => [e.id, e.kind, e.itemId])).toEqual([
    [1, 'view', 3],
    [2, 'purchase', 4],
  ]);
  expect(await storedRows(page, 'settings')).toContainEqual({ key: 'diversity', value: 0.9 });
  await expect(page.getByTestId('read-notice')).toBeHidden();
  expect(await errors()).toEqual([]);
});

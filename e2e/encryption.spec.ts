// Encryption at rest, as a shopper uses it: set a passphrase, shop, and the browser's raw
// IndexedDB holds no game, title or price of it; lock, and the store goes on anonymously and
// records nothing; a wrong passphrase changes nothing; unlock brings every row and the profile back.
import type { Page } from '@playwright/test';
import { expect, go, openStore, test } from './fixtures';
import { blockingViolations, catalogGames, tabTo } from './pageChecks';

interface CatalogGame {
  id: number;
  title: string;
  price: number | null;
}

const passphrase = 'plum orbit lantern';
// no training and a pinned backend: this test is about storage, and two cores are shared
const store = '?train=off&backend=cpu';

interface RawDump {
  /**
   * Every store, every row, as text: the JSON of the rows without their bytes, times and counters
   * (numbers any id could hide in by chance), then every byte array as latin1, unescaped.
   */
  text: string;
  /** Rows per store, and how many of them are sealed. */
  rows: Record<string, { total: number; sealed: number }>;
  /** Every field name seen in a row of each store. */
  fields: Record<string, string[]>;
}

/** Reads every store of the app's database straight from IndexedDB, without the app. */
function dumpDatabase(page: Page): Promise<RawDump> {
  return page.evaluate(
    () =>
      new Promise<RawDump>((resolve, reject) => {
        const open = indexedDB.open('aisle');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const names = Array.from(db.objectStoreNames);
          const tx = db.transaction(names, 'readonly');
          const all: Record<string, unknown[]> = {};
          for (const name of names) {
            const request = tx.objectStore(name).getAll();
            // the settings row 'storeNeighbours' caches the community's neighbour table (every game's
            // neighbours, the same on every device, nothing of the shopper's): it names every game
            request.onsuccess = () =>
              (all[name] =
                name === 'settings'
                  ? (request.result as { key: string }[]).filter((row) => row.key !== 'storeNeighbours')
                  : request.result);
          }
          tx.oncomplete = () => {
            db.close();
            const rows: RawDump['rows'] = {};
            const fields: RawDump['fields'] = {};
            for (const [name, values] of Object.entries(all)) {
              const records = values as Record<string, unknown>[];
              rows[name] = { total: records.length, sealed: records.filter((r) => 'sealed' in r).length };
              fields[name] = [...new Set(records.flatMap((r) => Object.keys(r)))].sort();
            }
            const numbersOnly = new Set(['at', 'id', 'updatedAt', 'trainedAt', 'createdAt']);
            const bytes: string[] = [];
            const json = JSON.stringify(all, (key, value: unknown) => {
              if (numbersOnly.has(key) && typeof value === 'number') return undefined;
              if (!(value instanceof Uint8Array)) return value;
              bytes.push(Array.from(value, (byte) => String.fromCharCode(byte)).join(''));
              return `<${value.length} bytes>`;
            });
            resolve({ text: [json, ...bytes].join('\n'), rows, fields });
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

async function setPassphrase(page: Page) {
  const vault = page.getByTestId('vault');
  await expect(vault).toContainText('cannot be recovered');
  await vault.getByLabel('Passphrase').fill(passphrase);
  await vault.getByLabel('Type it again').fill(passphrase);
  await vault.getByTestId('vault-set').click();
  await expect(page.getByTestId('vault-status')).toHaveText('Your data is now encrypted on this device.', {
    timeout: 30_000,
  });
}

/** The profile's genre beliefs as the profile page lists them. */
async function genreBeliefs(page: Page): Promise<(string | null)[]> {
  await go(page, '#/profile');
  const beliefs = page.getByTestId('affinity-genre');
  await expect(beliefs.first()).toBeVisible();
  return beliefs.evaluateAll((items) => items.map((item) => item.getAttribute('data-value')));
}

test('a passphrase keeps the raw database free of what the shopper did; lock, wrong passphrase, unlock', async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  const games = await catalogGames<CatalogGame>(request);
  // distinctive games: a four-digit id, a long title and a price with cents
  const [first, second, third] = games.filter(
    (g) => g.id >= 1000 && g.title.length > 12 && g.price !== null && g.price % 1 !== 0,
  );
  const secrets = (game: CatalogGame) => [String(game.id), game.title, String(game.price)];

  await openStore(page, `${store}#/data`);
  // rows and the "For you" markup kept by an earlier visit are taste in plain text: a passphrase removes them
  await page.evaluate(() => {
    localStorage.setItem('aisle:home-rows', '{"version":2}');
    localStorage.setItem('aisle:home-markup', '{"version":1}');
  });
  await setPassphrase(page);
  const kept = () =>
    page.evaluate(() => [localStorage.getItem('aisle:home-rows'), localStorage.getItem('aisle:home-markup')]);
  expect(await kept()).toEqual([null, null]);

  // shop: two games viewed, one put in the cart
  await go(page, `#/game/${first.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(first.title);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await go(page, `#/game/${second.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(second.title);
  await expect(page.getByTestId('cart-link')).toHaveText('Cart (1)');

  await go(page, '#/data');
  await expect
    .poll(async () => (await dumpDatabase(page)).rows.events?.sealed ?? 0)
    .toBeGreaterThanOrEqual(3);
  await expect.poll(async () => (await dumpDatabase(page)).rows.profile?.total ?? 0).toBeGreaterThan(0);
  // read once every event is stored: read straight after the last view, the profile could still miss it
  const beliefs = await genreBeliefs(page);
  await go(page, '#/data');
  const sealedDump = await dumpDatabase(page);
  for (const secret of [...secrets(first), ...secrets(second)]) expect(sealedDump.text).not.toContain(secret);
  expect(sealedDump.fields.events).toEqual(['at', 'id', 'kind', 'sealed']);
  expect(sealedDump.fields.cartLines).toEqual(['id', 'sealed']);
  expect(sealedDump.rows.events.sealed).toBe(sealedDump.rows.events.total);

  // lock: the store goes on without the shopper's data and records nothing
  await page.getByTestId('vault-lock').click();
  await expect(page.getByTestId('vault-locked')).toContainText('records nothing');
  await expect(page.getByTestId('event-count')).toHaveText('0');
  // locking flushed the event log: this is everything the shopper did
  const lockedDump = await dumpDatabase(page);
  const eventCount = String(lockedDump.rows.events.total);
  await go(page, `#/game/${third.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(third.title);
  await expect(page.getByRole('heading', { name: 'Similar games' })).toBeVisible();
  await expect(page.getByTestId('locked-note')).toContainText('records nothing');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await go(page, '#/profile');
  await expect(page.getByTestId('profile-empty')).toBeVisible();
  await page.waitForTimeout(1_500); // past the event log's batch delay
  expect((await dumpDatabase(page)).text).toBe(lockedDump.text);

  // a wrong passphrase is refused and changes nothing
  await go(page, '#/data');
  const vault = page.getByTestId('vault');
  await vault.getByLabel('Passphrase').fill('not my passphrase');
  await vault.getByTestId('vault-unlock').click();
  await expect(page.getByTestId('vault-problem')).toHaveText(
    'That passphrase is not the one that protects your data. Nothing was changed.',
  );
  await expect(page.getByTestId('vault-locked')).toBeVisible();
  expect((await dumpDatabase(page)).text).toBe(lockedDump.text);

  // unlock: every row, the cart and the profile are back
  await vault.getByLabel('Passphrase').fill(passphrase);
  await vault.getByTestId('vault-unlock').click();
  await expect(page.getByTestId('vault-status')).toContainText('are back', { timeout: 30_000 });
  await expect(page.getByTestId('event-count')).toHaveText(eventCount);
  await expect(page.getByTestId('cart-link')).toHaveText('Cart (1)');
  expect(await genreBeliefs(page)).toEqual(beliefs);
  const after = await dumpDatabase(page);
  for (const secret of [...secrets(first), ...secrets(second), ...secrets(third)]) {
    expect(after.text).not.toContain(secret);
  }
});

test('the passphrase panel has no serious accessibility problem and is keyboard reachable', async ({
  page,
}) => {
  await openStore(page, `${store}#/data`);
  const field = page.getByTestId('vault').getByLabel('Passphrase');
  await expect(field).toBeVisible();
  await tabTo(page, field, 200);
  expect(await blockingViolations(page, '[data-testid="vault"]')).toEqual([]);
});

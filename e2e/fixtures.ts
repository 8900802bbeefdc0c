// Shared end-to-end fixtures: every test's page is watched for requests that leave
// the app's own origin (there must be none), and small helpers read IndexedDB the
// way the app stores it.
import { test as base, expect, type Page } from '@playwright/test';

export interface StoredEvent {
  id: number;
  kind: string;
  at: number;
  itemId?: number;
  sessionId: string;
  [key: string]: unknown;
}

export const test = base.extend<{ foreignRequests: string[] }>({
  foreignRequests: [
    async ({ context, baseURL }, use) => {
      const origin = new URL(baseURL!).origin;
      const foreign: string[] = [];
      context.on('request', (request) => {
        const url = request.url();
        // data: and blob: URLs never touch the network
        if (/^(data|blob):/.test(url)) return;
        if (new URL(url).origin !== origin) foreign.push(url);
      });
      await use(foreign);
      expect(foreign, 'every request must stay on the app’s own origin').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/** Open the store and wait until the catalog and the recommendation worker are ready. */
export async function openStore(page: Page, path = ''): Promise<void> {
  await page.goto(path);
  await expect(page.getByTestId('backend-name')).not.toHaveText('…', { timeout: 90_000 });
}

/** All stored events, read straight from IndexedDB (not through the app). */
export async function storedEvents(page: Page): Promise<StoredEvent[]> {
  return storedRows<StoredEvent>(page, 'events');
}

/** Every row of one table, read straight from IndexedDB (not through the app); none before it exists. */
export async function storedRows<T>(page: Page, table: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('aisle');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(name)) {
            db.close();
            resolve([]);
            return;
          }
          const read = db.transaction(name).objectStore(name).getAll();
          read.onsuccess = () => {
            db.close();
            resolve(read.result as T[]);
          };
          read.onerror = () => reject(read.error);
        };
      }),
    table,
  );
}

export async function databaseNames(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
}

/** Event writes are batched: wait until the stored events satisfy a condition. */
export async function waitForStored(
  page: Page,
  predicate: (events: StoredEvent[]) => boolean,
  message: string,
): Promise<StoredEvent[]> {
  let events: StoredEvent[] = [];
  await expect
    .poll(async () => predicate((events = await storedEvents(page))), { message, timeout: 15_000 })
    .toBe(true);
  return events;
}

/**
 * Move within the app by its hash, keeping the query (`?train=off`…): no reload, as a shopper's click.
 * Resolves once the app has handled the hashchange, not merely once the change is queued.
 */
export async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate(
    (target) =>
      new Promise<void>((resolve) => {
        if (location.hash === target) return resolve();
        // the app's own listener ran first and queued its re-render as a microtask, ahead of this resolve
        addEventListener('hashchange', () => resolve(), { once: true });
        location.hash = target;
      }),
    hash,
  );
}

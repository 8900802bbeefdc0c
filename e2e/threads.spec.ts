// The badge says how the wasm backend runs: on every core (up to its pool of 8) with SIMD when
// the page is cross-origin isolated, on one thread when it is not. Three ways to be served:
// - the test server, which sends COOP/COEP: isolated from the first load;
// - a server without the headers, service workers blocked: never isolated;
// - a server without the headers, service workers allowed: the service worker adds the headers
//   and the page reloads itself once, isolated (the "static host" case).
import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

interface Threading {
  simd: string | null;
  threads: number;
  isolated: string | null;
  pageIsolated: boolean;
  cores: number;
}

async function wasmThreading(page: Page, url: string): Promise<Threading> {
  await page.goto(url);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 180_000 });
  await expect(page.getByTestId('backend-threads')).toBeVisible();
  await page.getByTestId('backend-badge').click();
  const wasm = page.getByTestId('backend-wasm');
  await expect(wasm).toBeVisible();
  return {
    simd: await wasm.getAttribute('data-simd'),
    threads: Number(await wasm.getAttribute('data-threads')),
    isolated: await wasm.getAttribute('data-isolated'),
    pageIsolated: await page.evaluate(() => crossOriginIsolated),
    cores: await page.evaluate(() => navigator.hardwareConcurrency),
  };
}

const expectedThreads = (cores: number) => Math.min(Math.max(cores, 1), 8);

test('isolated by the server: SIMD and one thread per core', async ({ page }) => {
  test.setTimeout(240_000);
  const seen = await wasmThreading(page, '?backend=wasm&train=off');
  expect(seen).toMatchObject({ simd: 'true', isolated: 'true', pageIsolated: true });
  expect(seen.threads).toBe(expectedThreads(seen.cores));
  await expect(page.getByTestId('backend-threads')).toHaveText(
    `SIMD · ${seen.threads} thread${seen.threads === 1 ? '' : 's'}`,
  );
});

test.describe('served without isolation headers', () => {
  let server: ChildProcess;
  let address = '';

  test.beforeAll(async () => {
    server = spawn(process.execPath, [
      'scripts/serve.mjs',
      '--base',
      '/aisle/',
      '--port',
      '0',
      '--no-isolation',
    ]);
    address = await new Promise<string>((resolve, reject) => {
      server.stdout!.on('data', (chunk: Buffer) => {
        const found = /Aisle: (\S+)/.exec(chunk.toString());
        if (found) resolve(found[1]);
      });
      server.once('exit', (code) => reject(new Error(`serve.mjs exited (${code})`)));
    });
  });

  test.afterAll(() => void server.kill());

  test('without a service worker: SIMD on one thread, and the badge says why', async ({ browser }) => {
    test.setTimeout(240_000);
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    const response = await page.request.get(address);
    expect(response.headers()['cross-origin-embedder-policy']).toBeUndefined();
    const seen = await wasmThreading(page, `${address}?backend=wasm&train=off`);
    expect(seen).toMatchObject({ simd: 'true', threads: 1, isolated: 'false', pageIsolated: false });
    await expect(page.getByTestId('backend-wasm')).toContainText('not cross-origin isolated');
    await context.close();
  });

  test('the service worker adds the headers: one reload, then isolated', async ({ browser }) => {
    // the service worker first caches the whole build: minutes on a loaded 2-core machine
    test.setTimeout(400_000);
    const context = await browser.newContext();
    const page = await context.newPage();
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(`${address}?backend=wasm&train=off`);
    // the first load installs the service worker, which takes the page over: one reload follows
    // (while the page reloads, evaluating fails: that reads as not yet)
    await expect
      .poll(() => page.evaluate(() => crossOriginIsolated).catch(() => false), { timeout: 240_000 })
      .toBe(true);
    const seen = await wasmThreading(page, `${address}?backend=wasm&train=off`);
    expect(seen).toMatchObject({ simd: 'true', isolated: 'true', pageIsolated: true });
    expect(seen.threads).toBe(expectedThreads(seen.cores));
    // the first visit and its one reload, then the test's own visit: no loop. On a quick machine the
    // service worker can take over before the first visit's load event, so that visit counts once.
    expect(loads).toBeGreaterThanOrEqual(2);
    expect(loads).toBeLessThanOrEqual(3);
    await context.close();
  });
});

// The Content-Security-Policy reaches the workers: the server sends it as a header on every
// response (a worker's policy comes from its own script's response, never from the page's
// <meta>), and each worker refuses other origins on its own as well. A second server on another
// port stands for "another origin": it answers anything with CORS allowed, so only the policy and
// the guard can stop a request, and it counts what reaches it (nothing may).
// Uses Playwright's own test, not ./fixtures: its watch for foreign requests would count the
// attempts this file makes on purpose.
import { createServer, type Server } from 'node:http';
import { readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { test, expect, type Page, type Worker } from '@playwright/test';

let foreign: Server;
let foreignOrigin = '';
const reachedForeign: string[] = [];

test.beforeAll(async () => {
  foreign = createServer((request, response) => {
    reachedForeign.push(`${request.method} ${request.url}`);
    const body = request.url?.endsWith('.js') ? 'export const stolen = true;' : 'stolen';
    response
      .writeHead(200, {
        'access-control-allow-origin': '*',
        'content-type': request.url?.endsWith('.js') ? 'text/javascript' : 'text/plain',
      })
      .end(body);
  });
  foreign.on('upgrade', (request, socket) => {
    reachedForeign.push(`upgrade ${request.url}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
});

test.afterAll(() => new Promise<void>((resolve) => foreign.close(() => resolve())));

/** What happened to each way out, tried from inside a page or worker: 'blocked' or 'reached'. */
const tryEveryWayOut = (origin: string) => `(async () => {
  const outcome = async (attempt) => {
    try { await attempt(); return 'reached'; } catch { return 'blocked'; }
  };
  return {
    fetch: await outcome(async () => { await fetch('${origin}/fetch'); }),
    import: await outcome(() => import('${origin}/module.js')),
    webSocket: await outcome(() => new Promise((resolve, reject) => {
      const socket = new WebSocket('${origin.replace('http', 'ws')}/socket');
      socket.onopen = resolve;
      socket.onerror = reject;
      socket.onclose = reject;
    })),
    // a string timer, not eval(): code evaluated by the test tool itself may bypass the policy,
    // a timer's string runs later, as the worker's own code, under its policy
    eval: await outcome(() => new Promise((resolve, reject) => {
      self.__aisleStringRan = false;
      try { setTimeout('self.__aisleStringRan = true', 0); } catch (error) { reject(error); return; }
      setTimeout(() => (self.__aisleStringRan ? resolve() : reject()), 300);
    })),
  };
})()`;

const allBlocked = { fetch: 'blocked', import: 'blocked', webSocket: 'blocked', eval: 'blocked' };

async function metaPolicy(page: Page): Promise<string> {
  const content = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  return (content ?? '').replace(/\s+/g, ' ').trim();
}

async function waitForWorker(page: Page, name: RegExp): Promise<Worker> {
  await expect
    .poll(() => page.workers().some((worker) => name.test(worker.url())), {
      message: `a worker whose script matches ${name}`,
      timeout: 90_000,
    })
    .toBe(true);
  return page.workers().find((worker) => name.test(worker.url()))!;
}

test('the page and every worker script are served with the policy as a header', async ({
  page,
  request,
  baseURL,
}) => {
  const response = await page.goto('');
  const policy = await metaPolicy(page);
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(policy).toContain("connect-src 'self'");
  expect(policy).not.toContain("'unsafe-eval'");
  expect(response?.headers()['content-security-policy']).toBe(policy);

  const workerScripts = readdirSync('dist/assets').filter((file) => /Worker-[\w-]+\.js$/.test(file));
  // the store, trainer, lab, bench and simulator workers, the bench's second training replica,
  // and the Parquet reader's own
  expect(workerScripts.map((file) => file.replace(/-[\w-]+\.js$/, '')).sort()).toEqual([
    'benchWorker',
    'labWorker',
    'parquetWorker',
    'recsWorker',
    'replicaWorker',
    'simWorker',
    'trainerWorker',
  ]);
  for (const file of workerScripts) {
    const script = await request.get(`${baseURL}assets/${file}`);
    expect(script.status(), file).toBe(200);
    expect(script.headers()['content-security-policy'], file).toBe(policy);
  }
  // a missing file's answer carries it too: every response does
  const missing = await request.get(`${baseURL}assets/nothing-here.js`);
  expect(missing.headers()['content-security-policy']).toBe(policy);
});

test('another origin is out of reach from the page and from the store and trainer workers', async ({
  page,
}) => {
  // the shipped plan starts the trainer worker soon after the store is ready and keeps it busy for
  // minutes; the quick plan's worker could finish and close before the test reached it (once the
  // race stopped spending seconds on a software WebGPU adapter)
  await page.goto('?train=full');

  expect(await page.evaluate(tryEveryWayOut(foreignOrigin))).toEqual(allBlocked);

  const store = await waitForWorker(page, /recsWorker-/);
  expect(await store.evaluate(tryEveryWayOut(foreignOrigin))).toEqual(allBlocked);

  const trainer = await waitForWorker(page, /trainerWorker-/);
  expect(await trainer.evaluate(tryEveryWayOut(foreignOrigin))).toEqual(allBlocked);

  // and nothing reached the other origin's server, not even a refused WebSocket handshake
  expect(reachedForeign).toEqual([]);
});

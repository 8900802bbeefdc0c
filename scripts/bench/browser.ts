// Serving the production build and launching Chromium for the benchmark. The flags come from
// playwright.config.ts (the same ones the end-to-end tests use), so the benchmark sees the
// browser the tests see: WebGPU on (SwiftShader without a GPU), nothing reaching the network.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import sirv from 'sirv';
import { quietArgs, webgpuArgs } from '../../playwright.config';
import { findChromium } from '../ensureChromium.mjs';

export const repositoryRoot = resolve(import.meta.dirname, '../..');
const dist = resolve(repositoryRoot, 'dist');
/** Where the benchmark's own files (datasets) appear on the page's origin; the app never uses it. */
export const privatePath = '/__aisle-bench__/';

/** Builds dist/ when it is missing (a fresh clone); an existing build is used as it is. */
export function ensureBuild(log: (line: string) => void): void {
  if (existsSync(resolve(dist, 'index.html'))) return;
  log('dist/ is missing: building it (vite build)…');
  const build = spawnSync('npx', ['vite', 'build'], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('vite build failed');
}

export interface ServedBuild {
  origin: string;
  close(): void;
}

/**
 * dist/ plus `files` (name -> path on disk) under privatePath, on 127.0.0.1 and a free port.
 * Same origin matters: the app's Content-Security-Policy lets a worker fetch nothing else.
 */
export function serveBuild(files: ReadonlyMap<string, string>): Promise<ServedBuild> {
  const app = sirv(dist, { etag: true, gzip: false, dev: false });
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith(privatePath)) {
      const file = files.get(url.pathname.slice(privatePath.length));
      if (!file) return void response.writeHead(404).end('not found');
      response.writeHead(200, {
        'content-type': 'text/plain; charset=utf-8',
        'content-length': statSync(file).size,
      });
      createReadStream(file).pipe(response);
      return;
    }
    app(request, response, () => {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    });
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () =>
      done({
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => server.close(),
      }),
    );
  });
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium found: install Debian’s chromium or set AISLE_CHROMIUM');
  return chromium.launch({ executablePath, args: [...webgpuArgs, ...quietArgs] });
}

/**
 * A browser context whose pages accept functions written in this TypeScript file: tsx compiles
 * it with esbuild's keep-names helper, so a function handed to page.evaluate may call
 * `__name(fn, "name")`, which exists only in Node. The page gets a do-nothing stand-in.
 */
export async function newBenchContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  return context;
}

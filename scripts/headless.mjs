// Building, serving and launching for the headless runners (`npm run eval`, `npm run bench`):
// the production build in dist/ plus the runner's own files on one 127.0.0.1 origin, opened in
// Debian's headless Chromium with the flags the end-to-end tests use (scripts/ensureChromium.mjs).
// headless.d.mts types it for the runners, which are TypeScript run by tsx.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import sirv from 'sirv';
import { policyOfBuild, sendHeaders } from './csp.mjs';
import { findChromium, quietArgs, webgpuArgs } from './ensureChromium.mjs';

export const repositoryRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const dist = resolve(repositoryRoot, 'dist');

/** Builds dist/ when it is missing (a fresh clone); an existing build is used as it is. */
export function ensureBuild(log) {
  if (existsSync(resolve(dist, 'index.html'))) return;
  log('dist/ is missing: building it (vite build)…');
  const build = spawnSync('npx', ['vite', 'build'], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('vite build failed');
}

/**
 * dist/ plus `files` (name -> path on disk) under `privatePath`, on 127.0.0.1 and a free port.
 * Same origin matters: every response carries the app's Content-Security-Policy as a header
 * (which is what binds a worker: the page's <meta> does not reach it), and the workers' own
 * network guard (src/worker/guard/) refuses other origins as well. The isolation headers let the
 * wasm backend run threaded, as on `npm start`.
 */
export function serveBuild(files, privatePath, privateRoute = () => false) {
  const app = sirv(dist, { etag: true, gzip: false, dev: false });
  const policy = policyOfBuild(resolve(dist, 'index.html'));
  const server = createServer((request, response) => {
    sendHeaders(response, policy);
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith(privatePath)) {
      // a route of the runner's own (the model cache) answers first
      if (privateRoute(request, response, url.pathname.slice(privatePath.length))) return;
      const file = files.get(url.pathname.slice(privatePath.length));
      if (!file) return void response.writeHead(404).end('not found');
      let size;
      try {
        size = statSync(file).size;
      } catch {
        return void response.writeHead(404).end('not found');
      }
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': size });
      // A file that vanishes or cannot be read ends this response, not the whole server.
      createReadStream(file)
        .on('error', () => response.destroy())
        .pipe(response);
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
        origin: `http://127.0.0.1:${server.address().port}`,
        close: () => server.close(),
      }),
    );
  });
}

/** Debian's (or $AISLE_CHROMIUM's) Chromium, headless, WebGPU on and off the network. */
export async function launchChromium() {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium found: install Debian’s chromium or set AISLE_CHROMIUM');
  return chromium.launch({ executablePath, args: [...webgpuArgs, ...quietArgs] });
}

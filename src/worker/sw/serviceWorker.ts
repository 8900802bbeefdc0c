// The service worker (built to sw.js at the build's root, next to index.html): the store works
// offline and the page is cross-origin isolated even where the host sends no headers.
//
// - install: every file of this build (hashed assets, index.html, the wasm binaries, the catalog
//   and community data) goes into this build's cache, fetched past the HTTP cache;
// - activate: the caches of earlier builds are deleted, and open pages are taken over at once;
// - fetch: precached files come from the cache (offline too), anything else from the network,
//   and every answer gets the CSP and COOP/COEP headers;
// - a new build waits until the page's "Update" button sends skipWaiting: a shopper is never
//   switched to new code in the middle of a page.
/// <reference lib="webworker" />
import { withHeaders } from './isolation';
import { cachedUrlFor, cacheName, precacheUrls, staleCaches } from './precache';
import type { ServiceWorkerBuild, ServiceWorkerCommand } from './protocol';

declare const self: ServiceWorkerGlobalScope;

// Replaced by the build (scripts/build/serviceWorkerPlugin.ts) with this build's list and headers.
const build = '__AISLE_SERVICE_WORKER_BUILD__' as unknown as ServiceWorkerBuild;

const scope = self.registration.scope;
const cache = cacheName(build.buildId);
const precached = new Set(precacheUrls(build.precache, scope));

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(cache)
      .then((opened) => opened.addAll([...precached].map((url) => new Request(url, { cache: 'reload' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(staleCaches(names, build.buildId).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  const command = event.data as ServiceWorkerCommand | undefined;
  if (command?.type === 'skipWaiting') void self.skipWaiting();
});

async function answer(request: Request): Promise<Response> {
  const cachedUrl = cachedUrlFor(request, scope, precached);
  const cached = cachedUrl ? await caches.match(cachedUrl, { cacheName: cache }) : undefined;
  return withHeaders(cached ?? (await fetch(request)), build.headers);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  // other origins are not ours to answer (the CSP refuses them anyway)
  if (new URL(request.url).origin !== self.location.origin) return;
  // a request the browser answers from its own cache only must not reach the network: let it be
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(answer(request));
});

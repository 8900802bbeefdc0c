// The service worker's caches, as pure functions: which cache a build uses, which are stale, and
// what a request is answered from. (serviceWorker.ts does the I/O.)

const cachePrefix = 'aisle-build-';

/** The one cache of a build's files. */
export function cacheName(buildId: string): string {
  return `${cachePrefix}${buildId}`;
}

/** Caches of earlier builds, to delete once this build is active; other caches are not ours. */
export function staleCaches(names: readonly string[], buildId: string): string[] {
  const current = cacheName(buildId);
  return names.filter((name) => name.startsWith(cachePrefix) && name !== current);
}

/** The precache list as absolute URLs under the scope (the folder the app is served from). */
export function precacheUrls(paths: readonly string[], scope: string): string[] {
  return paths.map((path) => new URL(path, scope).href);
}

/**
 * The cached URL that answers a GET, or null for the network. A page load (a navigation inside
 * the scope) is the app shell whatever its query or hash, since routing is by hash; a file is its
 * precached self, ignoring a query that only the network would care about.
 */
export function cachedUrlFor(
  request: { url: string; method: string; mode: string },
  scope: string,
  precached: ReadonlySet<string>,
): string | null {
  if (request.method !== 'GET') return null;
  const url = new URL(request.url);
  if (!url.href.startsWith(scope)) return null;
  if (request.mode === 'navigate') {
    const shell = new URL('index.html', scope).href;
    const path = url.origin + url.pathname;
    return path === scope || path === shell ? shell : null;
  }
  const path = url.origin + url.pathname;
  return precached.has(path) ? path : null;
}

// The service worker's build-time parts, as pure functions (tested): which files it precaches,
// the build id that names its cache, and writing both into sw.js.
import { createHash } from 'node:crypto';
import type { ServiceWorkerBuild } from '../../src/worker/sw/protocol';

/** The service worker's own file, at the build's root so its scope is the whole app. */
export const serviceWorkerFile = 'sw.js';

/** The string in serviceWorker.ts that the build replaces with the ServiceWorkerBuild. */
export const buildPlaceholder = '__AISLE_SERVICE_WORKER_BUILD__';

/**
 * Files a shopper's browser never fetches: source maps, the data pipeline's report, and the
 * neighbour tables of the test-only training modes (?train=quick|off: offline, those fit their own).
 */
const notServed = [/\.map$/, /^data\/build-report\.json$/, /^data\/neighbours-(quick|off)\.bin$/];

/**
 * Every file a shopper's browser may need offline: the bundle's files (hashed assets, worker
 * scripts, wasm binaries, index.html) and the public folder's (catalog, community data, icon,
 * manifest); never sw.js itself. Sorted, so the same build gives the same list.
 */
export function precacheList(bundleFiles: readonly string[], publicFiles: readonly string[]): string[] {
  const files = new Set([...bundleFiles, ...publicFiles].map((file) => file.replace(/^\.?\//, '')));
  files.delete(serviceWorkerFile);
  return [...files].filter((file) => !notServed.some((pattern) => pattern.test(file))).sort();
}

/** 16 hex digits of SHA-256 over every file's name and content: any change to any file changes it. */
export function buildId(files: readonly { name: string; content: string | Uint8Array }[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    hash.update(file.name);
    hash.update('\0');
    hash.update(file.content);
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * sw.js's code with the build written in. The minifier may have copied the placeholder into each
 * place it is read (`"…".buildId`), so every copy becomes the (parenthesised) object; a code with
 * none is a build error, never a service worker without its list.
 */
export function injectBuild(code: string, build: ServiceWorkerBuild): string {
  const placeholder = new RegExp(`(["'\`])${buildPlaceholder}\\1`, 'g');
  if (!placeholder.test(code)) throw new Error(`${serviceWorkerFile}: the build placeholder is missing`);
  return code.replace(placeholder, `(${JSON.stringify(build)})`);
}

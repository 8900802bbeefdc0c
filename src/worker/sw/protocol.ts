// The service worker's protocol (worker/sw/serviceWorker.ts ↔ ui/offline/): what the build
// injects into it, and the one message the page sends.

/** What the build writes into sw.js (scripts/build/serviceWorkerPlugin.ts). */
export interface ServiceWorkerBuild {
  /** changes whenever any served file changes: names the cache, and makes sw.js differ byte-wise */
  buildId: string;
  /** paths relative to the service worker's scope: every file of the build the store needs offline */
  precache: string[];
  /** the headers every answer gets: the CSP and cross-origin isolation (COOP/COEP) */
  headers: Record<string, string>;
}

/** The shopper clicked "Update": the waiting service worker takes over now. */
export type ServiceWorkerCommand = { type: 'skipWaiting' };

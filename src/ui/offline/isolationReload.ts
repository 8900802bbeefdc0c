// When the page reloads itself to become cross-origin isolated, as a pure decision.
//
// On a host that sends no COOP/COEP headers, the first visit is not isolated: the service worker
// is only being installed. Once it controls the page, one reload lets it serve the page with the
// headers. Once, never more (a browser that ignores the headers must not reload forever), and
// never without session storage to remember that it already did, nor without a service worker.

export interface IsolationFacts {
  /** crossOriginIsolated: SharedArrayBuffer is there already */
  isolated: boolean;
  /** the browser offers service workers and ours controls the page now */
  controlled: boolean;
  /** whether this tab already reloaded for isolation; null when session storage is unavailable */
  alreadyReloaded: boolean | null;
}

export function shouldReloadForIsolation(facts: IsolationFacts): boolean {
  return !facts.isolated && facts.controlled && facts.alreadyReloaded === false;
}

/** The session-storage key that remembers the one reload. */
export const isolationReloadKey = 'aisle:isolation-reload';

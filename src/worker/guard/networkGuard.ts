// What a worker never needs, taken away before any other code runs. A worker's Content-Security-
// Policy comes from its own script's response headers, and a static host may send none: then the
// page's <meta> policy does not reach it, and a worker could fetch another origin, open a
// WebSocket or eval a string. This guard closes those doors in the worker itself:
// - fetch and XMLHttpRequest reach this origin only (data: and blob: URLs never touch the network);
// - WebSocket, EventSource and WebTransport cannot be constructed;
// - importScripts loads same-origin scripts only.
// What script cannot take away is left to the policy header (scripts/serve.mjs): a dynamic
// import() of another origin cannot be intercepted, and string evaluation (eval, new Function,
// setTimeout with a string) cannot be removed without breaking libraries and tools that feature-
// test it; a header without 'unsafe-eval' refuses all of them.

/** The parts of a worker's global scope the guard touches; tests pass a plain object. */
export interface GuardedScope {
  location: { href: string; origin: string };
  fetch?: typeof fetch;
  XMLHttpRequest?: typeof XMLHttpRequest;
  WebSocket?: unknown;
  EventSource?: unknown;
  WebTransport?: unknown;
  importScripts?: (...urls: (string | URL)[]) => void;
}

export class RefusedByGuard extends Error {
  override readonly name = 'SecurityError';
}

const localSchemes = new Set(['data:', 'blob:']);

/** Whether a URL, resolved against the worker's own, stays on its origin (or off the network). */
export function isOwnOrigin(url: string | URL, scope: Pick<GuardedScope, 'location'>): boolean {
  let resolved: URL;
  try {
    resolved = new URL(url, scope.location.href);
  } catch {
    return false;
  }
  return localSchemes.has(resolved.protocol) || resolved.origin === scope.location.origin;
}

const urlOf = (input: RequestInfo | URL): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

function refusal(what: string, url?: string | URL): RefusedByGuard {
  const target = url === undefined ? '' : ` (${String(url)})`;
  return new RefusedByGuard(
    `${what} is not allowed in Aisle's workers: they talk to this origin only${target}`,
  );
}

/** A constructor that refuses, so `new WebSocket(…)` throws as a blocked connection does. */
function refusingConstructor(what: string): unknown {
  return class {
    constructor(url?: string | URL) {
      throw refusal(what, url);
    }
  };
}

export function guardWorkerScope(scope: GuardedScope): void {
  const { fetch: originalFetch, XMLHttpRequest: OriginalXhr, importScripts: originalImportScripts } = scope;
  if (originalFetch) {
    const guardedFetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
      isOwnOrigin(urlOf(input), scope)
        ? originalFetch.call(scope, input, init)
        : Promise.reject(refusal('A request to another origin', urlOf(input)));
    scope.fetch = guardedFetch as typeof fetch;
  }
  if (OriginalXhr) {
    scope.XMLHttpRequest = class extends OriginalXhr {
      override open(method: string, url: string | URL, ...rest: unknown[]): void {
        if (!isOwnOrigin(url, scope)) throw refusal('A request to another origin', url);
        (super.open as (...args: unknown[]) => void)(method, url, ...rest);
      }
    };
  }
  if (originalImportScripts) {
    scope.importScripts = (...urls) => {
      const foreign = urls.find((url) => !isOwnOrigin(url, scope));
      if (foreign !== undefined) throw refusal('A script from another origin', foreign);
      originalImportScripts.apply(scope, urls);
    };
  }
  for (const name of ['WebSocket', 'EventSource', 'WebTransport'] as const) {
    if (scope[name] !== undefined) scope[name] = refusingConstructor(name);
  }
}

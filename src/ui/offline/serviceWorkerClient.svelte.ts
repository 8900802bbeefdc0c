// The page's side of the service worker (worker/sw/serviceWorker.ts): registers it, reloads once
// to become cross-origin isolated where the host sends no headers (isolationReload.ts), and
// offers a new build when one is waiting: the shopper's click activates it and reloads.
import type { ServiceWorkerCommand } from '../../worker/sw/protocol';
import { isolationReloadKey, shouldReloadForIsolation } from './isolationReload';

/** Session storage read and written without throwing; null when the browser refuses it. */
function reloadMemory(): { read(): boolean | null; remember(): boolean } {
  const storage = (() => {
    try {
      return globalThis.sessionStorage ?? null;
    } catch {
      return null;
    }
  })();
  return {
    read() {
      try {
        return storage ? storage.getItem(isolationReloadKey) === '1' : null;
      } catch {
        return null;
      }
    },
    remember() {
      try {
        storage?.setItem(isolationReloadKey, '1');
        return storage !== null;
      } catch {
        return false;
      }
    },
  };
}

export class ServiceWorkerClient {
  /** a new build is installed and waits for the shopper's click */
  updateReady = $state(false);
  /** why the service worker could not be registered (the store still works, online) */
  error = $state<string | null>(null);
  #waiting: ServiceWorker | null = null;
  #updating = false;

  async start(): Promise<void> {
    const container = globalThis.navigator?.serviceWorker;
    if (!container) return;
    container.addEventListener('controllerchange', () => this.#controllerChanged());
    let registration: ServiceWorkerRegistration | undefined;
    try {
      registration = await container.register('./sw.js', { scope: './' });
    } catch (error) {
      this.error = `Offline use is unavailable: ${error instanceof Error ? error.message : String(error)}`;
      return;
    }
    // a browser (or test) that blocks service workers may answer with nothing at all
    if (!registration) return;
    if (container.controller) this.#reloadForIsolation();
    if (registration.waiting && container.controller) this.#offer(registration.waiting);
    registration.addEventListener('updatefound', () => {
      const installing = registration.installing;
      installing?.addEventListener('statechange', () => {
        // the first install has no controller to replace: nothing to offer
        if (installing.state === 'installed' && container.controller) this.#offer(installing);
      });
    });
  }

  /** The shopper's click: the waiting build takes over, then the page reloads on it. */
  update(): void {
    if (!this.#waiting) return;
    this.#updating = true;
    const command: ServiceWorkerCommand = { type: 'skipWaiting' };
    this.#waiting.postMessage(command);
  }

  #offer(worker: ServiceWorker): void {
    this.#waiting = worker;
    this.updateReady = true;
  }

  #controllerChanged(): void {
    if (this.#updating) location.reload();
    else this.#reloadForIsolation();
  }

  #reloadForIsolation(): void {
    const memory = reloadMemory();
    const facts = {
      isolated: globalThis.crossOriginIsolated === true,
      controlled: Boolean(globalThis.navigator?.serviceWorker?.controller),
      alreadyReloaded: memory.read(),
    };
    if (shouldReloadForIsolation(facts) && memory.remember()) location.reload();
  }
}

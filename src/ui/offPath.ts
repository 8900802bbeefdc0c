// Work a click does not need for the rows the shopper is waiting to see (an impression's event, a
// request for offers) is done when the page is idle instead: on the click's path it competed with
// the reply's handler and the frame that draws the new cards (docs/internals.md, "A click's way to
// fresh rows"). Nothing queued here may be lost: a queue hands its items over at once when the
// page is hidden or closed (`onPageHide`). The scheduler is injectable, so the rules are tested
// without a browser.

/** Runs a task later, once. */
export type Scheduler = (run: () => void) => void;

/**
 * How long an idle task may wait for the page to be idle: a page busy for a second still gets its
 * impressions and offers, only later.
 */
export const idleTimeoutMs = 1_000;

/** The browser's idle time (after the frame is drawn), or a short timer where there is none. */
export const whenIdle: Scheduler = (run) => {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => run(), { timeout: idleTimeoutMs });
  else setTimeout(run, 50);
};

/**
 * Keeps only the newest task and runs it when idle: a burst of clicks asks once, with what the
 * last click knew (the store worker answers only the newest request anyway).
 */
export function newestWhenIdle(schedule: Scheduler = whenIdle): (task: () => void) => void {
  let waiting: (() => void) | null = null;
  return (task) => {
    const alreadyScheduled = waiting !== null;
    waiting = task;
    if (alreadyScheduled) return;
    schedule(() => {
      const newest = waiting;
      waiting = null;
      newest?.();
    });
  };
}

/**
 * Items handed over together when the page is idle, in the order they came; `flush()` hands over
 * what waits at once (before anything recorded after it, and when the page is hidden or closed).
 */
export class IdleQueue<T> {
  private items: T[] = [];
  private scheduled = false;

  constructor(
    private readonly deliver: (items: T[]) => void,
    private readonly schedule: Scheduler = whenIdle,
  ) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Forgets what waits (after "erase everything", nothing of before may be recorded). */
  discard(): void {
    this.items = [];
  }

  flush(): void {
    if (this.items.length === 0) return;
    // taken out first: delivering may push or flush again
    const items = this.items.splice(0);
    this.deliver(items);
  }
}

/**
 * Runs `run` when the page is hidden (another tab, the phone's home screen) or closed: the last
 * moment anything waiting may still be handed to storage. Returns the function that stops it.
 */
export function onPageHide(run: () => void, target: EventTarget | undefined = globalThis.window): () => void {
  if (!target) return () => undefined;
  const onVisibility = () => {
    if (globalThis.document?.visibilityState === 'hidden') run();
  };
  target.addEventListener('pagehide', run);
  globalThis.document?.addEventListener('visibilitychange', onVisibility);
  return () => {
    target.removeEventListener('pagehide', run);
    globalThis.document?.removeEventListener('visibilitychange', onVisibility);
  };
}

// Work a click does not need for the rows the shopper is waiting to see (an impression's event, a
// request for offers, the event log's batch write) is done when the page is idle instead: on the click's path it competed with
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

/** The part of the browser's idle-callback API a cancelable idle task needs (injectable for tests). */
export interface IdleApi {
  request(run: (deadline: IdleDeadline) => void, timeoutMs: number): number;
  cancel(handle: number): void;
  now(): number;
}

/** The browser's requestIdleCallback, or null where there is none (Safari): callers fall back to a timer. */
export function browserIdleApi(): IdleApi | null {
  if (typeof requestIdleCallback !== 'function') return null;
  return {
    request: (run, timeoutMs) => requestIdleCallback(run, { timeout: timeoutMs }),
    cancel: (handle) => cancelIdleCallback(handle),
    now: () => performance.now(),
  };
}

/**
 * A cancelable scheduler for work that costs the main thread a few milliseconds (the event log's
 * batch write): it runs in an idle period with at least `roomMs` left before the next frame, so it
 * is not squeezed in just before a frame or a reply that draws rows; should no such period come
 * within `timeoutMs` of the request it runs then anyway. Returns a function that cancels it.
 */
export function idleWithRoom(
  api: IdleApi,
  { roomMs, timeoutMs }: { roomMs: number; timeoutMs: number },
): (run: () => void) => () => void {
  return (run) => {
    const latest = api.now() + timeoutMs;
    let handle = 0;
    let cancelled = false;
    const onIdle = (deadline: IdleDeadline) => {
      if (cancelled) return;
      const waitLeft = latest - api.now();
      if (!deadline.didTimeout && deadline.timeRemaining() < roomMs && waitLeft > 0) {
        // too little idle time left in this period: the next one, with what is left of the wait
        handle = api.request(onIdle, waitLeft);
        return;
      }
      run();
    };
    handle = api.request(onIdle, timeoutMs);
    return () => {
      cancelled = true;
      api.cancel(handle);
    };
  };
}

/**
 * The event log's batch write (ui/shopper.svelte.ts): its IndexedDB callbacks cost the main thread
 * 1.5–1.9 ms a click (docs/benchmarks.md, "A click off the page's path"), and on the log's fixed
 * 250 ms timer they landed in the next click's path. In idle time with 8 ms of room they come
 * after the click's rows are drawn; at most a second after the event.
 */
export const batchWriteIdle = { roomMs: 8, timeoutMs: 1_000 } as const;

/** The log's scheduler: idle time with room, or (no requestIdleCallback) undefined, the log's own timer. */
export function idleBatchWrites(idle: IdleApi | null = browserIdleApi()) {
  return idle ? idleWithRoom(idle, batchWriteIdle) : undefined;
}

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

/** Whether the page is in view, and a way to hear when it comes back into view (injectable for tests). */
export interface PageVisibility {
  hidden(): boolean;
  /** Calls `run` once, the next time the page is shown. */
  onceShown(run: () => void): void;
}

export const documentVisibility: PageVisibility = {
  hidden: () => globalThis.document?.visibilityState === 'hidden',
  onceShown: (run) => {
    const onChange = () => {
      if (globalThis.document?.visibilityState !== 'visible') return;
      globalThis.document.removeEventListener('visibilitychange', onChange);
      run();
    };
    globalThis.document?.addEventListener('visibilitychange', onChange);
  },
};

/**
 * Runs `run` once, in idle time while the page is in view: for work done ahead of the shopper's
 * next action (the first click's warm-up), which a hidden page's shopper cannot take yet and whose
 * CPU time belongs to the tab in view. Hidden when idle: waits until shown, then for idle time again.
 */
export function onceIdleInView(
  run: () => void,
  schedule: Scheduler = whenIdle,
  visibility: PageVisibility = documentVisibility,
): void {
  schedule(() => {
    if (visibility.hidden()) visibility.onceShown(() => onceIdleInView(run, schedule, visibility));
    else run();
  });
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

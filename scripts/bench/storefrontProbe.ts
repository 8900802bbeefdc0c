// What the storefront bench puts in the page before any of the store's code runs: a Worker that
// stamps every hop of a ranking's round trip without changing the store's code. The page's
// requests are stamped as they are posted, each reply as the page's first listener sees it
// (the bench's old "rows back"), again a microtask after the store's own handler has run
// (Svelte updates the DOM in a microtask queued by that handler, so this one runs after it), at
// the next animation frame, and in the first task after that frame's rendering (a message posted
// from the frame's callback runs once the frame's style, layout and paint are done: the rows drawn).
// The worker stamps when it took the request and posted the rows.
// This function is serialised into the page (addInitScript): it may use nothing from outside.
import type { ForYouQuality } from '../../src/recs/forYouQuality';
import type { LongFrame } from './frameWait';

export interface RankedRecord {
  channel: string;
  id: number;
  ms: number;
  /** page clock (ms since the page's time origin) from here on */
  at: number;
  workerReceived: number;
  rowsPosted: number;
  /** after the store's handler and Svelte's DOM update */
  rendered?: number;
  /** how many DOM mutations had happened since the last reply when `rendered` was stamped */
  mutations?: number;
  nextFrame?: number;
  /** the first task after that frame's rendering (style, layout, paint) */
  painted?: number;
}

export interface PostedRecord {
  type: string;
  channel?: string;
  id?: number;
  /** page clock, just after postMessage returned (the request's structured clone is done) */
  at: number;
}

declare global {
  interface Window {
    __aisleBenchRanked?: RankedRecord[];
    __aisleBenchPosted?: PostedRecord[];
    /** the store worker's latest background-learning phase ('checking', 'training', 'ready', …) */
    __aisleBenchLearning?: string;
    /** true once the worker has announced a fitted hybrid blend (the learned "For you") */
    __aisleBenchLearnedBlend?: boolean;
    /** updateMsPerEvent of each 'profile' status after an incremental update */
    __aisleBenchProfileUpdates?: number[];
    /** every long animation frame (over 50 ms) from the probe's start: see frameWait.ts */
    __aisleBenchFrames?: LongFrame[];
    /** the store worker's measurement of "For you", from its last `models` status */
    __aisleBenchForYou?: ForYouQuality;
  }
}

export function installStorefrontProbe(): void {
  const records: RankedRecord[] = [];
  const posted: PostedRecord[] = [];
  const profileUpdates: number[] = [];
  window.__aisleBenchRanked = records;
  window.__aisleBenchPosted = posted;
  window.__aisleBenchProfileUpdates = profileUpdates;
  const frames: LongFrame[] = [];
  window.__aisleBenchFrames = frames;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const frame = entry as PerformanceEntry & {
          renderStart: number;
          scripts: { startTime: number; duration: number }[];
        };
        // the frame's own rAF callbacks are among its scripts, run after its rendering started: not counted
        const ends = frame.scripts
          .filter((script) => script.startTime < frame.renderStart)
          .map((script) => script.startTime + script.duration);
        frames.push({
          startTime: frame.startTime,
          renderStart: frame.renderStart,
          lastScriptEnd: Math.max(frame.startTime, ...ends),
        });
      }
    }).observe({ type: 'long-animation-frame' });
  } catch {
    // a browser without long animation frames: the report has no frame wait
  }
  const pageClock = (absolute: number) => absolute - performance.timeOrigin;
  let mutations: MutationObserver | null = null;
  const countMutations = () => {
    if (!mutations) {
      mutations = new MutationObserver(() => undefined);
      mutations.observe(document.body, { childList: true, subtree: true, characterData: true });
      return 0;
    }
    return mutations.takeRecords().length;
  };
  /** after the store's own handler: the DOM update it caused, the frame that shows it, its rendering done */
  const afterHandler = (record: RankedRecord) => {
    queueMicrotask(() => {
      record.rendered = performance.now();
      record.mutations = countMutations();
    });
    requestAnimationFrame(() => {
      record.nextFrame = performance.now();
      const afterRendering = new MessageChannel();
      afterRendering.port1.onmessage = () => {
        record.painted = performance.now();
        afterRendering.port1.close();
        window.dispatchEvent(new Event('aisle-bench-frame'));
      };
      afterRendering.port2.postMessage(null);
    });
  };
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener('message', (event: MessageEvent) => {
        const data = event.data as {
          type?: string;
          channel?: string;
          id?: number;
          ms?: number;
          receivedAt?: number;
          postedAt?: number;
          phase?: string;
          hybrid?: unknown;
          profile?: { updateMsPerEvent: number | null };
          forYou?: ForYouQuality | null;
        } | null;
        if (data?.type === 'ranked')
          records.push({
            channel: data.channel!,
            id: data.id!,
            ms: data.ms!,
            at: performance.now(),
            workerReceived: pageClock(data.receivedAt!),
            rowsPosted: pageClock(data.postedAt!),
          });
        if (data?.type === 'learning') window.__aisleBenchLearning = data.phase;
        if (data?.type === 'models' && data.hybrid) window.__aisleBenchLearnedBlend = true;
        const perEvent = data?.type === 'profile' ? data.profile?.updateMsPerEvent : null;
        if (perEvent !== null && perEvent !== undefined) profileUpdates.push(perEvent);
        if (data?.type === 'models' && data.forYou) window.__aisleBenchForYou = data.forYou;
      });
    }

    override postMessage(
      message: unknown,
      transferOrOptions?: Transferable[] | StructuredSerializeOptions,
    ): void {
      super.postMessage(message, transferOrOptions as StructuredSerializeOptions);
      const data = message as { type?: string; channel?: string; id?: number } | null;
      if (data?.type)
        posted.push({ type: data.type, channel: data.channel, id: data.id, at: performance.now() });
    }

    // the store's handler is assigned as `onmessage` after this constructor: wrap it to stamp what follows it
    override get onmessage(): Worker['onmessage'] {
      return super.onmessage;
    }

    override set onmessage(handler: Worker['onmessage']) {
      super.onmessage =
        handler &&
        ((event: MessageEvent) => {
          handler.call(this, event);
          const data = event.data as { type?: string; id?: number; channel?: string } | null;
          if (data?.type !== 'ranked') return;
          const record = records.findLast((r) => r.id === data.id && r.channel === data.channel);
          if (record) afterHandler(record);
        });
    }
  };
}

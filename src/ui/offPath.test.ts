import { describe, expect, it } from 'vitest';
import {
  batchWriteIdle,
  idleBatchWrites,
  IdleQueue,
  onceIdleInView,
  type PageVisibility,
  idleWithRoom,
  newestWhenIdle,
  onPageHide,
  type IdleApi,
  type Scheduler,
} from './offPath';

/** A scheduler that runs its tasks only when the test says the page is idle. */
function manualIdle(): { schedule: Scheduler; idle: () => void; waiting: () => number } {
  let tasks: (() => void)[] = [];
  return {
    schedule: (run) => void tasks.push(run),
    idle: () => {
      const now = tasks;
      tasks = [];
      for (const run of now) run();
    },
    waiting: () => tasks.length,
  };
}

describe('newestWhenIdle', () => {
  it('runs only the newest of a burst, once, when idle', () => {
    const idle = manualIdle();
    const ran: string[] = [];
    const later = newestWhenIdle(idle.schedule);
    later(() => ran.push('first'));
    later(() => ran.push('second'));
    later(() => ran.push('third'));
    expect(ran).toEqual([]);
    expect(idle.waiting()).toBe(1);
    idle.idle();
    expect(ran).toEqual(['third']);
    idle.idle();
    expect(ran).toEqual(['third']);
  });

  it('schedules again after a task has run', () => {
    const idle = manualIdle();
    const ran: number[] = [];
    const later = newestWhenIdle(idle.schedule);
    later(() => ran.push(1));
    idle.idle();
    later(() => ran.push(2));
    expect(idle.waiting()).toBe(1);
    idle.idle();
    expect(ran).toEqual([1, 2]);
  });
});

describe('IdleQueue', () => {
  it('hands over every item in order, together, when idle', () => {
    const idle = manualIdle();
    const delivered: number[][] = [];
    const queue = new IdleQueue<number>((items) => delivered.push(items), idle.schedule);
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(delivered).toEqual([]);
    expect(queue.size).toBe(3);
    expect(idle.waiting()).toBe(1);
    idle.idle();
    expect(delivered).toEqual([[1, 2, 3]]);
    expect(queue.size).toBe(0);
  });

  it('flush hands over at once, and the idle task then finds nothing', () => {
    const idle = manualIdle();
    const delivered: string[][] = [];
    const queue = new IdleQueue<string>((items) => delivered.push(items), idle.schedule);
    queue.push('a');
    queue.flush();
    expect(delivered).toEqual([['a']]);
    idle.idle();
    expect(delivered).toEqual([['a']]);
    queue.flush();
    expect(delivered).toEqual([['a']]);
  });

  it('discard forgets what waits', () => {
    const idle = manualIdle();
    const delivered: number[][] = [];
    const queue = new IdleQueue<number>((items) => delivered.push(items), idle.schedule);
    queue.push(1);
    queue.discard();
    idle.idle();
    queue.push(2);
    idle.idle();
    expect(delivered).toEqual([[2]]);
  });

  it('an item pushed while delivering waits for the next turn, not lost nor handed twice', () => {
    const idle = manualIdle();
    const delivered: number[][] = [];
    const queue: IdleQueue<number> = new IdleQueue<number>((items) => {
      delivered.push(items);
      if (items.includes(1)) queue.push(9);
    }, idle.schedule);
    queue.push(1);
    idle.idle();
    expect(delivered).toEqual([[1]]);
    idle.idle();
    expect(delivered).toEqual([[1], [9]]);
  });
});

describe('onPageHide', () => {
  it('runs on pagehide until stopped', () => {
    const target = new EventTarget();
    let runs = 0;
    const stop = onPageHide(() => runs++, target);
    target.dispatchEvent(new Event('pagehide'));
    expect(runs).toBe(1);
    stop();
    target.dispatchEvent(new Event('pagehide'));
    expect(runs).toBe(1);
  });
});

/** requestIdleCallback as the test drives it: a clock, and idle periods of a chosen length. */
function fakeIdleApi() {
  let now = 0;
  let nextHandle = 1;
  const waiting = new Map<number, { run: (deadline: IdleDeadline) => void; timeoutAt: number }>();
  const api: IdleApi = {
    request: (run, timeoutMs) => {
      const handle = nextHandle++;
      waiting.set(handle, { run, timeoutAt: now + timeoutMs });
      return handle;
    },
    cancel: (handle) => void waiting.delete(handle),
    now: () => now,
  };
  /** The clock moves to `at`; an idle period with `room` ms left runs every waiting callback. */
  const idlePeriod = (at: number, room: number) => {
    now = at;
    const due = [...waiting];
    waiting.clear();
    for (const [, { run }] of due) run({ didTimeout: false, timeRemaining: () => room });
  };
  /** The clock moves to `at` with no idle time: callbacks whose timeout passed run, timed out. */
  const busyUntil = (at: number) => {
    now = at;
    for (const [handle, { run, timeoutAt }] of [...waiting]) {
      if (timeoutAt > now) continue;
      waiting.delete(handle);
      run({ didTimeout: true, timeRemaining: () => 0 });
    }
  };
  return { api, idlePeriod, busyUntil, waiting: () => waiting.size };
}

describe('idleWithRoom', () => {
  it('waits for an idle period with enough room, skipping shorter ones', () => {
    const idle = fakeIdleApi();
    let runs = 0;
    idleWithRoom(idle.api, { roomMs: 8, timeoutMs: 1_000 })(() => runs++);
    idle.idlePeriod(10, 3); // 3 ms before the next frame: too little
    expect(runs).toBe(0);
    expect(idle.waiting()).toBe(1);
    idle.idlePeriod(30, 12);
    expect(runs).toBe(1);
    expect(idle.waiting()).toBe(0);
  });

  it('runs at the timeout when no idle period with room came, counting the wait from the request', () => {
    const idle = fakeIdleApi();
    let runs = 0;
    idleWithRoom(idle.api, { roomMs: 8, timeoutMs: 1_000 })(() => runs++);
    idle.idlePeriod(400, 2); // asked again, for the 600 ms that are left of the second
    idle.busyUntil(999);
    expect(runs).toBe(0);
    idle.busyUntil(1_000);
    expect(runs).toBe(1);
  });

  it('a cancelled task never runs', () => {
    const idle = fakeIdleApi();
    let runs = 0;
    const cancel = idleWithRoom(idle.api, { roomMs: 8, timeoutMs: 1_000 })(() => runs++);
    idle.idlePeriod(10, 3);
    cancel();
    idle.idlePeriod(20, 40);
    idle.busyUntil(5_000);
    expect(runs).toBe(0);
  });

  it("is the event log's scheduler where the browser has idle callbacks, and none (the log's timer) where not", () => {
    expect(idleBatchWrites(null)).toBeUndefined();
    const idle = fakeIdleApi();
    let runs = 0;
    idleBatchWrites(idle.api)!(() => runs++);
    idle.idlePeriod(1, batchWriteIdle.roomMs - 1);
    expect(runs).toBe(0);
    idle.idlePeriod(2, batchWriteIdle.roomMs);
    expect(runs).toBe(1);
  });
});

describe('onceIdleInView', () => {
  /** A page the test hides and shows. */
  function page(hidden: boolean) {
    let shown: (() => void)[] = [];
    const visibility: PageVisibility = { hidden: () => hidden, onceShown: (run) => void shown.push(run) };
    return {
      visibility,
      show: () => {
        hidden = false;
        const now = shown;
        shown = [];
        for (const run of now) run();
      },
    };
  }

  it('runs once, when idle, on a page in view', () => {
    const idle = manualIdle();
    let runs = 0;
    onceIdleInView(() => runs++, idle.schedule, page(false).visibility);
    expect(runs).toBe(0); // not before the page is idle (after the frame that paints the rows)
    idle.idle();
    expect(runs).toBe(1);
    idle.idle();
    expect(runs).toBe(1);
  });

  it('not while the page is hidden: once shown, at the next idle time', () => {
    const idle = manualIdle();
    const hiddenPage = page(true);
    let runs = 0;
    onceIdleInView(() => runs++, idle.schedule, hiddenPage.visibility);
    idle.idle();
    expect(runs).toBe(0);
    expect(idle.waiting()).toBe(0); // nothing polls while hidden
    hiddenPage.show();
    expect(runs).toBe(0);
    idle.idle();
    expect(runs).toBe(1);
  });
});

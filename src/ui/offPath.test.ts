import { describe, expect, it } from 'vitest';
import { IdleQueue, newestWhenIdle, onPageHide, type Scheduler } from './offPath';

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

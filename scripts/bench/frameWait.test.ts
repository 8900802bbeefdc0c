import { describe, expect, it } from 'vitest';
import { clickAt } from './clickStampsFixture';
import { frameWaitMs } from './frameWait';

describe("a click's frame wait on the browser", () => {
  // clickAt(1000): rows in the DOM at 1006, the probe's rAF callback at 1014
  const click = clickAt(1000);

  it('counts from the rows in the DOM when no long script ran after them', () => {
    const frames = [{ startTime: 999, renderStart: 1012, lastScriptEnd: 1004 }];
    expect(frameWaitMs(click, frames)).toBe(6);
  });

  it('counts from the last long script when one ended after the DOM update', () => {
    const frames = [{ startTime: 999, renderStart: 1013, lastScriptEnd: 1010 }];
    expect(frameWaitMs(click, frames)).toBe(3);
  });

  it("picks the frame that drew the click's rows, not an earlier or later one", () => {
    const frames = [
      { startTime: 900, renderStart: 950, lastScriptEnd: 940 },
      { startTime: 999, renderStart: 1011, lastScriptEnd: 999 },
      { startTime: 1015, renderStart: 1090, lastScriptEnd: 1015 },
    ];
    expect(frameWaitMs(click, frames)).toBe(5);
  });

  it('without a frame before the bench gave up, takes the first long frame after the DOM update', () => {
    const frames = [
      { startTime: 999, renderStart: 3000, lastScriptEnd: 1200 },
      { startTime: 3100, renderStart: 3200, lastScriptEnd: 3100 },
    ];
    // rendering began at 3000, the last long script ended at 1200: 1800 ms on the browser
    expect(frameWaitMs({ ...click, nextFrame: null, painted: null }, frames)).toBe(1800);
  });

  it('is null without a long frame after the DOM update', () => {
    expect(frameWaitMs(click, [])).toBeNull();
    expect(frameWaitMs(click, [{ startTime: 900, renderStart: 1001, lastScriptEnd: 900 }])).toBeNull();
    expect(frameWaitMs({ ...click, nextFrame: null }, [])).toBeNull();
  });
});

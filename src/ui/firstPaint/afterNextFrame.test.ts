import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterNextFrame } from './afterNextFrame';

describe('afterNextFrame', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs in the task after the next frame, once, though the time limit passes later', () => {
    let drawFrame = () => {};
    const run = vi.fn();
    afterNextFrame(run, 50, (callback) => (drawFrame = callback));
    vi.advanceTimersByTime(10);
    expect(run).not.toHaveBeenCalled();
    drawFrame(); // the frame's callbacks run before it is drawn: not yet
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(0);
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(100);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('runs after the time limit when no frame comes, and not again when one does', () => {
    let drawFrame = () => {};
    const run = vi.fn();
    afterNextFrame(run, 50, (callback) => (drawFrame = callback));
    vi.advanceTimersByTime(49);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(1);
    drawFrame();
    vi.advanceTimersByTime(10);
    expect(run).toHaveBeenCalledTimes(1);
  });
});

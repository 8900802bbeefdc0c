import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PageViewImpressions, watchVisibility, type VisibilityObserverFactory } from './impressions';

/** A stand-in IntersectionObserver the test moves by hand. */
function fakeObserver() {
  let report: Parameters<VisibilityObserverFactory>[0] = () => undefined;
  const state = { observing: false, threshold: -1 };
  const factory: VisibilityObserverFactory = (onChange, threshold) => {
    report = onChange;
    state.threshold = threshold;
    return {
      observe: () => void (state.observing = true),
      disconnect: () => void (state.observing = false),
    };
  };
  const show = (ratio: number) => report([{ intersectionRatio: ratio, isIntersecting: ratio > 0 }]);
  return { factory, show, state };
}

const node = {} as Element;

describe('watchVisibility', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('counts a card half in view for 500 ms, once', () => {
    const observer = fakeObserver();
    const seen = vi.fn();
    watchVisibility(node, seen, { createObserver: observer.factory });
    expect(observer.state).toEqual({ observing: true, threshold: 0.5 });
    observer.show(0.5);
    vi.advanceTimersByTime(499);
    expect(seen).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(seen).toHaveBeenCalledTimes(1);
    expect(observer.state.observing).toBe(false);
  });

  it('a glance is not an impression: leaving view restarts the wait', () => {
    const observer = fakeObserver();
    const seen = vi.fn();
    watchVisibility(node, seen, { createObserver: observer.factory });
    observer.show(0.9);
    vi.advanceTimersByTime(400);
    observer.show(0.3); // scrolled mostly away
    vi.advanceTimersByTime(400);
    expect(seen).not.toHaveBeenCalled();
    observer.show(1);
    vi.advanceTimersByTime(500);
    expect(seen).toHaveBeenCalledTimes(1);
  });

  it('stopping before the time is up records nothing', () => {
    const observer = fakeObserver();
    const seen = vi.fn();
    const stop = watchVisibility(node, seen, { createObserver: observer.factory });
    observer.show(1);
    stop();
    vi.advanceTimersByTime(1_000);
    expect(seen).not.toHaveBeenCalled();
    expect(observer.state.observing).toBe(false);
  });
});

describe('PageViewImpressions', () => {
  it('counts each card once per page view', () => {
    const impressions = new PageViewImpressions();
    expect(impressions.firstSighting('home:forYou', 1)).toBe(true);
    expect(impressions.firstSighting('home:forYou', 1)).toBe(false);
    expect(impressions.firstSighting('home:trending', 1)).toBe(true);
    impressions.startPageView();
    expect(impressions.firstSighting('home:forYou', 1)).toBe(true);
  });
});

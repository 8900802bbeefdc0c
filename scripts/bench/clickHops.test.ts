import { describe, expect, it } from 'vitest';
import { clickHops, hopNames, summariseClicks } from './clickHops';
import { clickAt as click } from './clickStampsFixture';

describe('click hops', () => {
  it('splits one round trip into its hops, in order', () => {
    expect(clickHops(click(100))).toEqual([1, 0.5, 0.25, 2, 0.75, 1.5, 8, 3]);
    expect(hopNames).toHaveLength(8);
  });

  it('summarises the hops: quantiles, shares of the time to the DOM, and what the slowest clicks spend', () => {
    // 20 clicks; the last one's DOM update takes 10 ms more, so it alone is the slowest 5 %
    const clicks = Array.from({ length: 20 }, (_, i) => click(i * 100, i === 19 ? 10 : 0));
    const profile = summariseClicks(clicks);
    expect(profile.clicks).toBe(20);
    // every click reaches the page 4.5 ms after it; the DOM 6 ms after it (16 for the slow one)
    expect(profile.toPageP50Ms).toBeCloseTo(4.5);
    expect(profile.toDomP50Ms).toBeCloseTo(6);
    // p95 of 19 × 6 and one 16: position 0.95 × 19 = 18.05 → 6 + 0.05 × 10
    expect(profile.toDomP95Ms).toBeCloseTo(6.5);
    // painted 17 ms after the click (27 for the slow one): p95 17 + 0.05 × 10
    expect(profile.toPaintedP50Ms).toBeCloseTo(17);
    expect(profile.toPaintedP95Ms).toBeCloseTo(17.5);
    const render = profile.hops[5];
    expect(render.hop).toBe('page receives → DOM updated');
    expect(render.meanMs).toBeCloseTo((19 * 1.5 + 11.5) / 20);
    // the shares add up to 1 over the six hops to the DOM; the frame has none
    const shares = profile.hops.slice(0, 6).reduce((sum, hop) => sum + hop.share, 0);
    expect(shares).toBeCloseTo(1);
    // mean to the DOM: 6 + 10/20 = 6.5 ms, of which the ranking's 2 ms
    expect(profile.hops[3].share).toBeCloseTo(2 / 6.5);
    expect(profile.hops[6].share).toBeNaN();
    expect(profile.hops[7].share).toBeNaN();
    expect(profile.hops[7].p50Ms).toBeCloseTo(3);
    expect(profile.slowestMeans[5]).toBeCloseTo(11.5);
    expect(profile.slowestMeans[3]).toBeCloseTo(2);
  });

  it('leaves a hop that was not seen out of its column rather than counting it as zero', () => {
    const stale = { ...click(0), requestPosted: NaN, nextFrame: null, painted: null };
    const profile = summariseClicks([stale, click(100)]);
    expect(profile.hops[0].p50Ms).toBeCloseTo(1);
    expect(profile.hops[0].meanMs).toBeCloseTo(1);
    expect(profile.hops[6].meanMs).toBeCloseTo(8);
    expect(profile.toFrameP50Ms).toBeCloseTo(14);
    expect(profile.hops[7].meanMs).toBeCloseTo(3);
    expect(profile.toPaintedP50Ms).toBeCloseTo(17);
  });
});

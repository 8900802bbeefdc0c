import { describe, expect, it } from 'vitest';
import { clickThroughRate, conversionRate, dropOff, median, rate } from './rates';

describe('rates', () => {
  it('divides, and says "no rate" rather than 0 when nothing was shown', () => {
    expect(rate(1, 4)).toBe(0.25);
    expect(clickThroughRate(3, 12)).toBe(0.25);
    expect(conversionRate(1, 2)).toBe(0.5);
    expect(clickThroughRate(0, 0)).toBeNull();
    expect(conversionRate(0, 5)).toBe(0);
  });

  it('drop-off is the share of the previous step lost', () => {
    expect(dropOff(3, 4)).toBe(0.25);
    expect(dropOff(4, 4)).toBe(0);
    expect(dropOff(0, 0)).toBeNull();
  });

  it('median of odd and even counts, unsorted input left alone', () => {
    const values = [9, 1, 5];
    expect(median(values)).toBe(5);
    expect(values).toEqual([9, 1, 5]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { duration, percent } from './insightsFormat';

describe('insights formatting', () => {
  it('percent keeps one decimal and shows a missing rate as a dash', () => {
    expect(percent(1 / 3)).toBe('33.3%');
    expect(percent(0)).toBe('0%');
    expect(percent(null)).toBe('—');
  });

  it('duration uses the two largest units', () => {
    expect(duration(44_000)).toBe('44 s');
    expect(duration(185_000)).toBe('3 min 5 s');
    expect(duration(2 * 3_600_000 + 10 * 60_000 + 59_000)).toBe('2 h 10 min');
    expect(duration(86_397_000)).toBe('23 h 59 min');
    expect(duration(27 * 3_600_000)).toBe('1 d 3 h');
    expect(duration(null)).toBe('—');
  });
});

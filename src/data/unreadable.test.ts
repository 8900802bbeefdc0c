import { describe, expect, it } from 'vitest';
import { describeSkipped, UnreadableRecords } from './unreadable';

describe('UnreadableRecords', () => {
  it('counts each table and key once and tells listeners of every new one', () => {
    const records = new UnreadableRecords();
    const told: number[] = [];
    records.onChange((count) => told.push(count));
    expect(records.note('events', 3)).toBe(true);
    expect(records.note('events', 3)).toBe(false);
    // the same key in another table is another record; a string key is not the number
    expect(records.note('profile', 3)).toBe(true);
    expect(records.note('events', '3')).toBe(true);
    expect(records.count).toBe(3);
    expect(told).toEqual([1, 2, 3]);
  });
});

describe('describeSkipped', () => {
  it('says nothing when nothing was skipped, and names how many otherwise', () => {
    expect(describeSkipped(0)).toBeNull();
    expect(describeSkipped(1)).toBe(
      '1 saved record could not be read (damaged on this device) and was skipped. Everything else you saved is here.',
    );
    expect(describeSkipped(2)).toBe(
      '2 saved records could not be read (damaged on this device) and were skipped. Everything else you saved is here.',
    );
  });
});

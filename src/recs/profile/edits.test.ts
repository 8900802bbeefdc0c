import { describe, expect, it } from 'vitest';
import {
  editsNeedRecompute,
  emptyEdits,
  eventFilter,
  resetEdits,
  setAdjustment,
  setEventExcluded,
  setPriceCeiling,
} from './edits';
import { event } from './testSupport';

describe('profile edits', () => {
  it('boost, mute and clear a value without touching the old edits', () => {
    const before = emptyEdits();
    const muted = setAdjustment(before, 'genre', 'Strategy', 'mute');
    const both = setAdjustment(muted, 'developer', 'Valve', 'boost');
    expect(both.adjustments).toEqual({ genre: { Strategy: 'mute' }, tag: {}, developer: { Valve: 'boost' } });
    expect(before.adjustments.genre).toEqual({});
    expect(setAdjustment(both, 'genre', 'Strategy', null).adjustments.genre).toEqual({});
  });

  it('take a non-negative price ceiling or none', () => {
    expect(setPriceCeiling(emptyEdits(), 20).priceCeiling).toBe(20);
    expect(setPriceCeiling(setPriceCeiling(emptyEdits(), 20), null).priceCeiling).toBeNull();
    expect(() => setPriceCeiling(emptyEdits(), -1)).toThrow(RangeError);
    expect(() => setPriceCeiling(emptyEdits(), Number.NaN)).toThrow(RangeError);
  });

  it('keep excluded events sorted and once each', () => {
    let edits = setEventExcluded(emptyEdits(), 9, true);
    edits = setEventExcluded(edits, 3, true);
    edits = setEventExcluded(edits, 9, true);
    expect(edits.excludedEventIds).toEqual([3, 9]);
    expect(setEventExcluded(edits, 3, false).excludedEventIds).toEqual([9]);
  });

  it('let through only events that are not excluded and newer than the reset', () => {
    const edits = setEventExcluded(resetEdits(86_400_000), 7, true);
    const usable = eventFilter(edits);
    expect(usable(event(1, 'view', 1, 1))).toBe(false);
    expect(usable(event(2, 'view', 1, 2))).toBe(true);
    expect(usable(event(7, 'view', 1, 2))).toBe(false);
    expect(usable({ ...event(0, 'view', 1, 2), id: undefined })).toBe(true);
  });

  it('reset clears every edit and starts the profile over', () => {
    const edits = setPriceCeiling(setAdjustment(emptyEdits(), 'tag', 'war', 'mute'), 5);
    expect(resetEdits(1234)).toEqual({ ...emptyEdits(), resetAt: 1234 });
    expect(editsNeedRecompute(edits, resetEdits(1234))).toBe(true);
  });

  it('need a recompute only when the events that count change', () => {
    const base = emptyEdits();
    expect(editsNeedRecompute(base, setAdjustment(base, 'genre', 'RPG', 'boost'))).toBe(false);
    expect(editsNeedRecompute(base, setPriceCeiling(base, 10))).toBe(false);
    expect(editsNeedRecompute(base, setEventExcluded(base, 4, true))).toBe(true);
    const excluded = setEventExcluded(base, 4, true);
    expect(editsNeedRecompute(excluded, setEventExcluded(setEventExcluded(base, 5, true), 4, false))).toBe(
      true,
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { EvidenceEntry } from '../../data/profileTypes';
import { event } from './testSupport';
import { dayMs, decayFactor, eventStrength, insertEvidence, PROFILE_HALF_LIFE_DAYS } from './weights';

describe('event strengths', () => {
  it('order purchase > cart > rating > dwell > view, all positive', () => {
    const purchase = eventStrength(event(1, 'purchase', 1, 0));
    const cart = eventStrength(event(2, 'cartAdd', 1, 0));
    const rating = eventStrength(event(3, 'rating', 1, 0, { rating: 5 }));
    const dwell = eventStrength(event(4, 'dwell', 1, 0, { dwellMs: 30_000 }));
    const view = eventStrength(event(5, 'view', 1, 0));
    expect([purchase, cart, rating, dwell, view]).toEqual([5, 3, 2.5, 1.5, 1]);
  });

  it('are negative for not interested, thumbs down and low ratings', () => {
    expect(eventStrength(event(1, 'notInterested', 1, 0))).toBe(-4);
    expect(eventStrength(event(2, 'recFeedback', 1, 0, { thumbs: 'down' }))).toBe(-3);
    expect(eventStrength(event(3, 'rating', 1, 0, { rating: 1 }))).toBe(-3);
    expect(eventStrength(event(4, 'rating', 1, 0, { rating: 2 }))).toBe(-2);
  });

  it('give nothing for neutral or tasteless events', () => {
    expect(eventStrength(event(1, 'rating', 1, 0, { rating: 3 }))).toBe(0);
    expect(eventStrength(event(2, 'dwell', 1, 0, { dwellMs: 9_999 }))).toBe(0);
    expect(eventStrength(event(3, 'recClick', 1, 0))).toBe(0);
    expect(eventStrength(event(4, 'cartRemove', 1, 0))).toBe(0);
    expect(eventStrength(event(5, 'search', undefined, 0, { query: 'x' }))).toBe(0);
    expect(eventStrength(event(6, 'recFeedback', 1, 0, { thumbs: 'up' }))).toBe(2);
  });
});

describe('decay', () => {
  it('halves every half-life', () => {
    expect(PROFILE_HALF_LIFE_DAYS).toBe(30);
    expect(decayFactor(0)).toBe(1);
    expect(decayFactor(30 * dayMs)).toBeCloseTo(0.5, 12);
    expect(decayFactor(90 * dayMs)).toBeCloseTo(0.125, 12);
    expect(decayFactor(15 * dayMs)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(decayFactor(10 * dayMs, 10)).toBeCloseTo(0.5, 12);
  });
});

describe('evidence lists', () => {
  it('keep the five largest |contributions|, ties to the newer event', () => {
    const list: EvidenceEntry[] = [];
    const offered = [1, -3, 2, 0.5, 4, -2, 1];
    offered.forEach((contribution, i) => insertEvidence(list, { eventId: i + 1, contribution }));
    // |4| (5), |-3| (2), then |2| twice: 6 before 3; then |1| twice: 7 before 1; 0.5 is cut
    expect(list.map((e) => e.eventId)).toEqual([5, 2, 6, 3, 7]);
    expect(list.map((e) => e.contribution)).toEqual([4, -3, -2, 2, 1]);
  });

  it('drop an entry weaker than a full list', () => {
    const list: EvidenceEntry[] = [{ eventId: 1, contribution: 2 }];
    insertEvidence(list, { eventId: 2, contribution: 1 }, 1);
    expect(list).toEqual([{ eventId: 1, contribution: 2 }]);
  });
});

import { describe, expect, it } from 'vitest';
import { computeFunnel } from './funnel';
import { attributePurchases } from './attribution';
import { s2Start, s3Start, shuffledTestLog, testLog } from './testLog';

describe('purchase attribution', () => {
  it('credits the recommendation click on the same game in the same session only', () => {
    const attributions = attributePurchases(shuffledTestLog);
    expect(attributions.map((a) => [a.purchase.itemId, a.click?.id ?? null])).toEqual([
      [10, 5], // clicked in "For you" (event 5) and bought in session 1
      [21, null], // clicked in session 2, bought in session 3
      [30, null], // never clicked from a recommendation
    ]);
  });

  it('gives the credit to the latest click before the purchase', () => {
    const base = { sessionId: 's', itemId: 1 };
    const attributions = attributePurchases([
      { ...base, id: 1, kind: 'recClick', at: 1, placement: 'home:trending' },
      { ...base, id: 2, kind: 'recClick', at: 2, placement: 'home:forYou' },
      { ...base, id: 3, kind: 'purchase', at: 3 },
      { ...base, id: 4, kind: 'recClick', at: 4, placement: 'product:similar' },
    ]);
    expect(attributions.map((a) => a.click?.placement)).toEqual(['home:forYou']);
  });
});

describe('funnel', () => {
  it('every game viewed, then carted, then bought', () => {
    // viewed: 10, 21, 30, 40 · carted after their view: 10, 21, 30 · bought after carting: all three
    const funnel = computeFunnel(shuffledTestLog);
    expect(funnel.steps).toEqual([
      { step: 'viewed', games: 4, dropOff: null },
      { step: 'carted', games: 3, dropOff: 0.25 },
      { step: 'bought', games: 3, dropOff: 0 },
    ]);
    // first view → purchase: 10: 50 000 − 6 000 = 44 000; 21: (s3+2 000) − (s2+5 000);
    // 30: (s3+2 000) − (s2+22 000), the middle of the three
    expect(funnel.medianTimeToConvertMs).toBe(s3Start + 2_000 - (s2Start + 22_000));
  });

  it('from recommendation rows: clicked, carted, bought with the credit of the click', () => {
    // clicked: 10 and 21, both carted; only 10's purchase is attributed (21 bought a session later)
    const funnel = computeFunnel(testLog, { fromRecommendations: true });
    expect(funnel.steps).toEqual([
      { step: 'viewed', games: 2, dropOff: null },
      { step: 'carted', games: 2, dropOff: 0 },
      { step: 'bought', games: 1, dropOff: 0.5 },
    ]);
    expect(funnel.medianTimeToConvertMs).toBe(50_000 - 5_000);
  });

  it('a cart add before the first view, or a purchase never carted, does not pass the step', () => {
    const base = { sessionId: 's', itemId: 1 };
    const funnel = computeFunnel([
      { ...base, kind: 'cartAdd', at: 1 },
      { ...base, kind: 'view', at: 2 },
      { ...base, kind: 'purchase', at: 3 },
    ]);
    expect(funnel.steps.map((s) => s.games)).toEqual([1, 0, 0]);
    expect(funnel.medianTimeToConvertMs).toBeNull();
  });

  it('an empty log has empty steps and no rates', () => {
    expect(computeFunnel([]).steps.map((s) => [s.games, s.dropOff])).toEqual([
      [0, null],
      [0, null],
      [0, null],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { judgeForYou, rowHit, type PerPlayerMetrics, type ServingName } from './forYouMeasure';

const row = (...items: number[]) =>
  items.map((item) => ({ item, score: 0, reason: { kind: 'popular' as const } }));

describe('a held-out player scored on the row "For you" showed', () => {
  it('counts a hit with gain 1 / log2(position + 2), and nothing when the game is missing', () => {
    expect(rowHit(row(4, 7, 9), 4)).toEqual({ hit: 1, gain: 1 });
    // third place: 1 / log2(4) = 0.5
    expect(rowHit(row(4, 7, 9), 9)).toEqual({ hit: 1, gain: 0.5 });
    expect(rowHit(row(4, 7, 9), 3)).toEqual({ hit: 0, gain: 0 });
  });
});

/** NDCG vectors per serving (HR = NDCG > 0), 40 players */
function measured(ndcg: Partial<Record<ServingName, number[]>>): Record<ServingName, PerPlayerMetrics> {
  const names: ServingName[] = ['blend', 'popularity', 'coOccurrence', 'mf', 'sequential', 'baselines'];
  return Object.fromEntries(
    names.map((name) => {
      const values = Float64Array.from(ndcg[name] ?? Array.from({ length: 40 }, () => 0));
      return [name, { ndcg: values, hr: values.map((v) => (v > 0 ? 1 : 0)) }];
    }),
  ) as Record<ServingName, PerPlayerMetrics>;
}

const timing = { fitPlayers: 40, fitMs: 10, measureMs: 20, seed: 1 };
// the GRU finds every other player's game at the top (mean 0.5); the blend finds those and, in
// every fourth player, another one at the third place (gain 0.5)
const gru = Array.from({ length: 40 }, (_, p) => (p % 2 === 0 ? 1 : 0));
const better = gru.map((v, p) => (p % 4 === 1 ? 0.5 : v));

describe('what "For you" serves', () => {
  it('serves the blend when it beats every component on every resample', () => {
    const quality = judgeForYou(
      measured({ blend: better, sequential: gru, mf: gru.map((v) => v / 2) }),
      timing,
    );
    expect(quality.serves).toBe('blend');
    expect(quality.best).toBe('sequential');
    // blend mean = (20 · 1 + 10 · 0.5) / 40 = 0.625; GRU 0.5 → 1.25×
    expect(quality.blend.ndcg.mean).toBeCloseTo(0.625);
    expect(quality.ratioToBest).toBeCloseTo(1.25);
    expect(quality.components.sequential.hr.mean).toBeCloseTo(0.5);
    expect(quality.difference.lower).toBeGreaterThan(0);
  });

  it('serves the best component when the blend is below it', () => {
    const quality = judgeForYou(measured({ blend: gru.map((v) => v * 0.8), sequential: gru }), timing);
    expect(quality.serves).toBe('sequential');
    expect(quality.ratioToBest).toBeCloseTo(0.8);
  });

  it('keeps the component on a tie, the simpler thing that is as good', () => {
    expect(judgeForYou(measured({ blend: gru, mf: gru }), timing).serves).toBe('mf');
  });
});

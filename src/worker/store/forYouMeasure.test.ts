import { describe, expect, it } from 'vitest';
import {
  judgeForYou,
  profileColumnsKept,
  rowHit,
  type MeasuredRows,
  type PerPlayerMetrics,
  type ServingName,
} from './forYouMeasure';

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

/** One player's NDCG each (HR = NDCG > 0) */
function metricsOf(ndcg: number[]): PerPlayerMetrics {
  const values = Float64Array.from(ndcg);
  return { ndcg: values, hr: values.map((v) => (v > 0 ? 1 : 0)) };
}

/** NDCG vectors per serving, 40 players; a serving not given scores 0 everywhere */
function measured(ndcg: Partial<Record<ServingName, number[]>>): MeasuredRows {
  const names = ['blend', 'popularity', 'coOccurrence', 'mf', 'sequential', 'baselines'] as const;
  return Object.fromEntries(
    names.map((name) => [name, metricsOf(ndcg[name] ?? Array.from({ length: 40 }, () => 0))]),
  ) as MeasuredRows;
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

describe("the profile encoder's columns", () => {
  it('join the blend when the blend with them beats the blend without on every resample, and the safety rule then weighs that blend', () => {
    // with the profile: the better row (mean 0.625); without: the GRU's (0.5); the GRU alone 0.5
    const quality = judgeForYou(
      { ...measured({ blend: gru, sequential: gru }), profileBlend: metricsOf(better) },
      timing,
    );
    expect(quality.profile?.kept).toBe(true);
    // every difference is 0 or +0.5 (10 of 40 players): mean 0.125, never below 0 on a resample
    expect(quality.profile?.difference.mean).toBeCloseTo(0.125);
    expect(quality.profile?.difference.lower).toBeGreaterThan(0);
    expect(quality.profile?.withoutProfile.ndcg.mean).toBeCloseTo(0.5);
    expect(quality.blend.ndcg.mean).toBeCloseTo(0.625);
    expect(quality.serves).toBe('blend');
    expect(quality.ratioToBest).toBeCloseTo(1.25);
  });

  it('are left out when they do not clearly help, and the blend without them is what the safety rule weighs', () => {
    // with the profile: the GRU's row, but player 0's game lost (−1) and player 1's found at the
    // third place (+0.5): the paired difference reaches both sides of zero
    const mixed = gru.map((v, p) => (p === 0 ? 0 : p === 1 ? 0.5 : v));
    const quality = judgeForYou(
      {
        ...measured({ blend: gru, sequential: gru.map((v) => v * 0.8) }),
        profileBlend: metricsOf(mixed),
      },
      timing,
    );
    expect(quality.profile?.kept).toBe(false);
    // (20 − 1 + 0.5) / 40 = 0.4875 with, 0.5 without; difference −0.0125
    expect(quality.profile?.withProfile.ndcg.mean).toBeCloseTo(0.4875);
    expect(quality.profile?.difference.mean).toBeCloseTo(-0.0125);
    expect(quality.profile?.difference.upper).toBeGreaterThan(0);
    // the blend without (0.5) against the GRU's 0.4: still served
    expect(quality.blend.ndcg.mean).toBeCloseTo(0.5);
    expect(quality.serves).toBe('blend');
  });

  it('are not judged when there was no profile encoder', () => {
    expect(judgeForYou(measured({ blend: better, sequential: gru }), timing).profile).toBeNull();
  });

  it('stay only when the paired interval lies wholly above zero', () => {
    const at = (lower: number) => ({ mean: 0.01, lower, upper: 0.02, confidence: 0.95 });
    expect(profileColumnsKept(at(0.001))).toBe(true);
    expect(profileColumnsKept(at(0))).toBe(false);
    expect(profileColumnsKept(at(-0.004))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  blendHelps,
  comparisonOutcome,
  profileComparisons,
  profileQualityFromMetrics,
  profileQualityMetrics,
  profileVerdict,
  type ProfileComparison,
  type ProfileEncoderQuality,
} from './profileModelQuality';

const ci = (mean: number, lower: number, upper: number) => ({ mean, lower, upper, confidence: 0.95 });
const comparison = (difference: [number, number, number]): ProfileComparison => ({
  encoder: ci(0.2, 0.1, 0.3),
  baseline: ci(0.25, 0.15, 0.35),
  difference: ci(...difference),
});
const quality = (blendNdcg: [number, number, number]): ProfileEncoderQuality => ({
  comparisons: {
    'genre log-loss': comparison([-0.002, -0.004, -0.001]),
    'genre AUC': comparison([0, -0.002, 0.002]),
    'price band accuracy': comparison([0.05, 0.02, 0.08]),
    'price band cross-entropy': comparison([-0.17, -0.2, -0.14]),
    'blend HR@10': comparison([0.01, -0.008, 0.028]),
    'blend NDCG@10': comparison(blendNdcg),
  },
  hr: 0.2,
  ndcg: 0.13,
  players: 1500,
  fitPlayers: 1500,
  countedPriorGames: 10,
  blendWeightWith: 0.1,
  blendWeightWithout: 0,
});

describe('the profile model’s card', () => {
  it('round-trips through the flat metrics a model record keeps', () => {
    const original = quality([0.0047, -0.0027, 0.0123]);
    const metrics = profileQualityMetrics(original);
    expect(metrics['HR@10']).toBe(0.2);
    expect(metrics['genre AUC encoder lower']).toBe(0.1);
    expect(metrics['blend NDCG@10 difference upper']).toBe(0.0123);
    expect(profileQualityFromMetrics(metrics)).toEqual(original);
    // a record from before a measure existed is no card, not a card with holes
    const { 'price band accuracy baseline': _dropped, ...older } = metrics;
    expect(profileQualityFromMetrics(older)).toBeNull();
  });

  it('calls a difference better or worse only when its whole interval is on one side of zero', () => {
    const lossDown = comparison([-0.002, -0.004, -0.001]);
    expect(comparisonOutcome(lossDown, true)).toBe('better');
    expect(comparisonOutcome(lossDown, false)).toBe('worse');
    expect(comparisonOutcome(comparison([0.01, -0.008, 0.028]), false)).toBe('tie');
    expect(profileComparisons.map((c) => c.key)).toHaveLength(6);
  });

  it('says whether its genres improve the stand-in blend, and leaves "For you" to the store\'s own blend', () => {
    const tie = quality([0.0047, -0.0027, 0.0123]);
    expect(blendHelps(tie)).toBe(false);
    expect(profileVerdict(tie)).toBe(
      'Its predicted genres do not improve a small stand-in blend (NDCG@10 difference .005 [−.003, .012]); whether it joins "For you" is measured on the store\'s blend itself (the blend\'s card).',
    );
    const gain = quality([0.02, 0.005, 0.035]);
    expect(blendHelps(gain)).toBe(true);
    expect(profileVerdict(gain)).toMatch(/^Its predicted genres improve a small stand-in blend/);
  });
});

// What the learned profile model (ml/models/profileEncoder.ts) is worth, as the store measured it
// on held-out community players, each figure beside its baseline with the paired difference: its
// predicted genre mix against the counted profile's, its predicted price band against the counted
// band shares, and a small blend with its predicted genres against the same blend without them
// (ml/blend/genreBlend.ts). Stored with the model's record as flat numbers, like forYouQuality.ts,
// so a reload shows the same card; the card's verdict is written here.
import type { ConfidenceInterval } from '../ml/eval/statistics';
import { metricText } from './forYouQuality';

/** Each comparison the card shows, in its order. */
export const profileComparisons = [
  {
    key: 'genre log-loss',
    label: 'Genre mix of the next game, log-loss',
    baseline: 'counted profile',
    lowerIsBetter: true,
  },
  {
    key: 'genre AUC',
    label: 'Genre mix of the next game, AUC',
    baseline: 'counted profile',
    lowerIsBetter: false,
  },
  {
    key: 'price band accuracy',
    label: 'Price band of the next game, accuracy',
    baseline: 'counted band shares',
    lowerIsBetter: false,
  },
  {
    key: 'price band cross-entropy',
    label: 'Price band of the next game, cross-entropy',
    baseline: 'counted band shares',
    lowerIsBetter: true,
  },
  {
    key: 'blend HR@10',
    label: 'Blend with its genres, HR@10',
    baseline: 'blend without',
    lowerIsBetter: false,
  },
  {
    key: 'blend NDCG@10',
    label: 'Blend with its genres, NDCG@10',
    baseline: 'blend without',
    lowerIsBetter: false,
  },
] as const;

export type ProfileComparisonKey = (typeof profileComparisons)[number]['key'];

/** The encoder's figure, the baseline's, and the interval of the paired per-player difference. */
export interface ProfileComparison {
  encoder: ConfidenceInterval;
  baseline: ConfidenceInterval;
  /** encoder − baseline, player by player */
  difference: ConfidenceInterval;
}

export interface ProfileEncoderQuality {
  comparisons: Record<ProfileComparisonKey, ProfileComparison>;
  /** the encoder ranking alone, means: the figures every model card carries */
  hr: number;
  ndcg: number;
  /** held-out players measured (none of them among the fitting players) */
  players: number;
  /** players the counted profile's smoothing and the blend's weights were chosen on */
  fitPlayers: number;
  /** the counted profile's pseudo-games of community prior, chosen on the fitting players */
  countedPriorGames: number;
  /** the blend's weight on the genre match, with the encoder's genres and with the counted ones */
  blendWeightWith: number;
  blendWeightWithout: number;
}

const sides = ['encoder', 'baseline', 'difference'] as const;
const plainKeys = [
  'players',
  'fitPlayers',
  'countedPriorGames',
  'blendWeightWith',
  'blendWeightWithout',
] as const;

/** The quality as flat metrics: 'HR@10', 'genre AUC encoder', 'genre AUC encoder lower', … */
export function profileQualityMetrics(quality: ProfileEncoderQuality): Record<string, number> {
  const metrics: Record<string, number> = { 'HR@10': quality.hr, 'NDCG@10': quality.ndcg };
  for (const key of plainKeys) metrics[key] = quality[key];
  for (const { key } of profileComparisons) {
    for (const side of sides) {
      const interval = quality.comparisons[key][side];
      metrics[`${key} ${side}`] = interval.mean;
      metrics[`${key} ${side} lower`] = interval.lower;
      metrics[`${key} ${side} upper`] = interval.upper;
    }
  }
  return metrics;
}

/** The quality back from stored metrics; null when any figure is missing. */
export function profileQualityFromMetrics(
  metrics: Record<string, number>,
  confidence = 0.95,
): ProfileEncoderQuality | null {
  const interval = (prefix: string): ConfidenceInterval | null => {
    const [mean, lower, upper] = [metrics[prefix], metrics[`${prefix} lower`], metrics[`${prefix} upper`]];
    return [mean, lower, upper].every((value) => typeof value === 'number')
      ? { mean, lower, upper, confidence }
      : null;
  };
  const comparisons: Partial<Record<ProfileComparisonKey, ProfileComparison>> = {};
  for (const { key } of profileComparisons) {
    const [encoder, baseline, difference] = sides.map((side) => interval(`${key} ${side}`));
    if (!encoder || !baseline || !difference) return null;
    comparisons[key] = { encoder, baseline, difference };
  }
  const { 'HR@10': hr, 'NDCG@10': ndcg } = metrics;
  if (typeof hr !== 'number' || typeof ndcg !== 'number') return null;
  if (plainKeys.some((key) => typeof metrics[key] !== 'number')) return null;
  return {
    comparisons: comparisons as Record<ProfileComparisonKey, ProfileComparison>,
    hr,
    ndcg,
    players: metrics.players,
    fitPlayers: metrics.fitPlayers,
    countedPriorGames: metrics.countedPriorGames,
    blendWeightWith: metrics.blendWeightWith,
    blendWeightWithout: metrics.blendWeightWithout,
  };
}

/** The encoder clearly better / clearly worse / no different: where the paired interval lies. */
export type ComparisonOutcome = 'better' | 'worse' | 'tie';

export function comparisonOutcome(comparison: ProfileComparison, lowerIsBetter: boolean): ComparisonOutcome {
  const { lower, upper } = comparison.difference;
  if (lower > 0) return lowerIsBetter ? 'worse' : 'better';
  if (upper < 0) return lowerIsBetter ? 'better' : 'worse';
  return 'tie';
}

/**
 * Whether its predicted genres improve the stand-in blend: on NDCG@10 (the store's safety-rule
 * metric) with the whole interval above zero.
 */
export function blendHelps(quality: ProfileEncoderQuality): boolean {
  return comparisonOutcome(quality.comparisons['blend NDCG@10'], false) === 'better';
}

/**
 * The card's sentence on the stand-in blend. Whether the model joins "For you" is decided on the
 * store's own blend, as served (the blend's card: forYouQuality.ts, profileColumnsSentence).
 */
export function profileVerdict(quality: ProfileEncoderQuality): string {
  const { difference } = quality.comparisons['blend NDCG@10'];
  const interval = `${metricText(difference.mean)} [${metricText(difference.lower)}, ${metricText(difference.upper)}]`;
  const standIn = blendHelps(quality) ? 'improve' : 'do not improve';
  return `Its predicted genres ${standIn} a small stand-in blend (NDCG@10 difference ${interval}); whether it joins "For you" is measured on the store's blend itself (the blend's card).`;
}

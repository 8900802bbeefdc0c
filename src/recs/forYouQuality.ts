// What "For you" is worth, as the store measured it on held-out community players: the blend, each
// component alone and the baselines' fixed blend, every one ranked through the real "For you" path,
// with the safety rule's decision of what serves. Stored with the hybrid's model record as flat
// numbers (a record's metrics are a Record<string, number>), so a reload shows and serves the same
// thing without measuring again; the model card's sentence is written from it here.
import type { ConfidenceInterval } from '../ml/eval/statistics';
import { servableComponents, type ForYouServing, type ServableComponent } from './hybrid';

/** HR@10 and NDCG@10 of one way of ranking "For you", with bootstrap intervals over the players. */
export interface RankerQuality {
  hr: ConfidenceInterval;
  ndcg: ConfidenceInterval;
}

/**
 * Whether the profile encoder's columns joined the blend: the blend fitted with them against the
 * blend fitted without, both served to the same held-out players.
 */
export interface ProfileColumnsQuality {
  /** kept only when the paired interval of NDCG@10(with − without) lies above zero */
  kept: boolean;
  withProfile: RankerQuality;
  withoutProfile: RankerQuality;
  /** paired bootstrap interval of NDCG@10(with − without) */
  difference: ConfidenceInterval;
}

export interface ForYouQuality {
  /** what "For you" serves: decided on NDCG@10 by the safety rule */
  serves: ForYouServing;
  /** the blend the safety rule weighed: with the profile's columns when they were kept */
  blend: RankerQuality;
  /** null when there was no profile encoder to try (it could not be trained) */
  profile: ProfileColumnsQuality | null;
  components: Record<ServableComponent, RankerQuality>;
  /** the fixed blend of co-occurrence, genres and popularity that serves before learning */
  baselines: RankerQuality;
  /** the component with the highest NDCG@10 */
  best: ServableComponent;
  /** blend NDCG@10 over the best component's; null when that is 0 */
  ratioToBest: number | null;
  /** paired bootstrap interval of NDCG@10(blend − best component) */
  difference: ConfidenceInterval;
  /** evaluation players (disjoint from the players the blend was fitted on) */
  players: number;
  /** players the blend was fitted on */
  fitPlayers: number;
  fitMs: number;
  measureMs: number;
}

/** How a card names each component. */
export const componentLabels: Record<ServableComponent, string> = {
  popularity: 'popularity',
  coOccurrence: 'item-kNN',
  mf: 'MF',
  sequential: 'GRU',
};

const intervalKeys = ['mean', 'lower', 'upper'] as const;

/** The quality as flat metrics, e.g. 'blend NDCG@10' and 'blend NDCG@10 lower'. */
export function qualityMetrics(quality: ForYouQuality): Record<string, number> {
  const metrics: Record<string, number> = {
    'For you HR@10': servedQuality(quality).hr.mean,
    'For you NDCG@10': servedQuality(quality).ndcg.mean,
    serves: servingCode(quality.serves),
    best: servableComponents.indexOf(quality.best),
    ratioToBest: quality.ratioToBest ?? -1,
    players: quality.players,
    fitPlayers: quality.fitPlayers,
    fitMs: quality.fitMs,
    measureMs: quality.measureMs,
  };
  const put = (prefix: string, interval: ConfidenceInterval) => {
    metrics[prefix] = interval.mean;
    metrics[`${prefix} lower`] = interval.lower;
    metrics[`${prefix} upper`] = interval.upper;
  };
  const rankers: [string, RankerQuality][] = [
    ['blend', quality.blend],
    ['baselines', quality.baselines],
    ...servableComponents.map((c): [string, RankerQuality] => [c, quality.components[c]]),
  ];
  for (const [name, ranker] of rankers) {
    put(`${name} HR@10`, ranker.hr);
    put(`${name} NDCG@10`, ranker.ndcg);
  }
  put('difference NDCG@10', quality.difference);
  const { profile } = quality;
  metrics['profile kept'] = profile === null ? -1 : Number(profile.kept);
  if (profile) {
    put('with profile HR@10', profile.withProfile.hr);
    put('with profile NDCG@10', profile.withProfile.ndcg);
    put('without profile HR@10', profile.withoutProfile.hr);
    put('without profile NDCG@10', profile.withoutProfile.ndcg);
    put('profile difference NDCG@10', profile.difference);
  }
  return metrics;
}

/** The quality back from stored metrics; null for a record that has none (a blend from an older build). */
export function qualityFromMetrics(metrics: Record<string, number>, confidence = 0.95): ForYouQuality | null {
  const interval = (prefix: string): ConfidenceInterval | null => {
    const [mean, lower, upper] = intervalKeys.map((key) =>
      key === 'mean' ? metrics[prefix] : metrics[`${prefix} ${key}`],
    );
    return [mean, lower, upper].every((value) => typeof value === 'number')
      ? { mean, lower, upper, confidence }
      : null;
  };
  const ranker = (name: string): RankerQuality | null => {
    const hr = interval(`${name} HR@10`);
    const ndcg = interval(`${name} NDCG@10`);
    return hr && ndcg ? { hr, ndcg } : null;
  };
  const blend = ranker('blend');
  const baselines = ranker('baselines');
  const withProfile = ranker('with profile');
  const withoutProfile = ranker('without profile');
  const profileDifference = interval('profile difference NDCG@10');
  const profileTried = metrics['profile kept'] === 0 || metrics['profile kept'] === 1;
  if (profileTried && (!withProfile || !withoutProfile || !profileDifference)) return null;
  const difference = interval('difference NDCG@10');
  const components = Object.fromEntries(servableComponents.map((c) => [c, ranker(c)]));
  const best = servableComponents[metrics.best];
  const serves = servingFromCode(metrics.serves);
  if (!blend || !baselines || !difference || !best || !serves) return null;
  if (Object.values(components).some((c) => c === null)) return null;
  return {
    serves,
    blend,
    profile:
      profileTried && withProfile && withoutProfile && profileDifference
        ? { kept: metrics['profile kept'] === 1, withProfile, withoutProfile, difference: profileDifference }
        : null,
    baselines,
    components: components as Record<ServableComponent, RankerQuality>,
    best,
    ratioToBest: metrics.ratioToBest >= 0 ? metrics.ratioToBest : null,
    difference,
    players: metrics.players,
    fitPlayers: metrics.fitPlayers,
    fitMs: metrics.fitMs,
    measureMs: metrics.measureMs,
  };
}

/** −1 for the blend, else the component's place in servableComponents. */
function servingCode(serving: ForYouServing): number {
  return serving === 'blend' ? -1 : servableComponents.indexOf(serving);
}

function servingFromCode(code: number | undefined): ForYouServing | null {
  if (code === -1) return 'blend';
  return code === undefined ? null : (servableComponents[code] ?? null);
}

/** What the shopper gets: the blend's numbers, or the served component's. */
export function servedQuality(quality: ForYouQuality): RankerQuality {
  return quality.serves === 'blend' ? quality.blend : quality.components[quality.serves];
}

/** .131, the way the cards write a metric in [0, 1] */
export const metricText = (value: number) => value.toFixed(3).replace(/^0\./, '.').replace(/^-0\./, '−.');

/**
 * The card's one sentence: "For you: blend, NDCG@10 .131 [.120, .140], 1.14× GRU alone" when the
 * blend serves, "For you uses GRU alone: the blend scored 0.93× it (NDCG@10 .121 against .130)"
 * when a component does.
 */
export function forYouSentence(quality: ForYouQuality): string {
  const best = componentLabels[quality.best];
  const ratio = quality.ratioToBest === null ? null : `${quality.ratioToBest.toFixed(2)}×`;
  if (quality.serves === 'blend') {
    const { ndcg } = quality.blend;
    const interval = `[${metricText(ndcg.lower)}, ${metricText(ndcg.upper)}]`;
    return `For you: blend, NDCG@10 ${metricText(ndcg.mean)} ${interval}${ratio ? `, ${ratio} ${best} alone` : ''}`;
  }
  const served = componentLabels[quality.serves];
  const against = `NDCG@10 ${metricText(quality.blend.ndcg.mean)} against ${metricText(quality.components[quality.serves].ndcg.mean)}`;
  return `For you uses ${served} alone: the blend scored ${ratio ?? 'no better than'}${ratio ? ' it' : ''} (${against})`;
}

const signedMetric = (value: number) => (value > 0 ? `+${metricText(value)}` : metricText(value));

/**
 * The card's line on the profile encoder's columns: "The profile model joined the blend: NDCG@10
 * +.004 [+.001, +.008] over the blend without it", or why it was left out; null when there was no
 * profile model to try.
 */
export function profileColumnsSentence(quality: ForYouQuality): string | null {
  const { profile } = quality;
  if (!profile) return null;
  const { difference: d } = profile;
  const interval = `${signedMetric(d.mean)} [${signedMetric(d.lower)}, ${signedMetric(d.upper)}]`;
  if (profile.kept)
    return `The profile model joined the blend: NDCG@10 ${interval} over the blend without it.`;
  const [withIt, without] = [profile.withProfile.ndcg.mean, profile.withoutProfile.ndcg.mean].map(metricText);
  return `The profile model was left out of the blend: with it NDCG@10 ${withIt}, without ${without} (difference ${interval}, not clearly above zero).`;
}

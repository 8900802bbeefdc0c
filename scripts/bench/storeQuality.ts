// The bench's "store quality" section: "For you" as the store serves it, beside each component
// alone and the baselines' blend, on the store's held-out community players, as the store worker
// measured and posted it (its `models` status). The issue's goal: "For you" ≥ 1.1× its best
// component on HR@10 and NDCG@10, never below it; these lines say plainly whether it is met.
import {
  componentLabels,
  servedQuality,
  type ForYouQuality,
  type RankerQuality,
} from '../../src/recs/forYouQuality';
import { servableComponents } from '../../src/recs/hybrid';
import type { ConfidenceInterval } from '../../src/ml/eval/statistics';

/** The gain over the best component the store is asked for. */
export const storeQualityGoal = 1.1;

const interval = (value: ConfidenceInterval) =>
  `${value.mean.toFixed(3)} [${value.lower.toFixed(3)}, ${value.upper.toFixed(3)}]`;

/** For you's mean over the best component's, per metric; null when the best scored 0. */
export function ratiosToBest(quality: ForYouQuality): { hr: number | null; ndcg: number | null } {
  const served = servedQuality(quality);
  const best = quality.components[quality.best];
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  return { hr: ratio(served.hr.mean, best.hr.mean), ndcg: ratio(served.ndcg.mean, best.ndcg.mean) };
}

export function storeQualityLines(quality: ForYouQuality | null | undefined, trainMode: string): string[] {
  if (!quality)
    return [`store quality: not measured (?train=${trainMode}: learning did not finish in the wait)`];
  const rows: [string, RankerQuality][] = [
    [
      `For you (serves ${quality.serves === 'blend' ? 'the blend' : `${componentLabels[quality.serves]} alone`})`,
      servedQuality(quality),
    ],
    ['blend', quality.blend],
    ...servableComponents.map((c): [string, RankerQuality] => [
      `${componentLabels[c]} alone`,
      quality.components[c],
    ]),
    ['baselines blend', quality.baselines],
  ];
  const width = Math.max(...rows.map(([name]) => name.length)) + 2;
  const { hr, ndcg } = ratiosToBest(quality);
  const times = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(2)}×`);
  const met = hr !== null && ndcg !== null && hr >= storeQualityGoal && ndcg >= storeQualityGoal;
  const best = componentLabels[quality.best];
  return [
    `store quality (?train=${trainMode}): "For you" as served on ${quality.players} held-out community players (blend fitted on ${quality.fitPlayers} others; fit ${(quality.fitMs / 1000).toFixed(1)} s, measurement ${(quality.measureMs / 1000).toFixed(1)} s)`,
    `  ${'ranked by'.padEnd(width)}HR@10 [95%]            NDCG@10 [95%]`,
    ...rows.map(([name, r]) => `  ${name.padEnd(width)}${interval(r.hr).padEnd(23)}${interval(r.ndcg)}`),
    `  decision (NDCG@10, paired bootstrap): blend − ${best} ${interval(quality.difference)} → serves ${quality.serves === 'blend' ? 'the blend' : `${componentLabels[quality.serves]} alone`}`,
    `  For you / best component (${best}): HR@10 ${times(hr)}, NDCG@10 ${times(ndcg)}; goal ≥ ${storeQualityGoal}×: ${met ? 'met' : 'NOT met'}`,
  ];
}

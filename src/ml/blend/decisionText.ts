// The lab hybrid's decision in one line, for the lab page and `npm run eval`'s table: what serves,
// and the numbers the safety rule decided on.
import type { BlendDecision } from './labHybrid';

const four = (value: number) => value.toFixed(4);

/**
 * "served by itemknn: blend NDCG@10 0.0403 [0.0380, 0.0426] is 0.84× itemknn alone (0.0481), on
 * 1200 validation users" or "served by the blend: blend NDCG@10 0.0520 … is 1.08× itemknn alone …".
 */
export function blendDecisionLine(servedBy: string, decision: BlendDecision): string {
  const { ndcg } = decision.blend;
  const best = decision.components.find((c) => c.name === decision.bestComponent);
  const ratio = decision.ratioToBest === null ? 'against' : `${decision.ratioToBest.toFixed(2)}×`;
  const who = servedBy === 'blend' ? 'the blend' : servedBy;
  return (
    `served by ${who}: blend ${decision.metric} ${four(ndcg.mean)} [${four(ndcg.lower)}, ${four(ndcg.upper)}]` +
    ` is ${ratio} ${decision.bestComponent} alone (${four(best?.ndcg.mean ?? NaN)}), on ${decision.users} validation users`
  );
}

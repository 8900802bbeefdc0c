// What "For you" serves: the learned blend only when it measurably beats the best of its own
// components on held-out players, and otherwise that component. A blend that lowers quality is
// never shipped, and the decision carries its numbers so a card can say which is better and by how
// much.
//
// The contract: every vector holds one metric (e.g. NDCG@10) per evaluation player, the same
// players in the same order for the blend and every component (the comparison is paired), and those
// players are disjoint from the players the blend was fitted on (splitFitAndEvalUsers) — on its
// own fitting players a blend is measured on what it was chosen to fit, and would look better than it is.
//
// The rule: the component with the highest mean is the best (a tie goes to the one listed first,
// so list components simplest first); the blend serves only if the lower bound of a seeded paired
// bootstrap interval of mean(blend − best) is above `margin` (0 by default). A tie, or an interval
// that reaches `margin`, keeps the component: it is the simpler thing that is at least as good.
import { bootstrapConfidenceInterval, type ConfidenceInterval } from '../eval/statistics';

export interface RankerMetric {
  name: string;
  /** one value per evaluation player, in the same player order for every ranker */
  perUser: ArrayLike<number>;
}

export interface SafetyRuleOptions {
  /** bootstrap resamples of the evaluation players */
  resamples: number;
  /** e.g. 0.95 */
  confidence: number;
  seed: number;
  /** how far above the best component the interval's lower bound must be, in the metric's units */
  margin: number;
  /** the metric's name for the explanation, e.g. 'NDCG@10' */
  metric: string;
}

export const defaultSafetyRule: SafetyRuleOptions = {
  resamples: 2000,
  confidence: 0.95,
  seed: 0,
  margin: 0,
  metric: 'the metric',
};

export interface RankerSummary {
  name: string;
  mean: number;
  /** percentile bootstrap interval of the mean over the evaluation players */
  interval: ConfidenceInterval;
}

export interface ServingDecision {
  /** the name of what "For you" serves: the blend's or the best component's */
  serve: string;
  servesBlend: boolean;
  blend: RankerSummary;
  /** the component with the highest mean (first listed on a tie) */
  bestComponent: RankerSummary;
  /** every component, in the order given */
  components: RankerSummary[];
  /** paired bootstrap interval of mean(blend − best component) */
  difference: ConfidenceInterval;
  /** the blend's mean over the best component's; null when that mean is 0 */
  ratioToBest: number | null;
  users: number;
  /** one sentence for a model card */
  explanation: string;
}

export function decideServing(
  blend: RankerMetric,
  components: readonly RankerMetric[],
  options: Partial<SafetyRuleOptions> = {},
): ServingDecision {
  const settings = { ...defaultSafetyRule, ...options };
  if (components.length === 0) throw new RangeError('the safety rule needs at least one component');
  const users = blend.perUser.length;
  if (users === 0) throw new RangeError('the safety rule needs at least one evaluation player');
  for (const ranker of [blend, ...components]) checkVector(ranker, users);

  const bootstrap = { resamples: settings.resamples, confidence: settings.confidence, seed: settings.seed };
  const summarise = ({ name, perUser }: RankerMetric): RankerSummary => {
    const interval = bootstrapConfidenceInterval(perUser, bootstrap);
    return { name, mean: interval.mean, interval };
  };
  const blendSummary = summarise(blend);
  const componentSummaries = components.map(summarise);
  let best = 0;
  componentSummaries.forEach((summary, c) => {
    if (summary.mean > componentSummaries[best].mean) best = c;
  });
  const bestComponent = componentSummaries[best];
  const differences = Float64Array.from(
    { length: users },
    (_, u) => blend.perUser[u] - components[best].perUser[u],
  );
  const difference = bootstrapConfidenceInterval(differences, bootstrap);
  const servesBlend = difference.lower > settings.margin;
  const ratioToBest = bestComponent.mean === 0 ? null : blendSummary.mean / bestComponent.mean;
  return {
    serve: servesBlend ? blend.name : bestComponent.name,
    servesBlend,
    blend: blendSummary,
    bestComponent,
    components: componentSummaries,
    difference,
    ratioToBest,
    users,
    explanation: explain(servesBlend, blendSummary, bestComponent, difference, ratioToBest, settings),
  };
}

function checkVector({ name, perUser }: RankerMetric, users: number): void {
  if (perUser.length !== users) {
    throw new RangeError(
      `${name}: ${perUser.length} players, the blend has ${users} (the comparison is paired)`,
    );
  }
  for (let u = 0; u < users; u++) {
    if (!Number.isFinite(perUser[u])) throw new RangeError(`${name}: player ${u} has no finite value`);
  }
}

const three = (value: number) => value.toFixed(3);
const signed = (value: number) => (value >= 0 ? '+' : '−') + three(Math.abs(value));

function explain(
  servesBlend: boolean,
  blend: RankerSummary,
  best: RankerSummary,
  difference: ConfidenceInterval,
  ratio: number | null,
  { metric, confidence, margin }: SafetyRuleOptions,
): string {
  const times = ratio === null ? '' : ` (${ratio.toFixed(2)}×)`;
  const interval = `${Math.round(confidence * 100)}% interval of the difference ${signed(difference.lower)} to ${signed(difference.upper)}`;
  const above = margin > 0 ? `more than ${three(margin)} above` : 'above';
  return servesBlend
    ? `The blend serves: ${metric} ${three(blend.mean)} against ${three(best.mean)} for ${best.name}${times}, ${interval}.`
    : `${best.name} serves, the blend is not reliably ${above} it: ${metric} ${three(blend.mean)} against ${three(best.mean)}${times}, ${interval}.`;
}

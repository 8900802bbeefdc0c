// The blend's pieces together, as the store and the lab will use them: split held-out players, fit
// on one side with pool and catalogue negatives through the serving scaler, measure NDCG@10 on the
// other side, and let the safety rule decide what serves.
import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { softmaxDraw } from '../testSupport/softmaxDraw';
import { drawNegatives, rankingCase } from './rankCases';
import { fitRankingWeights } from './rankFit';
import { decideServing } from './safetyRule';
import { splitFitAndEvalUsers } from './userSplit';

const items = 300;
const perComponent = 20;

interface Player {
  /** each component's score per item */
  components: number[][];
  target: number;
}

/**
 * Players whose utility is a + b, picked by softmax(2 · utility). Component 0 sees a, component 1
 * sees b (or, when `secondIsNoise`, nothing but noise and the utility is a alone), both with noise;
 * component 2 is a global popularity that has nothing to do with the pick.
 */
function players(count: number, secondIsNoise: boolean, seed: number): Player[] {
  const rng = createRng(seed);
  const popularity = Array.from({ length: items }, () => rng.next());
  return Array.from({ length: count }, () => {
    const a = popularity.map(() => rng.nextNormal());
    const b = popularity.map(() => rng.nextNormal());
    const utility = a.map((value, i) => (secondIsNoise ? value : value + b[i]));
    const seen = (values: number[]) => values.map((value) => value + 0.3 * rng.nextNormal());
    const second = secondIsNoise ? popularity.map(() => rng.nextNormal()) : seen(b);
    return {
      components: [seen(a), second, popularity],
      target: softmaxDraw(
        utility.map((u) => 2 * u),
        rng,
      ),
    };
  });
}

function candidatePool(player: Player): number[] {
  const pool = new Set<number>();
  for (const scores of player.components) {
    const order = [...scores.keys()].sort((x, y) => scores[y] - scores[x] || x - y);
    for (const item of order.slice(0, perComponent)) pool.add(item);
  }
  return [...pool];
}

/** The serving scaler: each component min-max scaled over the player's pool. */
function servingFeatures(player: Player): (item: number) => number[] {
  const pool = candidatePool(player);
  const scaling = player.components.map((scores) => {
    const low = Math.min(...pool.map((item) => scores[item]));
    return { low, span: Math.max(...pool.map((item) => scores[item])) - low };
  });
  return (item) => player.components.map((scores, c) => (scores[item] - scaling[c].low) / scaling[c].span);
}

/** NDCG@10 of the target when every item is ranked by `score` (ties count against the target). */
function ndcgAt10(score: (item: number) => number, target: number): number {
  const targetScore = score(target);
  let above = 0;
  for (let item = 0; item < items; item++) if (item !== target && score(item) >= targetScore) above++;
  return above < 10 ? 1 / Math.log2(above + 2) : 0;
}

function fitAndJudge(all: Player[]) {
  const { fit, evaluation } = splitFitAndEvalUsers(
    all.map((_, id) => id),
    11,
    0.5,
  );
  const rng = createRng(12);
  const cases = fit.map((id) => {
    const player = all[id];
    const negatives = drawNegatives(
      candidatePool(player),
      player.target,
      items,
      new Set(),
      { pool: 20, catalogue: 20 },
      rng,
    );
    return rankingCase(servingFeatures(player), player.target, negatives);
  });
  const { weights } = fitRankingWeights(cases);
  const blend = evaluation.map((id) => {
    const features = servingFeatures(all[id]);
    const scores = Array.from({ length: items }, (_, item) =>
      features(item).reduce((sum, x, f) => sum + weights[f] * x, 0),
    );
    return ndcgAt10((item) => scores[item], all[id].target);
  });
  const components = ['taste-a', 'taste-b', 'popularity'].map((name, c) => ({
    name,
    perUser: evaluation.map((id) => ndcgAt10((item) => all[id].components[c][item], all[id].target)),
  }));
  return {
    weights,
    decision: decideServing({ name: 'blend', perUser: blend }, components, { metric: 'NDCG@10' }),
  };
}

describe('fit on some players, judge on others', () => {
  it('serves the blend when its components see different halves of the taste', () => {
    // seed 1 gives weights (3.01, 2.97, −0.22) and NDCG@10 .464 against .214 for the better half
    const { weights, decision } = fitAndJudge(players(800, false, 1));
    expect(weights[0]).toBeGreaterThan(0);
    expect(weights[1]).toBeGreaterThan(0);
    expect(Math.abs(weights[2])).toBeLessThan(0.2 * Math.min(weights[0], weights[1]));
    expect(decision.servesBlend).toBe(true);
    expect(decision.ratioToBest).toBeGreaterThan(1.1);
  });

  it('serves the one useful component when the other sees only noise', () => {
    // the blend cannot add anything here; seed 2 measures it at 0.97× taste-a, interval below 0
    const { decision } = fitAndJudge(players(800, true, 2));
    expect(decision.bestComponent.name).toBe('taste-a');
    expect(decision.servesBlend).toBe(false);
    expect(decision.serve).toBe('taste-a');
  });
});

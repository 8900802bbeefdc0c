import { describe, expect, it } from 'vitest';
import { decideServing } from './safetyRule';

const plus = (values: readonly number[], shift: number) => values.map((value) => value + shift);
// ten players' NDCG@10 for a component
const gru = [0.5, 0.2, 0, 1, 0.3, 0, 0.6, 0.4, 0, 0.5];
// mean 3.5 / 10
const gruMean = 0.35;

describe('decideServing', () => {
  it('serves the blend when it beats the best component on every player', () => {
    // blend = gru + 0.1 for each player: every resample's mean difference is exactly 0.1
    const decision = decideServing({ name: 'blend', perUser: plus(gru, 0.1) }, [
      { name: 'popularity', perUser: gru.map(() => 0.1) },
      { name: 'gru', perUser: gru },
    ]);
    expect(decision.servesBlend).toBe(true);
    expect(decision.serve).toBe('blend');
    expect(decision.bestComponent.name).toBe('gru');
    expect(decision.bestComponent.mean).toBeCloseTo(gruMean, 12);
    expect(decision.blend.mean).toBeCloseTo(0.45, 12);
    expect(decision.difference.mean).toBeCloseTo(0.1, 12);
    expect(decision.difference.lower).toBeCloseTo(0.1, 12);
    expect(decision.difference.upper).toBeCloseTo(0.1, 12);
    expect(decision.ratioToBest).toBeCloseTo(0.45 / 0.35, 12);
    expect(decision.users).toBe(10);
    expect(decision.components.map((c) => c.name)).toEqual(['popularity', 'gru']);
  });

  it('serves the best component when the blend is worse on every player', () => {
    const decision = decideServing({ name: 'blend', perUser: plus(gru, -0.05) }, [
      { name: 'gru', perUser: gru },
    ]);
    expect(decision.servesBlend).toBe(false);
    expect(decision.serve).toBe('gru');
    expect(decision.difference.upper).toBeCloseTo(-0.05, 12);
    expect(decision.ratioToBest).toBeCloseTo(0.3 / 0.35, 12);
  });

  it('keeps the component when the blend is ahead on average but not reliably', () => {
    // differences ±0.5 (five +, four −, one 0): mean 0.05 over ten players, but a resample of ten
    // such differences falls below 0 far more often than 2.5% of the time
    const signs = [1, -1, 1, -1, 1, -1, 1, -1, 1, 0];
    const component = gru.map(() => 0.5);
    const blend = component.map((value, u) => value + 0.5 * signs[u]);
    const decision = decideServing({ name: 'blend', perUser: blend }, [{ name: 'mf', perUser: component }]);
    expect(decision.blend.mean).toBeGreaterThan(decision.bestComponent.mean);
    expect(decision.difference.mean).toBeCloseTo(0.05, 12);
    expect(decision.difference.lower).toBeLessThan(0);
    expect(decision.servesBlend).toBe(false);
    expect(decision.serve).toBe('mf');
  });

  it('gives ties to the simpler side: the first-listed component, and the component over the blend', () => {
    // equal means 0.3, different players
    const popularity = [0.3, 0.3, 0.3, 0.3];
    const itemKnn = [0.6, 0, 0.6, 0];
    const decision = decideServing({ name: 'blend', perUser: popularity }, [
      { name: 'popularity', perUser: popularity },
      { name: 'itemknn', perUser: itemKnn },
    ]);
    expect(decision.bestComponent.name).toBe('popularity');
    // the blend equals it on every player: difference exactly 0, not above 0
    expect(decision.difference.lower).toBe(0);
    expect(decision.serve).toBe('popularity');
    expect(decision.ratioToBest).toBe(1);
  });

  it('asks for more than the margin', () => {
    const blend = { name: 'blend', perUser: plus(gru, 0.1) };
    const components = [{ name: 'gru', perUser: gru }];
    expect(decideServing(blend, components, { margin: 0.05 }).servesBlend).toBe(true);
    // lower bound 0.1 (up to rounding) is not more than a margin of 0.1 + ε
    expect(decideServing(blend, components, { margin: 0.1 + 1e-9 }).servesBlend).toBe(false);
  });

  it('has no ratio when the best component scores 0, and says what it decided', () => {
    const decision = decideServing(
      { name: 'blend', perUser: [0.2, 0.4] },
      [{ name: 'popularity', perUser: [0, 0] }],
      {
        metric: 'NDCG@10',
      },
    );
    expect(decision.ratioToBest).toBeNull();
    expect(decision.servesBlend).toBe(true);
    expect(decision.explanation).toBe(
      'The blend serves: NDCG@10 0.300 against 0.000 for popularity, 95% interval of the difference +0.200 to +0.400.',
    );
    const kept = decideServing(
      { name: 'blend', perUser: [0.1, 0.1] },
      [{ name: 'gru', perUser: [0.2, 0.2] }],
      {
        metric: 'NDCG@10',
      },
    );
    expect(kept.explanation).toBe(
      'gru serves, the blend is not reliably above it: NDCG@10 0.100 against 0.200 (0.50×), 95% interval of the difference −0.100 to −0.100.',
    );
  });

  it('is the same for the same seed, and the seed matters', () => {
    const blend = { name: 'blend', perUser: gru.map((value, u) => value + (u % 3) * 0.05) };
    const components = [{ name: 'gru', perUser: gru }];
    const first = decideServing(blend, components, { seed: 3 });
    expect(decideServing(blend, components, { seed: 3 })).toEqual(first);
    expect(decideServing(blend, components, { seed: 4 }).difference).not.toEqual(first.difference);
  });

  it('refuses vectors it cannot pair', () => {
    const blend = { name: 'blend', perUser: [0.1, 0.2] };
    expect(() => decideServing(blend, [])).toThrow('at least one component');
    expect(() => decideServing({ name: 'blend', perUser: [] }, [{ name: 'gru', perUser: [] }])).toThrow(
      'at least one evaluation player',
    );
    expect(() => decideServing(blend, [{ name: 'gru', perUser: [0.1] }])).toThrow('gru: 1 players');
    expect(() => decideServing(blend, [{ name: 'gru', perUser: [0.1, NaN] }])).toThrow('player 1');
  });
});

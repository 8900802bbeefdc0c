import { describe, expect, it } from 'vitest';
import {
  defaultFederatedConfig,
  type FederatedArm,
  type FederatedReport,
} from '../../src/ml/federated/simulate';
import { parseFederateArgs, UsageError } from './args';
import { formatFederatedTable } from './table';

describe('parseFederateArgs', () => {
  it('reads every flag into the configuration', () => {
    const { data, config, json } = parseFederateArgs([
      '--data',
      'a.txt',
      '--rounds',
      '30',
      '--q',
      '0.2',
      '--clip',
      '1.5',
      '--epsilons',
      '2, 8',
      '--json',
      'o.json',
    ]);
    expect(data).toBe('a.txt');
    expect(json).toBe('o.json');
    expect(config).toEqual({
      ...defaultFederatedConfig,
      rounds: 30,
      samplingRate: 0.2,
      clipNorm: 1.5,
      targetEpsilons: [2, 8],
    });
  });

  it('refuses missing data, bad numbers and unknown flags with a message', () => {
    expect(() => parseFederateArgs(['--rounds', '3'])).toThrow(/--data is required/);
    expect(() => parseFederateArgs(['--data', 'a', '--rounds', '2.5'])).toThrow(
      /--rounds needs a positive whole number/,
    );
    expect(() => parseFederateArgs(['--data', 'a', '--q', '1.5'])).toThrow(/at most 1/);
    expect(() => parseFederateArgs(['--data', 'a', '--epsilons', '1,x'])).toThrow(/--epsilons/);
    expect(() => parseFederateArgs(['--data', 'a', '--wat', '1'])).toThrow(UsageError);
    expect(() => parseFederateArgs(['--data'])).toThrow(/needs a value/);
  });
});

describe('formatFederatedTable', () => {
  const ci = (mean: number) => ({ mean, lower: mean - 0.01, upper: mean + 0.01, confidence: 0.95 });
  const arm = (kind: FederatedArm['kind'], epsilon: number | null, ndcg: number): FederatedArm => ({
    kind,
    epsilon,
    noiseMultiplier: epsilon === null ? 0 : 1.25,
    hitRate: ci(ndcg * 2),
    ndcg: ci(ndcg),
    curve: [],
    clippedShare: 0,
  });

  it('labels each arm and gives NDCG as a share of central training', () => {
    const report: FederatedReport = {
      clients: 10,
      items: 5,
      evaluatedUsers: 10,
      delta: 0.1,
      config: defaultFederatedConfig,
      arms: [arm('central', null, 0.04), arm('federated', 4, 0.01), arm('federated', null, 0.03)],
    };
    const lines = formatFederatedTable(report).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/central \(no privacy\) .*0\.0400 \[0\.0300, 0\.0500\].*100%/);
    expect(lines[3]).toMatch(/federated, ε = 4 .*1\.250.*25%/);
    expect(lines[4]).toMatch(/federated, ε = ∞ .*75%/);
  });
});

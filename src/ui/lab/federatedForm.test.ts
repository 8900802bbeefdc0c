import { describe, expect, it } from 'vitest';
import { defaultFederatedConfig } from '../../ml/federated/simulate';
import { defaultFederatedFields, federatedConfigFromFields } from './federatedForm';

describe('federatedConfigFromFields', () => {
  it('reads the fields over the defaults, ten curve points over the rounds', () => {
    const config = federatedConfigFromFields({
      rounds: '40',
      samplingRate: '0.2',
      clipNorm: '1',
      epsilons: '2, 8,',
      centralEpochs: '4',
    });
    expect(config).toEqual({
      ...defaultFederatedConfig,
      rounds: 40,
      samplingRate: 0.2,
      clipNorm: 1,
      targetEpsilons: [2, 8],
      centralEpochs: 4,
      curveEvery: 4,
    });
    expect(federatedConfigFromFields(defaultFederatedFields).targetEpsilons).toEqual([1, 4, 8]);
  });

  it('names the field that is wrong', () => {
    const bad = (change: Partial<typeof defaultFederatedFields>) => () =>
      federatedConfigFromFields({ ...defaultFederatedFields, ...change });
    expect(bad({ rounds: '2.5' })).toThrow(/Rounds must be a positive whole number/);
    expect(bad({ samplingRate: '1.5' })).toThrow(/at most 1/);
    expect(bad({ clipNorm: '' })).toThrow(/clip norm C/);
    expect(bad({ epsilons: '4, abc' })).toThrow(/Each ε/);
  });
});

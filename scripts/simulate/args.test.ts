import { describe, expect, it } from 'vitest';
import { defaultSimulationSettings } from '../../src/recs/sim/settings';
import { parseSimulateArgs, UsageError } from './args';

describe('parseSimulateArgs', () => {
  it('reads every flag into the settings', () => {
    const { settings, json } = parseSimulateArgs(
      '--strategies popularity,blend+offers --shoppers 200 --seed 7 --sessions 2 --budget 5 --resamples 300 --json out.json'.split(
        ' ',
      ),
    );
    expect(settings).toMatchObject({
      strategies: ['popularity', 'blend+offers'],
      shoppers: 200,
      seed: 7,
      sessions: 2,
      resamples: 300,
    });
    expect(settings.offerPolicy.budgetPerShopper).toBe(5);
    expect(json).toBe('out.json');
  });

  it('keeps the defaults without flags', () => {
    expect(parseSimulateArgs([])).toEqual({ settings: defaultSimulationSettings, json: null });
  });

  it('names what is wrong', () => {
    expect(() => parseSimulateArgs(['--shoppers', '0'])).toThrow(/positive whole number/);
    expect(() => parseSimulateArgs(['--strategies', 'mf'])).toThrow(UsageError);
    expect(() => parseSimulateArgs(['--seed'])).toThrow(/needs a value/);
    expect(() => parseSimulateArgs(['--budget', '-1'])).toThrow(/dollars/);
    expect(() => parseSimulateArgs(['--colour', 'red'])).toThrow(/unknown flag --colour/);
  });
});

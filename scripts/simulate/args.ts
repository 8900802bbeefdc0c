// Flags of `npm run simulate`, parsed into the simulator's settings.
import { defaultSimulationSettings, type SimulationSettings } from '../../src/recs/sim/settings';
import { parseStrategy } from '../../src/recs/sim/strategies';

export class UsageError extends Error {}

export const usage = `Usage: npm run simulate -- [options]
  --strategies a,b   strategies to serve (popularity, itemknn, blend, diverse; add +offers), default popularity,blend
  --shoppers N       simulated shoppers (default ${defaultSimulationSettings.shoppers})
  --seed S           seed of the population and the shoppers' luck (default ${defaultSimulationSettings.seed})
  --sessions N       rows each shopper is shown (default ${defaultSimulationSettings.sessions})
  --budget D         the most discount, in dollars, one shopper may be offered (default ${defaultSimulationSettings.offerPolicy.budgetPerShopper})
  --resamples N      bootstrap resamples (default ${defaultSimulationSettings.resamples})
  --json F           also write the full report as JSON to F`;

export interface SimulateArgs {
  settings: SimulationSettings;
  json: string | null;
}

function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`${flag} needs a positive whole number, got "${value}"`);
  return n;
}

export function parseSimulateArgs(argv: readonly string[]): SimulateArgs {
  const settings: SimulationSettings = { ...defaultSimulationSettings };
  let json: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    i++;
    switch (flag) {
      case '--strategies':
        settings.strategies = value.split(',').filter((name) => name.trim() !== '');
        try {
          settings.strategies.forEach(parseStrategy);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
        break;
      case '--shoppers':
        settings.shoppers = positiveInteger(flag, value);
        break;
      case '--seed':
        settings.seed = Number(value);
        if (!Number.isInteger(settings.seed))
          throw new UsageError(`--seed needs a whole number, got "${value}"`);
        break;
      case '--sessions':
        settings.sessions = positiveInteger(flag, value);
        break;
      case '--resamples':
        settings.resamples = positiveInteger(flag, value);
        break;
      case '--budget': {
        const budget = Number(value);
        if (!(budget >= 0)) throw new UsageError(`--budget needs dollars (0 or more), got "${value}"`);
        settings.offerPolicy = { ...settings.offerPolicy, budgetPerShopper: budget };
        break;
      }
      case '--json':
        json = value;
        break;
      default:
        throw new UsageError(`unknown flag ${flag}`);
    }
  }
  if (settings.strategies.length === 0) throw new UsageError('--strategies needs at least one strategy');
  return { settings, json };
}

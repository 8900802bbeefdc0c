// Flags of `npm run federate`, parsed into the federated simulation's configuration.
import { defaultFederatedConfig, type FederatedConfig } from '../../src/ml/federated/simulate';

export class UsageError extends Error {}

const d = defaultFederatedConfig;
export const usage = `Usage: npm run federate -- --data FILE [options]
  --data F            a sequence file ("userId item1 item2 …", e.g. LastFM.txt) or the store's community.bin
  --rounds R          federated rounds (default ${d.rounds})
  --q Q               each client's chance of taking part in a round (default ${d.samplingRate})
  --clip C            the L2 bound on one client's update (default ${d.clipNorm})
  --epsilons a,b      finite privacy budgets to simulate; ε = ∞ and central are always added (default ${d.targetEpsilons.join(',')})
  --dim D             item vector length (default ${d.dim})
  --server-lr η       server learning rate (default ${d.serverLearningRate})
  --central-epochs E  passes of the central reference (default ${d.centralEpochs})
  --curve-every N     measure the curves every N rounds (default ${d.curveEvery})
  --curve-users N     users the curves are measured on (default ${d.curveUsers})
  --seed S            (default ${d.seed})
  --json F            also write the report, curves included, as JSON to F`;

export interface FederateArgs {
  data: string;
  config: FederatedConfig;
  json: string | null;
}

function positiveNumber(flag: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} needs a positive ${integer ? 'whole number' : 'number'}, got "${value}"`);
  }
  return n;
}

const integerFlags: Record<string, keyof FederatedConfig> = {
  '--rounds': 'rounds',
  '--dim': 'dim',
  '--central-epochs': 'centralEpochs',
  '--curve-every': 'curveEvery',
  '--curve-users': 'curveUsers',
  '--seed': 'seed',
};
const numberFlags: Record<string, keyof FederatedConfig> = {
  '--q': 'samplingRate',
  '--clip': 'clipNorm',
  '--server-lr': 'serverLearningRate',
};

export function parseFederateArgs(argv: readonly string[]): FederateArgs {
  const config: Record<string, unknown> = { ...defaultFederatedConfig };
  let data: string | null = null;
  let json: string | null = null;
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    if (flag in integerFlags) config[integerFlags[flag]] = positiveNumber(flag, value, true);
    else if (flag in numberFlags) config[numberFlags[flag]] = positiveNumber(flag, value, false);
    else if (flag === '--epsilons')
      config.targetEpsilons = value.split(',').map((part) => positiveNumber(flag, part.trim(), false));
    else if (flag === '--data') data = value;
    else if (flag === '--json') json = value;
    else throw new UsageError(`unknown option ${flag}`);
  }
  if (data === null) throw new UsageError('--data is required');
  if (Number(config.samplingRate) > 1) throw new UsageError('--q must be at most 1');
  return { data, config: config as unknown as FederatedConfig, json };
}

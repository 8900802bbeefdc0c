// The lab's federated simulation form: the few fields a researcher changes, read into a full
// configuration (the rest from the defaults), with a message naming the field that is wrong.
import { defaultFederatedConfig, type FederatedConfig } from '../../ml/federated/simulate';

export interface FederatedFormFields {
  rounds: string;
  samplingRate: string;
  clipNorm: string;
  epsilons: string;
  centralEpochs: string;
}

export const defaultFederatedFields: FederatedFormFields = {
  rounds: '20',
  samplingRate: String(defaultFederatedConfig.samplingRate),
  clipNorm: String(defaultFederatedConfig.clipNorm),
  epsilons: defaultFederatedConfig.targetEpsilons.join(', '),
  centralEpochs: '3',
};

function positive(text: string, what: string, integer: boolean): number {
  const value = Number(text.trim());
  if (
    text.trim() === '' ||
    !(value > 0) ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value))
  ) {
    throw new RangeError(`${what} must be a positive ${integer ? 'whole number' : 'number'}, got "${text}".`);
  }
  return value;
}

/** The configuration the fields describe; throws a RangeError that names the bad field. */
export function federatedConfigFromFields(fields: FederatedFormFields): FederatedConfig {
  const samplingRate = positive(fields.samplingRate, 'The sampling rate q', false);
  if (samplingRate > 1)
    throw new RangeError(`The sampling rate q must be at most 1, got "${fields.samplingRate}".`);
  const rounds = positive(fields.rounds, 'Rounds', true);
  return {
    ...defaultFederatedConfig,
    rounds,
    samplingRate,
    clipNorm: positive(fields.clipNorm, 'The clip norm C', false),
    targetEpsilons: fields.epsilons
      .split(',')
      .filter((part) => part.trim() !== '')
      .map((part) => positive(part, 'Each ε', false)),
    centralEpochs: positive(fields.centralEpochs, 'Central epochs', true),
    curveEvery: Math.max(1, Math.round(rounds / 10)),
  };
}

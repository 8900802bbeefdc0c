// A federated simulation: a dataset's users are the clients. Each round samples every client
// independently with probability q; each sampled client trains locally from the current global
// item vectors (./localMf.ts) and the server applies DP-FedAvg (./aggregate.ts). The accountant
// picks the noise multiplier z that spends exactly the target ε over the run at δ = 1/N; ε = ∞
// (no noise, still clipped) and central training (every user's steps applied directly, no
// clipping, no noise) are the references. Every arm starts from the same seeded table and sees
// the same sampled clients, so their differences are the privacy mechanism's, not luck's.
import { userRow, type InteractionMatrix } from '../interactions';
import { bootstrapConfidenceInterval, mean, type ConfidenceInterval } from '../eval/statistics';
import { leaveOneOutSplit, evaluatedUsers } from '../eval/splits';
import { DEFAULT_ORDERS, noiseMultiplierForEpsilon } from '../privacy/accountant';
import { createRng, deriveSeed, sampleWithoutReplacement } from '../random';
import { applyRound } from './aggregate';
import { evaluateItemFactors } from './evaluate';
import {
  defaultLocalMfOptions,
  initialItemFactors,
  localMfDelta,
  type ItemDelta,
  type LocalMfOptions,
} from './localMf';

export interface FederatedConfig {
  dim: number;
  rounds: number;
  /** q: each client's chance of taking part in a round */
  samplingRate: number;
  /** C, the L2 bound on one client's update */
  clipNorm: number;
  serverLearningRate: number;
  local: LocalMfOptions;
  /** passes over every user for the central reference */
  centralEpochs: number;
  /** the finite budgets to simulate; ε = ∞ is always added */
  targetEpsilons: number[];
  /** evaluate the curves every this many rounds (and after the last) */
  curveEvery: number;
  /** how many evaluated users (a seeded sample) score the curves; the final table uses all */
  curveUsers: number;
  /** standard deviation of the initial item vectors */
  initScale: number;
  seed: number;
}

export const defaultFederatedConfig: FederatedConfig = {
  dim: 16,
  rounds: 50,
  samplingRate: 0.1,
  clipNorm: 0.5,
  // item rows are sparse: one is touched by a few of the qN clients the sum is divided by, so
  // FedAvg's η = 1 barely moves it (HR@10 .002 after 30 rounds on Last.fm; η = 10: .046)
  serverLearningRate: 10,
  local: defaultLocalMfOptions,
  centralEpochs: 5,
  targetEpsilons: [1, 4, 8],
  curveEvery: 5,
  curveUsers: 300,
  initScale: 0.1,
  seed: 7,
};

export interface CurvePoint {
  /** the round (or, for central training, the epoch) after which it was measured */
  step: number;
  hitRate: number;
  ndcg: number;
}

export interface FederatedArm {
  kind: 'central' | 'federated';
  /** the ε spent at δ; null when no noise is added (ε = ∞) */
  epsilon: number | null;
  /** z; 0 without noise */
  noiseMultiplier: number;
  hitRate: ConfidenceInterval;
  ndcg: ConfidenceInterval;
  curve: CurvePoint[];
  /** the mean share of sampled clients whose update was clipped (federated arms) */
  clippedShare: number;
}

export interface FederatedReport {
  clients: number;
  items: number;
  evaluatedUsers: number;
  delta: number;
  config: FederatedConfig;
  arms: FederatedArm[];
}

/** The arm's name in tables and charts. */
export function armLabel(arm: Pick<FederatedArm, 'kind' | 'epsilon'>): string {
  if (arm.kind === 'central') return 'central (no privacy)';
  return arm.epsilon === null ? 'federated, ε = ∞' : `federated, ε = ${arm.epsilon}`;
}

export interface FederatedProgress {
  arm: string;
  step: number;
  steps: number;
}

export interface FederatedHooks {
  onProgress?: (progress: FederatedProgress) => void;
  /** awaited between rounds, so a worker can answer messages (and throw to stop) */
  betweenRounds?: () => Promise<void>;
}

/** Poisson sampling: each client joins round `round` with probability q, from a per-round stream. */
export function sampleClients(
  clients: readonly number[],
  samplingRate: number,
  seed: number,
  round: number,
): number[] {
  const rng = createRng(deriveSeed(seed, round));
  return clients.filter(() => rng.next() < samplingRate);
}

/**
 * The RDP orders the simulation accounts at: Opacus's default grid (1.1…10.9 by tenths, then
 * 12…63). Its fractional orders spend less than the integers 2…64 would at the same z (z = 1.209
 * instead of 1.221 for ε = 4, q = 0.1, 100 rounds, δ = 1/1090), so each arm adds less noise for
 * the same budget.
 */
export const federatedOrders: readonly number[] = DEFAULT_ORDERS;

/** The z whose run of `rounds` sampled Gaussian steps at rate q spends `epsilon` at δ. */
export function noiseForBudget(epsilon: number, samplingRate: number, rounds: number, delta: number): number {
  return noiseMultiplierForEpsilon({
    orders: federatedOrders,
    targetEpsilon: epsilon,
    delta,
    samplingRate,
    steps: rounds,
    tolerance: 1e-4,
  });
}

interface Experiment {
  train: InteractionMatrix;
  fold: { history: InteractionMatrix; targets: InteractionMatrix };
  clients: number[];
  testUsers: Int32Array;
  curveUsers: Int32Array;
  config: FederatedConfig;
}

function clientRng(seed: number, round: number, client: number) {
  return createRng(deriveSeed(deriveSeed(seed, round), client + 1));
}

function curvePoint(experiment: Experiment, factors: Float32Array, step: number): CurvePoint {
  const { fold, curveUsers, config } = experiment;
  const metrics = evaluateItemFactors(factors, config.dim, fold, curveUsers, config.local.foldInL2);
  return { step, hitRate: mean(metrics.hitRate), ndcg: mean(metrics.ndcg) };
}

function finalMetrics(experiment: Experiment, factors: Float32Array) {
  const { fold, testUsers, config } = experiment;
  const metrics = evaluateItemFactors(factors, config.dim, fold, testUsers, config.local.foldInL2);
  const options = { seed: config.seed };
  return {
    hitRate: bootstrapConfidenceInterval(metrics.hitRate, options),
    ndcg: bootstrapConfidenceInterval(metrics.ndcg, options),
  };
}

const isCurveStep = (step: number, last: number, every: number) => step === last || step % every === 0;

async function runFederatedArm(
  experiment: Experiment,
  epsilon: number | null,
  noiseMultiplier: number,
  hooks: FederatedHooks,
): Promise<FederatedArm> {
  const { train, clients, config } = experiment;
  const { dim, rounds, seed } = config;
  const factors = initialItemFactors(train.itemCount, dim, config.initScale, seed);
  const curve: CurvePoint[] = [curvePoint(experiment, factors, 0)];
  const label = epsilon === null ? 'ε = ∞' : `ε = ${epsilon}`;
  const noiseRng = createRng(deriveSeed(seed ^ 0x5f3759df, Math.round((epsilon ?? 0) * 1000)));
  let clippedShares = 0;
  for (let round = 1; round <= rounds; round++) {
    const sampled = sampleClients(clients, config.samplingRate, seed, round);
    const deltas: ItemDelta[] = sampled.map((client) =>
      localMfDelta(
        factors,
        dim,
        Array.from(userRow(train, client)),
        config.local,
        clientRng(seed, round, client),
      ),
    );
    const summary = applyRound(
      factors,
      dim,
      deltas,
      {
        clipNorm: config.clipNorm,
        noiseMultiplier,
        expectedClients: config.samplingRate * clients.length,
        serverLearningRate: config.serverLearningRate,
      },
      noiseRng,
    );
    clippedShares += summary.clients > 0 ? summary.clipped / summary.clients : 0;
    if (isCurveStep(round, rounds, config.curveEvery)) curve.push(curvePoint(experiment, factors, round));
    hooks.onProgress?.({ arm: label, step: round, steps: rounds });
    await hooks.betweenRounds?.();
  }
  return {
    kind: 'federated',
    epsilon,
    noiseMultiplier,
    ...finalMetrics(experiment, factors),
    curve,
    clippedShare: rounds > 0 ? clippedShares / rounds : 0,
  };
}

/** Central SGD: every user, in a seeded order each epoch, applies their local steps to the table directly. */
async function runCentralArm(experiment: Experiment, hooks: FederatedHooks): Promise<FederatedArm> {
  const { train, clients, config } = experiment;
  const { dim, seed, centralEpochs } = config;
  const factors = initialItemFactors(train.itemCount, dim, config.initScale, seed);
  const curve: CurvePoint[] = [curvePoint(experiment, factors, 0)];
  for (let epoch = 1; epoch <= centralEpochs; epoch++) {
    const order = sampleWithoutReplacement(clients, clients.length, createRng(deriveSeed(seed, -epoch)));
    for (const client of order) {
      const delta = localMfDelta(
        factors,
        dim,
        Array.from(userRow(train, client)),
        config.local,
        clientRng(seed, -epoch, client),
      );
      for (const [item, row] of delta) for (let k = 0; k < dim; k++) factors[item * dim + k] += row[k];
    }
    curve.push(curvePoint(experiment, factors, epoch));
    hooks.onProgress?.({ arm: 'central', step: epoch, steps: centralEpochs });
    await hooks.betweenRounds?.();
  }
  return {
    kind: 'central',
    epsilon: null,
    noiseMultiplier: 0,
    ...finalMetrics(experiment, factors),
    curve,
    clippedShare: 0,
  };
}

/** Checks a configuration once, with a message that names the bad field. */
export function validateFederatedConfig(config: FederatedConfig): void {
  const positiveIntegers: [string, number][] = [
    ['dim', config.dim],
    ['rounds', config.rounds],
    ['curveEvery', config.curveEvery],
    ['curveUsers', config.curveUsers],
  ];
  for (const [name, value] of positiveIntegers) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`${name} must be a whole number >= 1, got ${value}.`);
  }
  if (!(config.samplingRate > 0 && config.samplingRate <= 1)) {
    throw new RangeError(`The sampling rate q must lie in (0, 1], got ${config.samplingRate}.`);
  }
  if (!(config.clipNorm > 0))
    throw new RangeError(`The clipping norm C must be > 0, got ${config.clipNorm}.`);
  for (const epsilon of config.targetEpsilons) {
    if (!(epsilon > 0) || !Number.isFinite(epsilon))
      throw new RangeError(`Each target ε must be a finite number > 0, got ${epsilon}.`);
  }
}

/**
 * The whole comparison on one dataset, leave-one-out (each user's last item is the test target,
 * their earlier items the history; the item before it is kept out of training as in the lab).
 * Arms: central, then each target ε ascending, then ε = ∞.
 */
export async function runFederatedExperiment(
  data: InteractionMatrix,
  config: FederatedConfig,
  hooks: FederatedHooks = {},
): Promise<FederatedReport> {
  validateFederatedConfig(config);
  const split = leaveOneOutSplit(data);
  const clients: number[] = [];
  for (let user = 0; user < split.train.userCount; user++)
    if (userRow(split.train, user).length > 0) clients.push(user);
  if (clients.length === 0)
    throw new RangeError('No user has an item left to train on after holding out the last two.');
  const testUsers = evaluatedUsers(split.test);
  const curveUsers = Int32Array.from(
    sampleWithoutReplacement([...testUsers], config.curveUsers, createRng(config.seed)).sort((a, b) => a - b),
  );
  const experiment: Experiment = {
    train: split.train,
    fold: split.test,
    clients,
    testUsers,
    curveUsers,
    config,
  };
  const delta = 1 / clients.length;
  const arms: FederatedArm[] = [await runCentralArm(experiment, hooks)];
  for (const epsilon of [...config.targetEpsilons].sort((a, b) => a - b)) {
    const z = noiseForBudget(epsilon, config.samplingRate, config.rounds, delta);
    arms.push(await runFederatedArm(experiment, epsilon, z, hooks));
  }
  arms.push(await runFederatedArm(experiment, null, 0, hooks));
  return {
    clients: clients.length,
    items: data.itemCount,
    evaluatedUsers: testUsers.length,
    delta,
    config,
    arms,
  };
}

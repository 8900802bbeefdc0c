// The epoch loop every learned model trains with: progress once per epoch, cancellation
// between steps, and regular yields so a Web Worker can still receive messages (such as
// the abort itself) while it trains. fitEpochs on top of it is the whole of a learned model's
// fit(): parameters, optimizer, one seeded generator per epoch, checkpoints and resuming.
import * as tf from '../tf';
import type { EpochDecision, Recommender, TrainOptions, TrainProgress } from '../recommender';
import { Adam } from './adam';
import { ParamStore, type ParamSpecs } from './params';
import { createRng, type Rng } from '../random';

export interface EpochLoopPlan {
  /** number of the first epoch to run (default 1; a resumed run starts after its checkpoint) */
  firstEpoch?: number;
  /** number of the last epoch: the run's total, whatever epoch it starts at */
  epochs: number;
  stepsPerEpoch: number;
  /** interactions one epoch covers, for the interactions/s figure */
  interactionsPerEpoch: number;
  /** read losses back and yield to the event loop every this many steps (default 4) */
  yieldEvery?: number;
  /**
   * Called after each epoch's progress report; 'stop' ends training there (early stopping).
   * The model wires TrainOptions.onEpochEnd through this after making itself scorable.
   */
  afterEpoch?: (epoch: number) => EpochDecision | Promise<EpochDecision>;
}

/** Let queued messages and timers run; setTimeout works in windows, workers and Node. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('Training was cancelled', 'AbortError');
}

/**
 * ETA from the mean epoch time so far: simple, and stable once an epoch has run. `epochsRun`
 * (the epochs totalSeconds covers) is less than `epoch` in a resumed run.
 */
export function progressAfterEpoch(
  epoch: number,
  epochs: number,
  loss: number,
  interactions: number,
  epochSeconds: number,
  totalSeconds: number,
  epochsRun: number = epoch,
): TrainProgress {
  return {
    epoch,
    epochs,
    loss,
    interactionsPerSec: epochSeconds > 0 ? interactions / epochSeconds : 0,
    etaSec: (totalSeconds / Math.max(1, epochsRun)) * (epochs - epoch),
  };
}

/**
 * Run `step` stepsPerEpoch times for each epoch from plan.firstEpoch (default 1) to plan.epochs.
 * A step returns its mean batch loss as a scalar the loop owns (and disposes). Losses are read
 * back in groups, not every step, so a GPU backend is not forced to synchronise after each
 * batch. Resolves with the mean loss of each epoch run (fewer than requested when afterEpoch
 * said 'stop'); rejects with the signal's reason (an AbortError) when cancelled.
 */
export async function runEpochLoop(
  plan: EpochLoopPlan,
  step: (epoch: number, stepIndex: number) => tf.Scalar | Promise<tf.Scalar>,
  options: TrainOptions = {},
): Promise<number[]> {
  const yieldEvery = Math.max(1, plan.yieldEvery ?? 4);
  const firstEpoch = Math.max(1, plan.firstEpoch ?? 1);
  const epochLosses: number[] = [];
  const pending: tf.Scalar[] = [];
  const drainPending = async (): Promise<number> => {
    if (pending.length === 0) return 0;
    const summed = tf.tidy(() => tf.addN(pending));
    const [total] = await summed.data();
    summed.dispose();
    pending.forEach((loss) => loss.dispose());
    pending.length = 0;
    return total;
  };
  const trainingStart = performance.now();
  try {
    for (let epoch = firstEpoch; epoch <= plan.epochs; epoch++) {
      const epochStart = performance.now();
      let lossSum = 0;
      for (let stepIndex = 0; stepIndex < plan.stepsPerEpoch; stepIndex++) {
        throwIfAborted(options.signal);
        const loss = step(epoch, stepIndex);
        // a data-parallel step waits for its other replica; a one-replica step is not delayed
        pending.push(loss instanceof Promise ? await loss : loss);
        if (pending.length >= yieldEvery) {
          lossSum += await drainPending();
          await yieldToEventLoop();
        }
      }
      lossSum += await drainPending();
      const meanLoss = lossSum / Math.max(1, plan.stepsPerEpoch);
      epochLosses.push(meanLoss);
      const now = performance.now();
      options.onProgress?.(
        progressAfterEpoch(
          epoch,
          plan.epochs,
          meanLoss,
          plan.interactionsPerEpoch,
          (now - epochStart) / 1000,
          (now - trainingStart) / 1000,
          epoch - firstEpoch + 1,
        ),
      );
      if (plan.afterEpoch) {
        const decision = await plan.afterEpoch(epoch);
        throwIfAborted(options.signal);
        if (decision === 'stop') break;
      }
      await yieldToEventLoop();
    }
  } finally {
    pending.forEach((loss) => loss.dispose());
  }
  return epochLosses;
}

/**
 * One epoch of a model's training, step by step (mfStepper, SequentialRecommender.stepper). A step
 * is asynchronous (Loss = Promise<tf.Scalar>) when it waits for another replica (dataParallel.ts).
 */
export interface EpochSchedule<Loss extends tf.Scalar | Promise<tf.Scalar> = tf.Scalar> {
  stepsPerEpoch: number;
  /** interactions one epoch covers, for the interactions/s figure */
  interactionsPerEpoch: number;
  /** plan the epoch's batches from the epoch's generator (called before its first step) */
  startEpoch(rng: Rng): void;
  /** one optimisation step: its mean batch loss, as a scalar the caller disposes */
  step(store: ParamStore, optimizer: Adam, rng: Rng, stepIndex: number): Loss;
}

/**
 * The generator of one epoch's batches (and dropout). Each epoch has its own, derived from the
 * seed and the epoch's number only, so a run resumed after epoch k draws exactly what an
 * uninterrupted one draws from epoch k + 1 on. (The initial parameters draw from createRng(seed).)
 */
export function epochRng(seed: number, epoch: number): Rng {
  return createRng(seed * 7919 + epoch);
}

/** What fitEpochs needs from a model. */
export interface EpochFitPlan {
  specs: ParamSpecs;
  /** the run's total epochs */
  epochs: number;
  seed: number;
  learningRate: number;
  schedule: EpochSchedule<tf.Scalar | Promise<tf.Scalar>>;
  /** make the model scorable with these parameters (they are the model's to keep) */
  adopt(params: Record<string, Float32Array>): void;
}

/**
 * A learned model's fit(): initialise the parameters (or take them and Adam's state from
 * options.resumeFrom), run the remaining epochs with one seeded generator each, and after every
 * epoch report progress, hand out a checkpoint (options.onCheckpoint) and let
 * options.onEpochEnd see the model and stop training. Parameters and optimizer state leave the
 * device through async reads only. The model adopts the final parameters only at the end (or
 * before each onEpochEnd), so a cancelled fit without a hook leaves the previous model in place.
 */
export async function fitEpochs(
  plan: EpochFitPlan,
  model: Recommender,
  options: TrainOptions = {},
): Promise<void> {
  const { resumeFrom, onCheckpoint, onEpochEnd } = options;
  const store = resumeFrom
    ? ParamStore.fromArrays(plan.specs, resumeFrom.params)
    : ParamStore.initialise(plan.specs, createRng(plan.seed));
  const optimizer = new Adam({ learningRate: plan.learningRate });
  const firstEpoch = (resumeFrom?.epochsDone ?? 0) + 1;
  // the parameters after the latest epoch, when a hook read them (so they are not read twice)
  const latest: { read: EpochParams | null } = { read: null };
  try {
    if (resumeFrom?.optimizer) optimizer.importState(resumeFrom.optimizer, store.variables);
    const { schedule } = plan;
    let rng: Rng | null = null;
    const losses = await runEpochLoop(
      {
        firstEpoch,
        epochs: plan.epochs,
        stepsPerEpoch: schedule.stepsPerEpoch,
        interactionsPerEpoch: schedule.interactionsPerEpoch,
        yieldEvery: options.yieldEvery,
        afterEpoch:
          onCheckpoint || onEpochEnd
            ? async (epoch) => {
                const params = await store.readAll();
                const read: EpochParams = { epoch, params, adopted: false };
                latest.read = read;
                if (onCheckpoint) {
                  const optimizerState = await optimizer.exportState(store.variables);
                  // copies when the model keeps the arrays too: the checkpoint is the caller's
                  const checkpointParams = onEpochEnd ? copyArrays(params) : params;
                  await onCheckpoint({
                    epochsDone: epoch,
                    params: checkpointParams,
                    optimizer: optimizerState,
                  });
                }
                if (!onEpochEnd) return 'continue';
                plan.adopt(params);
                read.adopted = true;
                return onEpochEnd(epoch, model);
              }
            : undefined,
      },
      (epoch, stepIndex) => {
        if (stepIndex === 0) {
          rng = epochRng(plan.seed, epoch);
          schedule.startEpoch(rng);
        }
        return schedule.step(store, optimizer, rng!, stepIndex);
      },
      options,
    );
    const lastEpoch = firstEpoch + losses.length - 1;
    const final = latest.read;
    if (final?.epoch === lastEpoch) {
      // not adopted yet: onCheckpoint has these very arrays, and they are the caller's
      if (!final.adopted) plan.adopt(copyArrays(final.params));
    } else {
      plan.adopt(await store.readAll());
    }
  } finally {
    optimizer.dispose();
    store.dispose();
  }
}

interface EpochParams {
  epoch: number;
  params: Record<string, Float32Array>;
  /** the model already holds them (adopted for onEpochEnd) */
  adopted: boolean;
}

function copyArrays(arrays: Record<string, Float32Array>): Record<string, Float32Array> {
  const copies: Record<string, Float32Array> = {};
  for (const [name, values] of Object.entries(arrays)) copies[name] = Float32Array.from(values);
  return copies;
}

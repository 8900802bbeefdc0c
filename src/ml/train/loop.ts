// The epoch loop every learned model trains with: progress once per epoch, cancellation
// between steps, and regular yields so a Web Worker can still receive messages (such as
// the abort itself) while it trains.
import * as tf from '../tf';
import type { EpochDecision, TrainOptions, TrainProgress } from '../recommender';

export interface EpochLoopPlan {
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

/** ETA from the mean epoch time so far: simple, and stable once an epoch has run. */
export function progressAfterEpoch(
  epoch: number,
  epochs: number,
  loss: number,
  interactions: number,
  epochSeconds: number,
  totalSeconds: number,
): TrainProgress {
  return {
    epoch,
    epochs,
    loss,
    interactionsPerSec: epochSeconds > 0 ? interactions / epochSeconds : 0,
    etaSec: (totalSeconds / epoch) * (epochs - epoch),
  };
}

/**
 * Run `step` epochs × stepsPerEpoch times. A step returns its mean batch loss as a scalar
 * the loop owns (and disposes). Losses are read back in groups, not every step, so a GPU
 * backend is not forced to synchronise after each batch. Resolves with the mean loss of each
 * epoch run (fewer than plan.epochs when afterEpoch said 'stop'); rejects with the signal's
 * reason (an AbortError) when cancelled.
 */
export async function runEpochLoop(
  plan: EpochLoopPlan,
  step: (epoch: number, stepIndex: number) => tf.Scalar,
  options: TrainOptions = {},
): Promise<number[]> {
  const yieldEvery = Math.max(1, plan.yieldEvery ?? 4);
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
    for (let epoch = 1; epoch <= plan.epochs; epoch++) {
      const epochStart = performance.now();
      let lossSum = 0;
      for (let stepIndex = 0; stepIndex < plan.stepsPerEpoch; stepIndex++) {
        throwIfAborted(options.signal);
        pending.push(step(epoch, stepIndex));
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

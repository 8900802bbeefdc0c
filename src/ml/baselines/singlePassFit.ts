// EASE and item-kNN fit in one closed-form pass, with no epochs and no loss to show. They report
// that pass as one finished epoch with the throughput measured over it, so a progress bar and the
// lab's interactions-per-second read the same for them as for the models that train in epochs.
import type { TrainOptions } from '../recommender';

/** Reports a fit that began at `started` (a performance.now() reading) and read `interactions` rows once. */
export function reportSinglePassFit(
  options: TrainOptions | undefined,
  interactions: number,
  started: number,
): void {
  const seconds = (performance.now() - started) / 1000;
  options?.onProgress?.({
    epoch: 1,
    epochs: 1,
    loss: 0,
    interactionsPerSec: seconds > 0 ? interactions / seconds : 0,
    etaSec: 0,
  });
}

// A fit stopped as a closed tab stops it: aborted once the checkpoint after a given epoch is
// written. Shared by the tests that resume from such a checkpoint.
import { expect } from 'vitest';
import type { InteractionMatrix } from '../interactions';
import type { Recommender, TrainingCheckpoint } from '../recommender';

/** Fits `model` on `data` until its checkpoint after `epochsDone` epochs, then aborts and disposes it. */
export async function checkpointOfInterruptedFit(
  model: Recommender,
  data: InteractionMatrix,
  epochsDone: number,
): Promise<TrainingCheckpoint> {
  const abort = new AbortController();
  let kept: TrainingCheckpoint | undefined;
  await expect(
    model.fit(data, {
      signal: abort.signal,
      onCheckpoint: (checkpoint) => {
        if (checkpoint.epochsDone !== epochsDone) return;
        kept = checkpoint;
        abort.abort(new Error('tab closed'));
      },
    }),
  ).rejects.toThrow('tab closed');
  model.dispose();
  expect(kept, `no checkpoint after epoch ${epochsDone}`).toBeDefined();
  return kept!;
}

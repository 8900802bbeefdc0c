// What a model card says when its training was stopped part-way and carried on (a lost GPU
// device: worker/store/backgroundLearning.ts restarts learning on another backend).

/**
 * The card's account of a training that carried on after `cause` stopped it: from the checkpoint
 * it resumed (the loss came during the epoch after it), or from the start when there was none.
 */
export function interruptionNote(
  cause: string,
  backend: string,
  resumedFromEpoch: number | undefined,
): string {
  if (resumedFromEpoch === undefined)
    return `Trained again from the start on ${backend} after ${cause} before its first checkpoint`;
  return (
    `Continued on ${backend} after ${cause} during epoch ${resumedFromEpoch + 1}, ` +
    `from the checkpoint of epoch ${resumedFromEpoch}`
  );
}

/**
 * Puts the note on a model's card config when that model is the one the interruption stopped
 * (storeLearning.ts decides); called as its training starts.
 */
export type InterruptionNoter = (
  cardConfig: Record<string, unknown>,
  backend: string,
  resumedFromEpoch: number | undefined,
) => void;

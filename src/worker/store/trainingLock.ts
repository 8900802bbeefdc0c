// One tab trains at a time. Every tab's store worker asks for the same Web Lock before it learns;
// a tab that finds it held says so and waits. When its turn comes, learning reads the models the
// other tab stored (obtainModel loads a stored model before it trains one), so the work is not
// done twice and two tabs never write the same checkpoints at once. A closed tab releases its
// lock by itself, and the waiting tab resumes from that tab's last checkpoint.

/** The lock's name, the same in every tab of this origin. */
export const trainingLockName = 'aisle-store-training';

/** The part of the Web Locks API used here (`navigator.locks`, in workers too). */
export interface TrainingLocks {
  request(
    name: string,
    options: { mode: 'exclusive'; ifAvailable?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => Promise<void>,
  ): Promise<void>;
}

/**
 * Run `learn` while holding the training lock. `onWait` is called once when another tab holds
 * it; `signal` stops the wait (a lost GPU device restarts learning). Without Web Locks (an old
 * browser, Node) there is nothing to share with: learn at once.
 */
export async function withTrainingLock(
  locks: TrainingLocks | undefined,
  learn: () => Promise<void>,
  onWait: () => void,
  signal?: AbortSignal,
): Promise<void> {
  if (!locks) return learn();
  let ran = false;
  await locks.request(trainingLockName, { mode: 'exclusive', ifAvailable: true }, async (lock) => {
    if (lock === null) return; // held by another tab
    ran = true;
    await learn();
  });
  if (ran) return;
  onWait();
  await locks.request(trainingLockName, { mode: 'exclusive', signal }, () => learn());
}

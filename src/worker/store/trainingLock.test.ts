import { describe, expect, it } from 'vitest';
import { trainingLockName, withTrainingLock, type TrainingLocks } from './trainingLock';

/** An in-memory lock manager with the Web Locks semantics used here: exclusive, FIFO, ifAvailable. */
function fakeLocks(): TrainingLocks & { names: string[] } {
  let held: Promise<void> | null = null;
  const names: string[] = [];
  return {
    names,
    async request(name, options, callback) {
      names.push(name);
      if (options.ifAvailable && held) return callback(null);
      while (held) await held;
      const run = callback({ name });
      held = run.then(
        () => undefined,
        () => undefined,
      );
      try {
        await run;
      } finally {
        held = null;
      }
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** One tab's learning under the lock, recording into `log` whether it learned or was told to wait. */
async function learnAsTab(
  locks: TrainingLocks | undefined,
  log: string[] = [],
  learned = 'learned',
  waited = 'waited',
): Promise<string[]> {
  await withTrainingLock(
    locks,
    async () => void log.push(learned),
    () => log.push(waited),
  );
  return log;
}

describe('withTrainingLock', () => {
  it('learns at once, without waiting, when no other tab holds the lock', async () => {
    const locks = fakeLocks();
    expect(await learnAsTab(locks)).toEqual(['learned']);
    expect(locks.names).toEqual([trainingLockName]);
  });

  it('makes a second tab wait, say so once, and learn only after the first has finished', async () => {
    const locks = fakeLocks();
    const log: string[] = [];
    let finishFirst = () => {};
    const first = withTrainingLock(
      locks,
      () =>
        new Promise<void>((resolve) => {
          log.push('first starts');
          finishFirst = () => {
            log.push('first ends');
            resolve();
          };
        }),
      () => log.push('first waited'),
    );
    await tick();
    const second = learnAsTab(locks, log, 'second learns', 'second waits');
    await tick();
    expect(log).toEqual(['first starts', 'second waits']);
    finishFirst();
    await Promise.all([first, second]);
    expect(log).toEqual(['first starts', 'second waits', 'first ends', 'second learns']);
  });

  it('releases the lock when learning fails, so the next tab can learn', async () => {
    const locks = fakeLocks();
    await expect(
      withTrainingLock(
        locks,
        () => Promise.reject(new Error('device lost')),
        () => {},
      ),
    ).rejects.toThrow('device lost');
    expect(await learnAsTab(locks)).toEqual(['learned']);
  });

  it('learns at once where there is no Web Locks API', async () => {
    expect(await learnAsTab(undefined)).toEqual(['learned']);
  });
});

// Which progress lines a run logged to a file writes. Training, validation and cache lines come a
// few a minute and each matters (an epoch's score, a stop); ranking the test fold reports every
// batch of users, hundreds of lines that only say how far it is, so one of those per interval.

/** A line that only counts how far a stage is, e.g. "hybrid: ranking for 640/22363 users". */
const countingLine = /ranking for \d+\/\d+ users/;

export function progressLog(intervalMs = 30_000): { due(message: string, now: number): boolean } {
  let lastCounting = -Infinity;
  return {
    due(message, now) {
      if (!countingLine.test(message)) return true;
      if (now - lastCounting < intervalMs) return false;
      lastCounting = now;
      return true;
    },
  };
}

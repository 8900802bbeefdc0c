// One hand-worked click for the tests of the hop arithmetic and of the report that prints it.
import type { ClickStamps } from './clickHops';

/** A click whose hops are 1, 0.5, 0.25, 2, 0.75, 1.5 (+ extraRender), 8 and 3 ms, starting at `start`. */
export const clickAt = (start: number, extraRender = 0): ClickStamps => ({
  clicked: start,
  requestPosted: start + 1,
  workerReceived: start + 1.5,
  rankStarted: start + 1.75,
  rowsPosted: start + 3.75,
  pageReceived: start + 4.5,
  rendered: start + 6 + extraRender,
  nextFrame: start + 14 + extraRender,
  painted: start + 17 + extraRender,
});

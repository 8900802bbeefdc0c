// How long a click's frame waited on the browser rather than on the page's scripts: read from the
// Long Animation Frames API (Chrome 123+), which the storefront probe records. A frame's entry starts
// at the first task that needed a new frame and says when its rendering started and which scripts
// of 5 ms or more ran in it. Once the rows are in the DOM and the last such script has ended, the
// rest of the wait until rendering starts is the browser's own: in the bench's first click it was
// Chromium's GPU process still busy with the backend race's WebGPU loser (docs/benchmarks.md, "The
// first click's late frame"), which no stamp of the page could show.
import type { ClickStamps } from './clickHops';

/** One long animation frame as the probe keeps it (page clock, ms). */
export interface LongFrame {
  startTime: number;
  renderStart: number;
  /**
   * the end of the last script of 5 ms or more that began before the frame's rendering (its rAF
   * callbacks run after renderStart and are left out); startTime when none did
   */
  lastScriptEnd: number;
}

/**
 * The wait between the rows reaching the DOM (or a later script's end) and the start of the
 * rendering that drew them; null when that frame was not long (under 50 ms: no entry). When the
 * bench stopped waiting before any frame came (`nextFrame` null), the first long frame to render
 * after the DOM update is the one that drew the rows: its entry is read after the clicks.
 */
export function frameWaitMs(click: ClickStamps, frames: readonly LongFrame[]): number | null {
  const afterDom = frames.filter((candidate) => candidate.renderStart >= click.rendered);
  // the frame whose rendering started between the rows' DOM update and the probe's rAF callback
  const frame =
    click.nextFrame === null
      ? afterDom[0]
      : afterDom.findLast((candidate) => candidate.renderStart <= click.nextFrame!);
  if (!frame) return null;
  const pageDone = Math.max(click.rendered, Math.min(frame.lastScriptEnd, frame.renderStart));
  return frame.renderStart - pageDone;
}

// Where a click's time goes on its way to refreshed rows: the storefront bench stamps each hop
// of the round trip (storefront.ts) and this turns the stamps into per-hop durations and their
// p50/p95 and share of the whole. Pure, so the arithmetic is tested apart from the browser.
import { quantile } from '../../src/worker/bench/measure';

/**
 * One click's stamps, in ms on the page's clock (the worker's absolute stamps converted by the
 * page's time origin); null where that hop was not seen.
 */
export interface ClickStamps {
  /** just before the button's click() */
  clicked: number;
  /** the page's postMessage of the home ranking request the click caused */
  requestPosted: number;
  /** the worker's message handler took the request */
  workerReceived: number;
  /** the worker's ranking of it began and ended (its `ranked.ms` before `rowsPosted`) */
  rankStarted: number;
  /** the worker posted the rows */
  rowsPosted: number;
  /** the page's first listener saw the reply (its data deserialised): the bench's old "rows back" */
  pageReceived: number;
  /** the page's own handler and Svelte's update of the DOM had run (a microtask after the handler) */
  rendered: number;
  /** the next animation frame after that (its callbacks run before the frame's style, layout and paint) */
  nextFrame: number | null;
  /**
   * the first task after that frame's rendering: style, layout and the paint's recording done on the
   * main thread, so the rows are really drawn (raster and compositing follow on other threads)
   */
  painted: number | null;
}

export const hopNames = [
  'click handler → request posted',
  'request posted → worker receives',
  'worker receives → ranking starts',
  'ranking (ranked.ms)',
  'rows posted → page receives',
  'page receives → DOM updated',
  'DOM updated → next frame',
  'next frame → painted (style, layout, paint)',
] as const;

export type HopName = (typeof hopNames)[number];

/** The hops of one click, in the order of `hopNames`. */
export function clickHops(stamps: ClickStamps): number[] {
  return [
    stamps.requestPosted - stamps.clicked,
    stamps.workerReceived - stamps.requestPosted,
    stamps.rankStarted - stamps.workerReceived,
    stamps.rowsPosted - stamps.rankStarted,
    stamps.pageReceived - stamps.rowsPosted,
    stamps.rendered - stamps.pageReceived,
    stamps.nextFrame === null ? NaN : stamps.nextFrame - stamps.rendered,
    stamps.painted === null || stamps.nextFrame === null ? NaN : stamps.painted - stamps.nextFrame,
  ];
}

export interface HopSummary {
  hop: HopName;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  /** this hop's share of the summed means of the hops up to the DOM update (the frame's hops excluded) */
  share: number;
}

export interface ClickProfile {
  clicks: number;
  hops: HopSummary[];
  /** click → the reply seen by the page: the figure the bench reported before the hops */
  toPageP50Ms: number;
  toPageP95Ms: number;
  /** click → the DOM updated: the rows really in the page */
  toDomP50Ms: number;
  toDomP95Ms: number;
  toFrameP50Ms: number;
  toFrameP95Ms: number;
  /** click → the frame that shows the rows rendered: the honest "rows in the page" */
  toPaintedP50Ms: number;
  toPaintedP95Ms: number;
  /** for the slowest 5 % of clicks (to the DOM), the mean of each hop: what makes the p95 */
  slowestMeans: number[];
}

const meanOf = (values: readonly number[]) =>
  values.length === 0 ? NaN : values.reduce((sum, value) => sum + value, 0) / values.length;

/** The p50/p95/mean of each hop over the clicks, with shares that add up to 1 over the hops to the DOM. */
export function summariseClicks(clicks: readonly ClickStamps[]): ClickProfile {
  const perClick = clicks.map(clickHops);
  const column = (hop: number) => perClick.map((hops) => hops[hop]).filter((ms) => !Number.isNaN(ms));
  // the hops up to the DOM update: the frame's two come after it
  const domHops = hopNames.indexOf('DOM updated → next frame');
  const means = hopNames.map((_, hop) => meanOf(column(hop)));
  const domTotal = means.slice(0, domHops).reduce((sum, ms) => sum + ms, 0);
  const toDom = clicks.map((click) => click.rendered - click.clicked);
  const slowCount = Math.max(1, Math.ceil(clicks.length * 0.05));
  const slowest = clicks
    .map((_, i) => i)
    .sort((a, b) => toDom[b] - toDom[a])
    .slice(0, clicks.length === 0 ? 0 : slowCount);
  const toPage = clicks.map((click) => click.pageReceived - click.clicked);
  const toFrame = clicks.flatMap((click) =>
    click.nextFrame === null ? [] : [click.nextFrame - click.clicked],
  );
  const toPainted = clicks.flatMap((click) =>
    click.painted === null ? [] : [click.painted - click.clicked],
  );
  return {
    clicks: clicks.length,
    hops: hopNames.map((hop, i) => ({
      hop,
      p50Ms: quantile(column(i), 0.5),
      p95Ms: quantile(column(i), 0.95),
      meanMs: means[i],
      share: i < domHops && domTotal > 0 ? means[i] / domTotal : NaN,
    })),
    toPageP50Ms: quantile(toPage, 0.5),
    toPageP95Ms: quantile(toPage, 0.95),
    toDomP50Ms: quantile(toDom, 0.5),
    toDomP95Ms: quantile(toDom, 0.95),
    toFrameP50Ms: quantile(toFrame, 0.5),
    toFrameP95Ms: quantile(toFrame, 0.95),
    toPaintedP50Ms: quantile(toPainted, 0.5),
    toPaintedP95Ms: quantile(toPainted, 0.95),
    slowestMeans: hopNames.map((_, hop) =>
      meanOf(slowest.map((i) => perClick[i][hop]).filter((ms) => !Number.isNaN(ms))),
    ),
  };
}

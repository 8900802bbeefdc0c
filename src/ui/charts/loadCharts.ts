// Chart.js, fetched the first time a page draws a chart (separate chunks, never in the store's
// first load), registered with only the pieces these charts use (chartSetup.ts). The Sankey
// module is fetched only for a Sankey.
import type { Chart as ChartType } from 'chart.js';

export type ChartConstructor = typeof ChartType;

let core: Promise<ChartConstructor> | null = null;
let withSankey: Promise<ChartConstructor> | null = null;

/** The Chart class, ready for bar and line charts, and for Sankey diagrams when asked. */
export function loadCharts(sankey = false): Promise<ChartConstructor> {
  if (sankey) return (withSankey ??= import('./sankeySetup').then((module) => module.Chart));
  return (core ??= import('./chartSetup').then((module) => module.Chart));
}

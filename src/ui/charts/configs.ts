// The charts' configurations, built from the same values the tables beside them show. Only
// types come from chart.js here, so building a configuration never loads the library.
import type { ChartConfiguration } from 'chart.js';
import type {} from 'chartjs-chart-sankey'; // adds the 'sankey' chart type to chart.js's types
import type { Funnel, PathFlows, SatisfactionDay } from '../../recs/insights';

/** The theme's colours (app.css): a canvas cannot read CSS variables itself. */
export const palette = {
  accent: '#5cc8ff',
  accent2: '#ffd166',
  ok: '#4ade80',
  danger: '#ff6b6b',
  muted: '#9aa3b5',
} as const;

export const funnelStepLabels = { viewed: 'Viewed', carted: 'Added to cart', bought: 'Bought' } as const;

export function funnelChart(all: Funnel, fromRecommendations: Funnel): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: {
      labels: all.steps.map((s) => funnelStepLabels[s.step]),
      datasets: [
        { label: 'All games', data: all.steps.map((s) => s.games), backgroundColor: palette.accent },
        {
          label: 'From recommendations',
          data: fromRecommendations.steps.map((s) => s.games),
          backgroundColor: palette.accent2,
        },
      ],
    },
    options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  };
}

export function pathChart(flows: PathFlows): ChartConfiguration<'sankey'> {
  return {
    type: 'sankey',
    data: {
      datasets: [
        {
          label: 'Sessions',
          data: flows.links.map((link) => ({ from: link.from, to: link.to, flow: link.sessions })),
          parsing: { from: 'from', to: 'to', flow: 'flow' },
          labels: Object.fromEntries(flows.nodes.map((node) => [node.id, node.label])),
          // one column per step, so the diagram reads left to right in the order of the visit
          column: Object.fromEntries(flows.nodes.map((node) => [node.id, node.step])),
          colorFrom: palette.accent,
          colorTo: palette.accent2,
          colorMode: 'gradient',
          color: '#e8eaf0',
          borderWidth: 0,
        },
      ],
    },
  };
}

export function satisfactionChart(days: readonly SatisfactionDay[]): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: {
      labels: days.map((d) => d.day),
      datasets: [
        { label: 'Useful', data: days.map((d) => d.useful), backgroundColor: palette.ok },
        { label: 'Not useful', data: days.map((d) => d.notUseful), backgroundColor: palette.danger },
        { label: 'Closed', data: days.map((d) => d.dismissed), backgroundColor: palette.muted },
      ],
    },
    options: {
      // a day or two of answers must not become bars as wide as the chart
      datasets: { bar: { maxBarThickness: 48 } },
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    },
  };
}

export interface CurvePointValue {
  step: number;
  value: number;
}

/** A line over steps (epochs, trials), e.g. a training loss falling. */
export function curveChart(label: string, points: readonly CurvePointValue[]): ChartConfiguration<'line'> {
  return {
    type: 'line',
    data: {
      labels: points.map((p) => p.step),
      datasets: [
        {
          label,
          data: points.map((p) => p.value),
          borderColor: palette.accent,
          backgroundColor: palette.accent,
          pointRadius: 2.5,
          borderWidth: 2,
        },
      ],
    },
    options: {
      animation: false,
      plugins: { legend: { display: false } },
      scales: { x: { ticks: { precision: 0 } } },
    },
  };
}

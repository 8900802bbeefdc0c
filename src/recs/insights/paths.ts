// The paths shoppers take through the store, as a Sankey diagram's nodes and links. Each
// session becomes a sequence of places: the pages opened, the recommendation row a game was
// opened from (between the page it was on and the product page), and 'Bought' after a
// purchase. Nodes are numbered by step ("2 · For you"), so a path that returns to a page it
// visited makes a new node further right instead of a loop a Sankey cannot draw.
import type { ShopperEvent } from '../../data/types';
import { inTimeOrder, pageLabel, rowLabel } from './labels';

export interface PathNode {
  /** `${step}:${label}`, unique. */
  id: string;
  label: string;
  /** 0-based position along the path. */
  step: number;
}

export interface PathLink {
  from: string;
  to: string;
  /** Sessions that went this way. */
  sessions: number;
}

export interface PathFlows {
  nodes: PathNode[];
  links: PathLink[];
}

export const boughtLabel = 'Bought';

/** The place an event puts the shopper in, or null for events that do not move them. */
function placeOf(event: ShopperEvent): string | null {
  if (event.kind === 'pageView' && event.page !== undefined) return pageLabel(event.page);
  if (event.kind === 'recClick' && event.placement !== undefined) return rowLabel(event.placement);
  if (event.kind === 'purchase') return boughtLabel;
  return null;
}

/** One session's places in order; repeats in a row (two purchases, a reload) count once. */
export function sessionPath(events: readonly ShopperEvent[]): string[] {
  const path: string[] = [];
  for (const event of inTimeOrder(events)) {
    const place = placeOf(event);
    if (place !== null && place !== path.at(-1)) path.push(place);
  }
  return path;
}

/** Flows between places over every session, cut after `maxSteps` places. */
export function pathFlows(events: readonly ShopperEvent[], maxSteps = 6): PathFlows {
  const bySession = new Map<string, ShopperEvent[]>();
  for (const event of events) {
    const list = bySession.get(event.sessionId);
    if (list) list.push(event);
    else bySession.set(event.sessionId, [event]);
  }
  const nodes = new Map<string, PathNode>();
  const links = new Map<string, PathLink>();
  for (const sessionEvents of bySession.values()) {
    const path = sessionPath(sessionEvents).slice(0, maxSteps);
    if (path.length < 2) continue;
    const ids = path.map((label, step) => {
      const id = `${step}:${label}`;
      if (!nodes.has(id)) nodes.set(id, { id, label, step });
      return id;
    });
    for (let i = 1; i < ids.length; i++) {
      const key = `${ids[i - 1]}\u0000${ids[i]}`;
      const link = links.get(key);
      if (link) link.sessions += 1;
      else links.set(key, { from: ids[i - 1], to: ids[i], sessions: 1 });
    }
  }
  const byStepThenLabel = (a: PathNode, b: PathNode) => a.step - b.step || a.label.localeCompare(b.label);
  return {
    nodes: [...nodes.values()].sort(byStepThenLabel),
    links: [...links.values()].sort(
      (a, b) => b.sessions - a.sessions || a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
    ),
  };
}

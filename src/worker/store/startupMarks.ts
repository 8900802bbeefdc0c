// The store worker's start-up, as performance marks on the page's timeline: each mark is posted
// with its absolute time (a worker's performance.now() counts from its own start, not the
// page's), and the page records it as `aisle:<name>` (ui/recsClient.svelte.ts). `npm run bench`
// reads them for its startup breakdown; the browser's performance panel shows them too.
import type { StoreStatus } from './protocol';

/** The absolute time now, in ms since the epoch, comparable across the page and its workers. */
export const absoluteNow = (): number => performance.timeOrigin + performance.now();

/** Marks each name once: a later occurrence (a second ranking, a reload of models) is no start-up. */
export function startupMarker(post: (status: StoreStatus) => void): (name: string) => void {
  const marked = new Set<string>();
  return (name) => {
    if (marked.has(name)) return;
    marked.add(name);
    post({ type: 'mark', name, at: absoluteNow() });
  };
}

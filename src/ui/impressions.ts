// Impressions: a recommendation card counts as seen when at least half of it has been in view
// for half a second, once per card per page view. The watching is plain DOM code with the
// observer and the clock injectable, so the rule is tested without a browser.

export const impressionMinRatio = 0.5;
export const impressionMinVisibleMs = 500;

/** The part of IntersectionObserver the watcher uses, so tests can drive it. */
export type VisibilityObserverFactory = (
  onChange: (
    entries: readonly Pick<IntersectionObserverEntry, 'intersectionRatio' | 'isIntersecting'>[],
  ) => void,
  threshold: number,
) => { observe(target: Element): void; disconnect(): void };

export interface VisibilityWatchOptions {
  minRatio?: number;
  minVisibleMs?: number;
  createObserver?: VisibilityObserverFactory;
}

const browserObserver: VisibilityObserverFactory = (onChange, threshold) =>
  new IntersectionObserver((entries) => onChange(entries), { threshold });

/**
 * Calls `onSeen` once, when `node` has stayed at least `minRatio` visible for `minVisibleMs`;
 * leaving view before then restarts the wait. Returns the function that stops watching.
 */
export function watchVisibility(node: Element, onSeen: () => void, options: VisibilityWatchOptions = {}) {
  const minRatio = options.minRatio ?? impressionMinRatio;
  const minVisibleMs = options.minVisibleMs ?? impressionMinVisibleMs;
  const createObserver =
    options.createObserver ?? (typeof IntersectionObserver === 'undefined' ? null : browserObserver);
  if (createObserver === null) return () => undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stopTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const observer = createObserver((entries) => {
    const entry = entries.at(-1);
    if (entry === undefined) return;
    const visibleEnough = entry.isIntersecting && entry.intersectionRatio >= minRatio;
    if (!visibleEnough) return stopTimer();
    timer ??= setTimeout(() => {
      timer = undefined;
      observer.disconnect();
      onSeen();
    }, minVisibleMs);
  }, minRatio);
  observer.observe(node);
  return () => {
    stopTimer();
    observer.disconnect();
  };
}

/**
 * Which cards were already counted in the current page view. A card that re-renders (the row
 * re-ranked, the card moved) is not counted twice; a new page view starts afresh.
 */
export class PageViewImpressions {
  private seen = new Set<string>();

  startPageView(): void {
    this.seen = new Set();
  }

  /** True the first time a card is seen in this page view. */
  firstSighting(placement: string, itemId: number): boolean {
    const key = `${placement}\u0000${itemId}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}

export const pageViewImpressions = new PageViewImpressions();

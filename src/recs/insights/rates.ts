// The ratios every insight is made of, kept apart from any event format so the simulator
// can compute click-through and conversion for its simulated shoppers with the same maths.

/** part / whole, or null when there is nothing to divide by (no impressions is not a 0% rate). */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Clicks per impression. */
export const clickThroughRate = (clicks: number, impressions: number): number | null =>
  rate(clicks, impressions);

/** Purchases per click. */
export const conversionRate = (purchases: number, clicks: number): number | null => rate(purchases, clicks);

/** The share of the previous step that did not reach this one; null when the previous step is empty. */
export function dropOff(count: number, previousCount: number): number | null {
  const kept = rate(count, previousCount);
  return kept === null ? null : 1 - kept;
}

/** The middle value (the mean of the two middle ones for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

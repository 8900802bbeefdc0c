// "Were these picks useful?": when to ask, and the answers over time.
import type { SatisfactionAnswer, ShopperEvent } from '../../data/types';

/** Ask at most once in this long, whether the shopper answered or closed the question. */
export const satisfactionIntervalMs = 24 * 60 * 60 * 1000;

/**
 * Ask only a shopper who has used the picks (opened a game from a recommendation) and has
 * not been asked in the last day.
 */
export function shouldAskSatisfaction(events: readonly ShopperEvent[], now: number): boolean {
  let usedPicks = false;
  for (const event of events) {
    if (event.kind === 'satisfaction' && now - event.at < satisfactionIntervalMs) return false;
    if (event.kind === 'recClick') usedPicks = true;
  }
  return usedPicks;
}

export type SatisfactionDay = { day: string } & Record<SatisfactionAnswer, number>;

/**
 * Answers per calendar day, oldest first. `utcOffsetMinutes` is the shopper's offset from
 * UTC (e.g. +60 in Paris in winter), so a late-evening answer lands on the shopper's day.
 */
export function satisfactionByDay(events: readonly ShopperEvent[], utcOffsetMinutes = 0): SatisfactionDay[] {
  const days = new Map<string, SatisfactionDay>();
  for (const event of events) {
    if (event.kind !== 'satisfaction' || event.answer === undefined) continue;
    const day = new Date(event.at + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
    let counts = days.get(day);
    if (counts === undefined) days.set(day, (counts = { day, useful: 0, notUseful: 0, dismissed: 0 }));
    counts[event.answer] += 1;
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

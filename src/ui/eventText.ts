// One line of plain language per stored event, for the "Your data" page.
import type { ShopperEvent } from '../data/types';

/** A row of the "Your data" list. */
export interface EventRow {
  /** for <time datetime>; absent when the stored time is not a real date */
  iso?: string;
  when: string;
  what: string;
}

/**
 * The list row for any stored record, however damaged: a time no Date can hold or a kind this
 * build does not know still gets a row, so one bad record never blanks the whole list.
 */
export function eventRow(event: ShopperEvent, titleOf: (item: number) => string | undefined): EventRow {
  const date = new Date(typeof event.at === 'number' ? event.at : NaN);
  const valid = Number.isFinite(date.getTime());
  let what: string;
  try {
    what = describeEvent(event, (item) => titleOf(item) ?? `a game not in this store (#${item})`);
  } catch {
    what = `An unreadable ${String(event.kind)} record`;
  }
  return valid
    ? { iso: date.toISOString(), when: date.toLocaleString(), what }
    : { when: 'Unknown time', what };
}

export function describeEvent(event: ShopperEvent, titleOf: (item: number) => string): string {
  const game = event.itemId === undefined ? '' : titleOf(event.itemId);
  switch (event.kind) {
    case 'view':
      return `Viewed ${game}`;
    case 'dwell':
      return `Spent ${Math.round((event.dwellMs ?? 0) / 1000)} s on ${game}`;
    case 'recClick':
      return `Opened ${game} from a recommendation (${event.placement ?? '?'}, position ${(event.position ?? 0) + 1})`;
    case 'search':
      return `Searched for “${event.query ?? ''}”`;
    case 'cartAdd':
      return `Added ${game} to the cart`;
    case 'cartRemove':
      return `Removed ${game} from the cart`;
    case 'purchase':
      return `Bought ${game}${typeof event.price === 'number' ? ` for $${event.price.toFixed(2)}` : ''}`;
    case 'rating':
      return `Rated ${game} ${event.rating ?? '?'} / 5`;
    case 'notInterested':
      return `Not interested in ${game}`;
    case 'recFeedback':
      return `${event.thumbs === 'up' ? 'Thumbs up' : 'Thumbs down'} on ${game} (${event.placement ?? '?'})`;
    case 'impression':
      return `Saw ${game} recommended (${event.placement ?? '?'}, position ${(event.position ?? 0) + 1})`;
    case 'pageView':
      return `Opened the ${event.page ?? '?'} page`;
    case 'satisfaction':
      return event.answer === 'dismissed'
        ? 'Closed “Were these picks useful?” without answering'
        : `Answered “Were these picks useful?”: ${event.answer === 'useful' ? 'yes' : 'no'}`;
    default:
      // a kind from a newer build, or a damaged record: say what is there rather than nothing
      return `${String((event as { kind: unknown }).kind)}${game ? ` on ${game}` : ''}`;
  }
}

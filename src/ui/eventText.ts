// One line of plain language per stored event, for the "Your data" page.
import type { ShopperEvent } from '../data/types';

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
      return `Bought ${game}${event.price !== undefined ? ` for $${event.price.toFixed(2)}` : ''}`;
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
  }
}

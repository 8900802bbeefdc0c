// Builders shared by the profile's tests only: small games and events with readable defaults.
import type { Game, ShopperEvent } from '../../data/types';
import { dayMs } from './weights';

export function game(id: number, fields: Partial<Game> = {}): Game {
  return {
    id,
    appId: String(1000 + id),
    title: `Game ${id}`,
    price: 10,
    genres: [],
    tags: [],
    developer: '',
    released: null,
    earlyAccess: false,
    ...fields,
  };
}

/** An event `day` days after the epoch (fractions allowed), in session 's1' unless told. */
export function event(
  id: number,
  kind: ShopperEvent['kind'],
  itemId: number | undefined,
  day: number,
  fields: Partial<ShopperEvent> = {},
): ShopperEvent {
  return { id, kind, itemId, at: day * dayMs, sessionId: 's1', ...fields };
}

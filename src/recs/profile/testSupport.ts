// Builders shared by the profile's tests only: small games and events with readable defaults.
import { affinityDimensions, type Adjustment, type AffinityDimension } from '../../data/profileTypes';
import type { Game, ShopperEvent } from '../../data/types';
import type { AffinityView, ProfileView } from './profile';
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

/** One value of a dimension as the profile view shows it, without evidence. */
export function affinity(value: string, weight: number, adjustment: Adjustment | null = null): AffinityView {
  return { value, weight, evidence: [], adjustment };
}

/**
 * A profile view of only these affinities (every other dimension empty) and nothing else: all
 * that whyThis and the home rows' features read of it.
 */
export function viewOfAffinities(
  affinities: Partial<Record<AffinityDimension, AffinityView[]>>,
): ProfileView {
  const empty = Object.fromEntries(affinityDimensions.map((dimension) => [dimension, []]));
  return { affinities: { ...empty, ...affinities } } as unknown as ProfileView;
}

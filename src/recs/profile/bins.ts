// The named bins a game's price and release date fall into, for the affinities. Bins are
// half-open [from, to) so every price and year has exactly one.
import type { AffinityDimension } from '../../data/profileTypes';
import type { Game } from '../../data/types';

export type PriceBand = 'free' | 'under5' | 'from5to15' | 'from15to30' | 'from30';

/**
 * Steam's own price tiers: free; impulse buys under $5; the indie range $5–15; mid-price
 * $15–30; full price $30 and up. A paid game is in the last band whose `fromDollars` its
 * price reaches; a game without a known price is in no band.
 */
export const priceBands: readonly { band: PriceBand; label: string; fromDollars: number }[] = [
  { band: 'free', label: 'Free', fromDollars: 0 },
  { band: 'under5', label: 'Under $5', fromDollars: 0 },
  { band: 'from5to15', label: '$5–$15', fromDollars: 5 },
  { band: 'from15to30', label: '$15–$30', fromDollars: 15 },
  { band: 'from30', label: '$30 and up', fromDollars: 30 },
];

export function priceBandOf(price: number | null): PriceBand | null {
  if (price === null || !Number.isFinite(price) || price < 0) return null;
  if (price === 0) return 'free';
  let band: PriceBand = 'under5';
  for (const bin of priceBands.slice(1)) if (price >= bin.fromDollars) band = bin.band;
  return band;
}

export type ReleaseEra = 'before2000' | 'from2000to2009' | 'from2010to2014' | 'from2015';

/**
 * Eras that match how the catalog grew: the classics before 2000; the 2000s, when Steam
 * began; 2010–2014, the indie boom; 2015 on, after Steam opened to every developer
 * (Greenlight's peak and Direct). An unknown date is in no era.
 */
export const releaseEras: readonly { era: ReleaseEra; label: string; fromYear: number }[] = [
  { era: 'before2000', label: 'Before 2000', fromYear: -Infinity },
  { era: 'from2000to2009', label: '2000–2009', fromYear: 2000 },
  { era: 'from2010to2014', label: '2010–2014', fromYear: 2010 },
  { era: 'from2015', label: '2015 and later', fromYear: 2015 },
];

export function releaseEraOf(released: string | null): ReleaseEra | null {
  const year = released === null ? NaN : Number.parseInt(released.slice(0, 4), 10);
  if (!Number.isFinite(year)) return null;
  let era: ReleaseEra = 'before2000';
  for (const bin of releaseEras) if (year >= bin.fromYear) era = bin.era;
  return era;
}

export type FreeOrPaid = 'free' | 'paid';

export function freeOrPaidOf(price: number | null): FreeOrPaid | null {
  if (price === null || !Number.isFinite(price) || price < 0) return null;
  return price === 0 ? 'free' : 'paid';
}

export interface AffinityValue {
  dimension: AffinityDimension;
  value: string;
}

/** The (dimension, value) pairs one game carries for the affinities, each value once. */
export function affinityValuesOf(game: Game): AffinityValue[] {
  const values: AffinityValue[] = [];
  for (const genre of new Set(game.genres)) values.push({ dimension: 'genre', value: genre });
  for (const tag of new Set(game.tags)) values.push({ dimension: 'tag', value: tag });
  if (game.developer) values.push({ dimension: 'developer', value: game.developer });
  const band = priceBandOf(game.price);
  if (band) values.push({ dimension: 'priceBand', value: band });
  const era = releaseEraOf(game.released);
  if (era) values.push({ dimension: 'releaseEra', value: era });
  const freeOrPaid = freeOrPaidOf(game.price);
  if (freeOrPaid) values.push({ dimension: 'freeOrPaid', value: freeOrPaid });
  return values;
}

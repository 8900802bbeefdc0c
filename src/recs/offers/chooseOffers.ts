// Choosing a shopper's offers: a discount on a game the models rank high but whose price the
// shopper is likely to hesitate over, and a bundle of that kind of game with one players often
// own together with it, both within the merchant's per-shopper budget. No random draw: the
// same profile and candidates always give the same offers, and the only thing derived from
// a hash of the profile is the offers' id.
import type { Game } from '../../data/types';
import { hashText } from '../../ml/io/hash';
import type { ScoredItem } from '../../ml/recommender';
import type { MutedInterests, Offer, OfferLine, OfferPolicy } from './types';

/** What the offers are chosen from: profile-like signals of the shopper. */
export interface OfferProfile {
  /** owned games are never offered */
  owned: readonly number[];
  /** 0 (price does not matter) … 1 (very price-sensitive); see recs/sim/population.ts */
  priceSensitivity: number;
  muted: MutedInterests;
  /**
   * The shopper's price ceiling (dollars): a game listed above it is never offered, since an
   * offer must not bring back what the shopper asked to leave out. Absent or null: none.
   */
  priceCeiling?: number | null;
}

export interface OfferInputs {
  profile: OfferProfile;
  /** the models' candidates for this shopper, best first */
  candidates: readonly ScoredItem[];
  /** the game most often owned together with `item` (co-occurrence), or null */
  partnerOf: (item: number) => number | null;
  catalog: readonly Game[];
  policy: OfferPolicy;
  /** epoch ms the offers are made at */
  now: number;
}

/** Throws unless every line lowers a known, positive price to a non-negative one. */
export function validateOffer(offer: Offer): void {
  if (offer.lines.length === 0) throw new Error(`offer ${offer.id} has no games`);
  for (const line of offer.lines) {
    if (!(line.originalPrice > 0))
      throw new Error(`offer ${offer.id}: game ${line.itemId} has no price to lower`);
    if (!(line.offeredPrice >= 0 && line.offeredPrice < line.originalPrice)) {
      throw new Error(
        `offer ${offer.id}: game ${line.itemId} offered at ${line.offeredPrice}, not below ${line.originalPrice}`,
      );
    }
  }
  if (offer.reason.trim() === '') throw new Error(`offer ${offer.id} does not say why it was made`);
}

/** Dollars the merchant gives away if every line of the offer is bought at its offered price. */
export function offerCost(offer: Offer): number {
  return offer.lines.reduce((sum, line) => sum + (line.originalPrice - line.offeredPrice), 0);
}

/** A price lowered by a fraction, rounded down to the cent, or null when that is not a lower price. */
export function discountedPrice(price: number, fraction: number): number | null {
  if (!(price > 0) || !(fraction > 0) || fraction >= 1) return null;
  const offered = Math.floor(price * (1 - fraction) * 100) / 100;
  return offered < price ? offered : null;
}

/**
 * The hesitation discount: the deepest discount scaled by price sensitivity, in whole 5% steps
 * (a shopper at sensitivity 0.6 with a 50% ceiling gets 30% off); 0 below the policy's threshold.
 */
export function hesitationDiscount(priceSensitivity: number, policy: OfferPolicy): number {
  if (priceSensitivity < policy.minSensitivity) return 0;
  const steps = Math.floor((policy.maxDiscount * Math.min(1, priceSensitivity)) / 0.05 + 1e-9);
  return steps * 0.05;
}

export function isMuted(game: Game, muted: MutedInterests): boolean {
  return (
    game.genres.some((genre) => muted.genres.has(genre)) ||
    game.tags.some((tag) => muted.tags.has(tag)) ||
    (game.developer !== '' && muted.developers.has(game.developer))
  );
}

/** FNV-1a of the profile, so an offer id is the same wherever the same profile is seen. */
export function profileHash(profile: OfferProfile): string {
  const sorted = (values: Iterable<string | number>) => [...values].map(String).sort().join(',');
  const text = [
    sorted(profile.owned),
    profile.priceSensitivity.toFixed(4),
    sorted(profile.muted.genres),
    sorted(profile.muted.tags),
    sorted(profile.muted.developers),
    // only when set, so a profile without a ceiling (every simulated shopper) keeps its hash
    ...(profile.priceCeiling == null ? [] : [`ceiling:${profile.priceCeiling}`]),
  ].join('|');
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * The bundle partner of `item`: its strongest co-ownership neighbour that is not `item` and not
 * excluded (owned, hidden), or null. The simulator and the store both pick partners this way.
 */
export function partnerFromNeighbours(
  item: number,
  neighbours: readonly ScoredItem[],
  excluded: ReadonlySet<number>,
): number | null {
  return neighbours.find((n) => n.item !== item && !excluded.has(n.item))?.item ?? null;
}

const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

/** The offers for one shopper: at most one discount and one bundle, each kept while the budget allows. */
export function chooseOffers(inputs: OfferInputs): Offer[] {
  const { profile, catalog, policy, now } = inputs;
  const owned = new Set(profile.owned);
  const offerable = (item: number) => {
    const game = catalog[item];
    const price = game?.price ?? 0;
    return (
      game !== undefined &&
      !owned.has(item) &&
      price > 0 &&
      (profile.priceCeiling == null || price <= profile.priceCeiling) &&
      !isMuted(game, profile.muted)
    );
  };
  const likely = inputs.candidates
    .map((c) => c.item)
    .filter(offerable)
    .slice(0, policy.consider);
  const hash = profileHash(profile);
  const offer = (kind: Offer['kind'], lines: OfferLine[], reason: string): Offer => ({
    // hashed: the id is the offers table's readable key, which must not name the games (encryption at rest)
    id: hashText(`${hash}-${kind}-${lines.map((l) => l.itemId).join('+')}`),
    kind,
    lines,
    reason,
    madeAt: now,
    expiresAt: now + policy.lifetimeMs,
  });
  const lineOf = (item: number, fraction: number): OfferLine | null => {
    const originalPrice = catalog[item].price ?? 0;
    const offeredPrice = discountedPrice(originalPrice, fraction);
    return offeredPrice === null ? null : { itemId: item, originalPrice, offeredPrice };
  };

  const proposals: Offer[] = [];
  const rate = hesitationDiscount(profile.priceSensitivity, policy);
  const discounted = rate > 0 ? likely[0] : undefined;
  if (discounted !== undefined) {
    const line = lineOf(discounted, rate);
    if (line) {
      proposals.push(
        offer(
          'discount',
          [line],
          `${percent(rate)} off ${catalog[discounted].title}: it is among your best matches, ` +
            `and it costs more than the games you usually buy`,
        ),
      );
    }
  }
  for (const item of likely) {
    if (item === discounted) continue;
    const partner = inputs.partnerOf(item);
    if (partner === null || partner === item || partner === discounted || !offerable(partner)) continue;
    const first = lineOf(item, policy.bundleDiscount);
    const second = lineOf(partner, policy.bundleDiscount);
    if (!first || !second) continue;
    proposals.push(
      offer(
        'bundle',
        [first, second],
        `${catalog[item].title} and ${catalog[partner].title} are often owned together: ` +
          `${percent(policy.bundleDiscount)} off each when you buy both`,
      ),
    );
    break;
  }

  const kept: Offer[] = [];
  let spent = 0;
  for (const proposal of proposals) {
    validateOffer(proposal);
    const cost = offerCost(proposal);
    if (spent + cost > policy.budgetPerShopper + 1e-9) continue;
    spent += cost;
    kept.push(proposal);
  }
  return kept;
}

// Shared by the offer tests only: games, shopper signals and a stored offer, small enough to
// work prices out by hand.
import type { Game } from '../../data/types';
import type { ShopperSignals } from '../types';
import type { StoredOffer } from './types';

/** An Action game by its own developer, "Game <id>", at `price` dollars. */
export const offerGame = (id: number, price: number | null, extra: Partial<Game> = {}): Game => ({
  id,
  appId: String(id),
  title: `Game ${id}`,
  price,
  genres: ['Action'],
  tags: [],
  developer: `Dev ${id}`,
  released: null,
  earlyAccess: false,
  ...extra,
});

/**
 * The offer tests' six games: 0 $20, 1 $10 Strategy, 2 free, 3 $30, 4 $8, 5 $12 (the paid ones
 * average $16). Game 3 also takes `third`, the trait a test mutes.
 */
export const offerCatalog = (third: Partial<Game>): Game[] => [
  offerGame(0, 20),
  offerGame(1, 10, { genres: ['Strategy'] }),
  offerGame(2, 0),
  offerGame(3, 30, third),
  offerGame(4, 8),
  offerGame(5, 12),
];

/** A shopper who looked at `history` and owns, carts and hides nothing unless told. */
export const offerSignals = (history: number[], overrides: Partial<ShopperSignals> = {}): ShopperSignals => ({
  history,
  weights: history.map(() => 1),
  verbs: history.map(() => 'viewed' as const),
  owned: [],
  inCart: [],
  hidden: [],
  ...overrides,
});

/** A standing 25% discount on game 1 ($20 → $15), made at 0 for 7 days. */
export const standingDiscount = (overrides: Partial<StoredOffer> = {}): StoredOffer => ({
  id: 'h-discount-1',
  kind: 'discount',
  lines: [{ itemId: 1, originalPrice: 20, offeredPrice: 15 }],
  reason: '25% off Game 1',
  madeAt: 0,
  expiresAt: 7 * 86_400_000,
  profileHash: 'h',
  withdrawnAt: null,
  ...overrides,
});

// Shared by the ranking layer's tests only: a small catalogue whose games differ in
// each field the filters, sorts, search and explanations read.
import type { Game } from '../data/types';
import type { ForYouQuality, RankerQuality } from './forYouQuality';

const game = (id: number, title: string, extra: Partial<Game> = {}): Game => ({
  id,
  appId: String(1000 + id),
  title,
  price: 9.99,
  genres: [],
  tags: [],
  developer: '',
  released: '2015-01-01',
  earlyAccess: false,
  ...extra,
});

export const sampleGames = [
  game(0, 'Terraria', { genres: ['Action', 'Indie'], tags: ['Sandbox', 'Crafting'], developer: 'Re-Logic' }),
  game(1, 'Sid Meier’s Civilization V', { genres: ['Strategy'], tags: ['Turn-Based'], price: 29.99 }),
  game(2, 'Team Fortress 2', { genres: ['Action'], tags: ['FPS'], price: 0, released: '2007-10-10' }),
  game(3, 'Unknown Price', { genres: ['Strategy'], price: null, released: null }),
];

/** An interval with its mean, lower and upper ends, at 95%. */
export const interval = (mean: number, lower: number, upper: number) => ({
  mean,
  lower,
  upper,
  confidence: 0.95,
});
/** A ranker's NDCG@10 and HR@10, each as [mean, lower, upper]. */
export const ranker = (ndcg: [number, number, number], hr: [number, number, number]): RankerQuality => ({
  ndcg: interval(...ndcg),
  hr: interval(...hr),
});

/**
 * "For you" as the store measures it, with figures worked out by hand in the tests: the blend
 * serves, NDCG@10 .131 against the GRU's .115 (1.14×), HR@10 .25 against .215 (1.16×).
 */
export const measuredForYou: ForYouQuality = {
  serves: 'blend',
  blend: ranker([0.131, 0.12, 0.14], [0.25, 0.22, 0.28]),
  profile: null,
  components: {
    popularity: ranker([0.04, 0.03, 0.05], [0.09, 0.07, 0.11]),
    coOccurrence: ranker([0.1, 0.09, 0.11], [0.2, 0.18, 0.22]),
    mf: ranker([0.11, 0.1, 0.12], [0.19, 0.17, 0.21]),
    sequential: ranker([0.115, 0.105, 0.125], [0.215, 0.2, 0.23]),
  },
  baselines: ranker([0.042, 0.035, 0.05], [0.1, 0.08, 0.12]),
  best: 'sequential',
  ratioToBest: 0.131 / 0.115,
  difference: interval(0.016, 0.004, 0.028),
  players: 400,
  fitPlayers: 400,
  fitMs: 1200,
  measureMs: 3400,
};

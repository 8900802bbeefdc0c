// Shared by the ranking layer's tests only: a small catalogue whose games differ in
// each field the filters, sorts, search and explanations read.
import type { Game } from '../data/types';

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

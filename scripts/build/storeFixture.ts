// A small store for the build's tests: 12 games and 60 community players, drawn with a seed.
import type { Game } from '../../src/data/types';
import { encodeCommunity, interactionKind } from '../../src/ml/communityData';
import { createRng } from '../../src/ml/random';

export const itemCount = 12;
export const games: Game[] = Array.from({ length: itemCount }, (_, id) => ({
  id,
  appId: String(1000 + id),
  title: `Game ${id}`,
  price: id,
  genres: [id % 2 ? 'Action' : 'Indie'],
  tags: [],
  developer: `Studio ${id % 3}`,
  released: null,
  earlyAccess: false,
}));

/** 60 players owning 3 to 7 of 12 games, items drawn with a seed, each player's list without repeats. */
export function fixtureCommunity(): ArrayBuffer {
  const rng = createRng(5);
  const offsets = [0];
  const items: number[] = [];
  for (let user = 0; user < 60; user++) {
    const owned = new Set<number>();
    const length = 3 + rng.nextInt(5);
    while (owned.size < length) owned.add(Math.floor(rng.next() * rng.next() * itemCount));
    items.push(...owned);
    offsets.push(items.length);
  }
  return encodeCommunity({
    userCount: 60,
    itemCount,
    userOffsets: Uint32Array.from(offsets),
    items: Int32Array.from(items),
    kinds: new Uint8Array(items.length).fill(interactionKind.owned),
    playtimeMinutes: Uint32Array.from(items, (_, row) => 30 + (row % 7) * 60),
    days: new Uint16Array(items.length),
  });
}

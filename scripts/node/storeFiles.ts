// The store's two data files as the Node scripts read them from public/data (the browser fetches
// the same files): the catalog's games and the community's binary interactions.
import { readFileSync } from 'node:fs';
import type { Game } from '../../src/data/types';
import { fromRoot } from './tfBackend';

export function readCatalogGames(): Game[] {
  return (JSON.parse(readFileSync(fromRoot('public/data/catalog.json'), 'utf8')) as { games: Game[] }).games;
}

/** community.bin as its own ArrayBuffer (a Buffer may be a view into a larger shared one). */
export function readCommunityBytes(): ArrayBuffer {
  const bytes = readFileSync(fromRoot('public/data/community.bin'));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

// Vite plugin: writes the store's neighbour tables (storeNeighbourFiles.ts) into the build's
// data folder, fitted from public/data/community.bin. Build only: the dev server has none, and
// the store worker fits the table itself there (saying so).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { storeNeighbourFiles } from './storeNeighbourFiles';

export function storeNeighboursPlugin(): Plugin {
  let publicDir = '';
  return {
    name: 'aisle-store-neighbours',
    apply: 'build',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    async generateBundle() {
      const community = readFileSync(join(publicDir, 'data', 'community.bin'));
      const bytes = community.buffer.slice(community.byteOffset, community.byteOffset + community.byteLength);
      for (const file of await storeNeighbourFiles(bytes)) {
        this.emitFile({ type: 'asset', fileName: `data/${file.fileName}`, source: file.bytes });
      }
    },
  };
}

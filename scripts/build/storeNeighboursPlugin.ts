// Vite plugin: writes the store's neighbour tables (storeNeighbourFiles.ts) into the build's
// data folder, fitted from public/data/community.bin. Build only: the dev server has none, and
// the store worker fits the table itself there (saying so).
import type { Plugin } from 'vite';
import { storeBuildData } from './storeBuildData';

export function storeNeighboursPlugin(): Plugin {
  let publicDir = '';
  return {
    name: 'aisle-store-neighbours',
    apply: 'build',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    async generateBundle() {
      for (const file of (await storeBuildData(publicDir)).neighbourFiles) {
        this.emitFile({ type: 'asset', fileName: `data/${file.fileName}`, source: file.bytes });
      }
    },
  };
}

// Vite plugin: writes a new shopper's home rows (storeFirstRows.ts) into index.html as a JSON
// data block, so the page paints its first cards without a request of any kind (the block is not
// script: the CSP does not apply to it). Build only: on the dev server the worker paints the rows.
import type { Plugin } from 'vite';
import { firstRowsElementId, type FirstRowsDocument } from '../../src/worker/store/firstRows';
import { buildId } from './precacheList';
import { storeBuildData } from './storeBuildData';
import { storeFirstRows } from './storeFirstRows';

/** JSON that cannot close its <script> element early (no "</script>", no "<!--"). */
export const jsonForHtml = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

export function storeFirstRowsPlugin(): Plugin {
  let publicDir = '';
  return {
    name: 'aisle-store-first-rows',
    apply: 'build',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    transformIndexHtml: {
      // after the scripts are named: their hashed names are part of the build id
      order: 'post',
      async handler(_html, context) {
        const data = await storeBuildData(publicDir);
        const scripts = Object.keys(context.bundle ?? {}).filter((name) => name.endsWith('.js'));
        const document: FirstRowsDocument = {
          buildId: buildId([
            ...scripts.map((name) => ({ name, content: '' })),
            { name: 'data/catalog.json', content: data.catalogBytes },
            { name: 'data/community.bin', content: new Uint8Array(data.communityBytes) },
          ]),
          modes: await storeFirstRows(data),
        };
        return [
          {
            tag: 'script',
            attrs: { type: 'application/json', id: firstRowsElementId },
            children: jsonForHtml(document),
            injectTo: 'head',
          },
        ];
      },
    },
  };
}

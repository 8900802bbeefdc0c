// Vite plugin: builds src/worker/sw/serviceWorker.ts into dist/sw.js (a fixed name at the root, so
// its scope is the whole app) and writes into it this build's precache list, build id and the
// response headers (the CSP of index.html and cross-origin isolation, from scripts/csp.mjs).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Plugin } from 'vite';
import { policyFromHtml, responseHeaders } from '../csp.mjs';
import { buildId, injectBuild, precacheList, serviceWorkerFile } from './precacheList';

const entry = 'src/worker/sw/serviceWorker.ts';

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

export function serviceWorkerPlugin(): Plugin {
  let publicDir = '';
  return {
    name: 'aisle-service-worker',
    apply: 'build',
    // after vite has written index.html into the bundle
    enforce: 'post',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    buildStart() {
      this.emitFile({ type: 'chunk', id: entry, fileName: serviceWorkerFile });
    },
    generateBundle(_options, bundle) {
      const worker = bundle[serviceWorkerFile];
      if (!worker || worker.type !== 'chunk') throw new Error(`${serviceWorkerFile} was not built`);
      // a classic service worker cannot import: it must be one self-contained file
      if (worker.imports.length > 0)
        throw new Error(`${serviceWorkerFile} imports ${worker.imports.join(', ')}: it must share no chunk`);
      const publicFiles = publicDir ? filesUnder(publicDir) : [];
      const served = Object.values(bundle).filter((file) => file.fileName !== serviceWorkerFile);
      const indexHtml = bundle['index.html'];
      const html = indexHtml?.type === 'asset' ? String(indexHtml.source) : '';
      const policy = policyFromHtml(html);
      if (!policy) throw new Error('index.html has no Content-Security-Policy <meta>');
      const precache = precacheList(
        served.map((file) => file.fileName),
        publicFiles,
      );
      const id = buildId([
        ...served.map((file) => ({
          name: file.fileName,
          content: file.type === 'chunk' ? file.code : file.source,
        })),
        ...publicFiles.map((name) => ({ name, content: readFileSync(join(publicDir, name)) })),
      ]);
      worker.code = injectBuild(worker.code, { buildId: id, precache, headers: responseHeaders(policy) });
    },
  };
}

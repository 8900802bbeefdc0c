import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { earlyPaintPlugin } from './scripts/build/earlyPaintPlugin';
import { serviceWorkerPlugin } from './scripts/build/serviceWorkerPlugin';
import { storeFirstRowsPlugin } from './scripts/build/storeFirstRowsPlugin';
import { storeNeighboursPlugin } from './scripts/build/storeNeighboursPlugin';

// `base: './'` makes every asset URL relative, so the same dist/ works from any
// sub-folder of any static host (routing is hash-based for the same reason).
export default defineConfig({
  base: './',
  // storeNeighboursPlugin: the store's kNN tables, fitted at build time (docs/internals.md)
  // storeFirstRowsPlugin: a new shopper's home rows in index.html, painted before the worker answers
  // earlyPaintPlugin: the classic script in index.html that paints the kept "For you" row before the bundle
  // serviceWorkerPlugin: dist/sw.js, the offline cache and the isolation headers (docs/offline.md)
  plugins: [
    svelte(),
    storeNeighboursPlugin(),
    storeFirstRowsPlugin(),
    earlyPaintPlugin(),
    serviceWorkerPlugin(),
  ],
  worker: { format: 'es' },
  resolve: {
    alias: [
      {
        // tfjs-backend-wasm's own import of its threaded factory (see threadedWasmFactory.ts for why)
        find: /^\.\.\/wasm-out\/tfjs-backend-wasm-threaded-simd\.js$/,
        replacement: fileURLToPath(new URL('src/worker/backend/threadedWasmFactory.ts', import.meta.url)),
      },
    ],
  },
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 2500 },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // Load tfjs's ES modules through Vite, as the browser build does. Node would otherwise take
    // each package's CommonJS bundle, and src/ml/tf.ts's deep imports (gradients, chained ops)
    // would register on a second, separate copy of tfjs-core.
    server: { deps: { inline: [/@tensorflow\//] } },
    alias: [
      {
        find: /^@tensorflow\/tfjs-core$/,
        replacement: fileURLToPath(
          new URL('node_modules/@tensorflow/tfjs-core/dist/index.js', import.meta.url),
        ),
      },
    ],
  },
});

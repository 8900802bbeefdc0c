// tfjs-core's ES build imports some modules without an extension (`./gradients`, beside a
// folder of that name), which bundlers and Vitest resolve to gradients.js (or a folder's
// index.js) but Node's ESM loader refuses. Registered with
// `npx tsx --import ./scripts/node/directoryImports.mjs <script>`, this hook makes Node do the same
// as the bundler, so scripts can run the models under Node.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_UNSUPPORTED_DIR_IMPORT') throw error;
    // a file beside the folder of the same name wins, as in the bundlers
    try {
      return await nextResolve(specifier + '.js', context);
    } catch {
      return nextResolve(specifier.replace(/\\/?$/, '/index.js'), context);
    }
  }
}`),
);

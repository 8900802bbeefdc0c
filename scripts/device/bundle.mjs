// Bundles scripts/device/gpuRows.ts and everything it imports (tfjs and its backends, the
// registry's models, the bench's row code) into one ES module for a machine with Node but no
// node_modules. The wasm binaries that the worker imports as `?url` (vite's syntax) are copied
// beside the bundle and resolved from it at run time.
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { build } from 'esbuild';

const outDir = resolve(process.argv[2] ?? '.device');
mkdirSync(outDir, { recursive: true });

/** `import url from 'pkg/file.wasm?url'` -> the copied file's path beside the bundle */
const assetUrls = {
  name: 'asset-urls',
  setup(esbuild) {
    esbuild.onResolve({ filter: /\?url$/ }, (args) => ({
      path: args.path.slice(0, -'?url'.length),
      namespace: 'asset-url',
      pluginData: { resolveDir: args.resolveDir },
    }));
    esbuild.onLoad({ filter: /.*/, namespace: 'asset-url' }, async (args) => {
      const resolved = await esbuild.resolve(args.path, {
        kind: 'import-statement',
        resolveDir: args.pluginData.resolveDir,
      });
      const file = basename(resolved.path);
      copyFileSync(resolved.path, join(outDir, file));
      return {
        contents: `import { fileURLToPath } from 'node:url';\nexport default fileURLToPath(new URL(${JSON.stringify(`./${file}`)}, import.meta.url));`,
        loader: 'js',
      };
    });
  },
};

await build({
  entryPoints: [resolve(import.meta.dirname, 'gpuRows.ts')],
  outfile: join(outDir, 'gpuRows.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // emscripten's Node path calls require('fs') and reads __dirname; an ES module has neither
  banner: {
    js: [
      "import { createRequire as aisleCreateRequire } from 'node:module';",
      "import { fileURLToPath as aisleFileURLToPath } from 'node:url';",
      'const require = aisleCreateRequire(import.meta.url);',
      'const __filename = aisleFileURLToPath(import.meta.url);',
      "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
    ].join('\n'),
  },
  // tfjs's Node builds are not listed in their packages' "sideEffects", so a bare
  // `import '@tensorflow/tfjs-backend-cpu'` (which registers the backend) would be dropped
  ignoreAnnotations: true,
  // one copy of tfjs-core: the backends' Node builds would require its CommonJS build beside the
  // ES modules our code imports, and two engines share no kernels or op handlers
  mainFields: ['module', 'main'],
  plugins: [assetUrls],
  logLevel: 'warning',
});
console.log(`bundled into ${outDir}`);

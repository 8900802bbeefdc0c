// Vite plugin: builds src/ui/firstPaint/earlyPaintScript.ts on its own, as one classic script
// (esbuild, an IIFE: it shares no chunk with the bundle and imports nothing), emits it under a
// content-hashed name, and loads it from inside index.html's <div id="app">, where the kept
// "For you" row goes (docs/internals.md, "The home page's first paint"). An external same-origin
// file: the CSP (script-src 'self') allows it, as it would refuse an inline script. Async: loaded
// synchronously it held the parser until it and the stylesheet had come (a warm visit's
// dom-interactive went from ~0.33 s to ~1.3 s on the loaded machine); the script itself does
// nothing once the app's bundle has started.
// Build only: the dev server has no build rows, so nothing kept could be painted.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Plugin } from 'vite';

const entry = fileURLToPath(new URL('../../src/ui/firstPaint/earlyPaintScript.ts', import.meta.url));

/** Where the script goes: the app's (empty) mount point in index.html. */
export const appElement = '<div id="app"></div>';

/** index.html with the early script inside the app's element; an index.html without one is an error. */
export function withEarlyScript(html: string, scriptPath: string): string {
  if (!html.includes(appElement))
    throw new Error(`index.html has no ${appElement} for the early paint script`);
  return html.replace(appElement, `<div id="app"><script async src="${scriptPath}"></script></div>`);
}

/** assets/early-paint-<8 hex digits of its SHA-256>.js */
export const earlyScriptFileName = (code: string): string =>
  `assets/early-paint-${createHash('sha256').update(code).digest('hex').slice(0, 8)}.js`;

export function earlyPaintPlugin(): Plugin {
  let fileName = '';
  return {
    name: 'aisle-early-paint',
    apply: 'build',
    async buildStart() {
      const built = await build({
        entryPoints: [entry],
        bundle: true,
        format: 'iife',
        minify: true,
        target: 'es2020',
        write: false,
        logLevel: 'silent',
      });
      const code = built.outputFiles[0].text;
      fileName = earlyScriptFileName(code);
      this.emitFile({ type: 'asset', fileName, source: code });
    },
    transformIndexHtml: {
      order: 'post',
      // relative, as every asset URL of this build (base './'): dist/ works from any sub-folder
      handler: (html) => withEarlyScript(html, `./${fileName}`),
    },
  };
}

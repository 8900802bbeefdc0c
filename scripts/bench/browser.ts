// Serving the production build and launching Chromium for the benchmark, through the module the
// evaluation runner shares (scripts/headless.mjs): the flags are the end-to-end tests' own, so the
// benchmark sees the browser the tests see: WebGPU on (SwiftShader without a GPU), nothing
// reaching the network.
import type { Browser, BrowserContext } from '@playwright/test';
import { serveBuild as serveBuildAt, type ServedBuild } from '../headless.mjs';

export { ensureBuild, launchChromium, repositoryRoot, type ServedBuild } from '../headless.mjs';

/** Where the benchmark's own files (datasets) appear on the page's origin; the app never uses it. */
export const privatePath = '/__aisle-bench__/';

/** dist/ plus `files` (name -> path on disk) under privatePath, on 127.0.0.1 and a free port. */
export function serveBuild(files: ReadonlyMap<string, string>): Promise<ServedBuild> {
  return serveBuildAt(files, privatePath);
}

/**
 * A browser context whose pages accept functions written in this TypeScript file: tsx compiles
 * it with esbuild's keep-names helper, so a function handed to page.evaluate may call
 * `__name(fn, "name")`, which exists only in Node. The page gets a do-nothing stand-in.
 */
export async function newBenchContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  return context;
}

// `npm run bench -- --step`, the Node-only section: it needs no build, browser or dataset file.
// tfjs's ES modules are not valid Node ESM (directory imports) and its Node platform calls a
// bare require(), so the section's module is loaded through Vite's module runner, which resolves
// it the way the unit tests do, with require provided.
import { createRequire } from 'node:module';
import { createServer } from 'vite';
import { repositoryRoot } from './browser';

type EmbeddingStepModule = typeof import('./embeddingStep');

export async function runStepSection(quick: boolean, log: (line: string) => void): Promise<string> {
  (globalThis as { require?: NodeJS.Require }).require ??= createRequire(import.meta.url);
  const server = await createServer({
    configFile: false,
    root: repositoryRoot,
    logLevel: 'error',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false, watch: null },
    optimizeDeps: { noDiscovery: true },
    ssr: { noExternal: [/@tensorflow\//] },
  });
  try {
    const stepBench = (await server.ssrLoadModule('/scripts/bench/embeddingStep.ts')) as EmbeddingStepModule;
    return stepBench.formatStepReport(await stepBench.runStepCases(stepBench.stepCases(quick), log));
  } finally {
    await server.close();
  }
}

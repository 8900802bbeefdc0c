// tfjs-backend-wasm's threaded binary starts each helper thread from a blob: script made of
// `"var WasmBackendModuleThreadedSimd = " + factory.toString()`. Bundled and minified, the
// factory's text is no longer self-contained: it refers to a variable of its enclosing module
// (the minifier turned the guarded `typeof _scriptDir !== "undefined" && _scriptDir` into a bare
// name once it saw the variable declared), and every helper thread dies with "ReferenceError".
// vite.config.ts points tfjs's import of the factory here: the same factory, whose text is tfjs's
// untouched script. The text itself, not a URL to load: a helper thread is a blob: worker of a
// worker, which the service worker does not answer, so offline it could load nothing.
import * as bundled from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import untouchedScript from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';

type Factory = (config: object) => Promise<unknown>;

const factory = ((bundled as unknown as { default?: Factory }).default ?? bundled) as unknown as Factory;

/**
 * The expression a helper thread evaluates for the factory: tfjs's own script, run in a function
 * of its own, defines WasmBackendModuleThreadedSimd there and hands it out.
 */
export function helperThreadFactorySource(script: string): string {
  return `(function () {\n${script}\nreturn WasmBackendModuleThreadedSimd;\n})()`;
}

function threadedFactory(config: object): Promise<unknown> {
  return factory(config);
}
threadedFactory.toString = () => helperThreadFactorySource(untouchedScript);

export default threadedFactory;

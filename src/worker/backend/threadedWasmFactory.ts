// tfjs-backend-wasm's threaded binary starts each helper thread from a blob: script made of
// `"var WasmBackendModuleThreadedSimd = " + factory.toString()`. Bundled and minified, the
// factory's text is no longer self-contained: it refers to a variable of its enclosing module
// (the minifier turned the guarded `typeof _scriptDir !== "undefined" && _scriptDir` into a bare
// name once it saw the variable declared), and every helper thread dies with "ReferenceError".
// vite.config.ts points tfjs's import of the factory here: the same factory, whose text instead
// loads tfjs's untouched script (copied into the build as an asset) into the helper thread.
import * as bundled from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import untouchedScriptUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?url';

type Factory = (config: object) => Promise<unknown>;

const factory = ((bundled as unknown as { default?: Factory }).default ?? bundled) as unknown as Factory;

/**
 * The expression a helper thread evaluates for the factory: tfjs's own script, loaded by absolute
 * URL (a blob: script has no base to resolve a relative one against), defines the global
 * WasmBackendModuleThreadedSimd.
 */
export function helperThreadFactorySource(scriptUrl: string): string {
  return `(function () { importScripts(${JSON.stringify(scriptUrl)}); return WasmBackendModuleThreadedSimd; })()`;
}

function threadedFactory(config: object): Promise<unknown> {
  return factory(config);
}
threadedFactory.toString = () =>
  helperThreadFactorySource(new URL(untouchedScriptUrl, globalThis.location?.href).href);

export default threadedFactory;

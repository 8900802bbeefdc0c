// The model cache as the lab worker reaches it: a folder URL on our own origin that answers GET
// (200 with the entry's bytes, 404 when there is none) and PUT (the entry's bytes). The evaluation
// runner serves one from a folder on disk (`--model-cache DIR`, scripts/eval/modelCacheRoute.ts).
import { modelCacheKeyPattern, type ModelCacheStore } from '../../ml/modelCache';

export function httpModelCache(
  folderUrl: string,
  origin: string,
  fetchImpl: typeof fetch = fetch,
): ModelCacheStore {
  const base = new URL(folderUrl, origin);
  // the CSP allows only our origin; say so plainly rather than surfacing a CSP violation
  if (base.origin !== new URL(origin).origin)
    throw new Error(`the model cache must be on this origin: ${folderUrl}`);
  if (!base.pathname.endsWith('/'))
    throw new Error(`the model cache URL must name a folder (end in "/"): ${folderUrl}`);
  const entryUrl = (key: string) => {
    if (!modelCacheKeyPattern.test(key)) throw new RangeError(`not a model cache key: ${key}`);
    return new URL(key, base);
  };
  return {
    async get(key) {
      const response = await fetchImpl(entryUrl(key));
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
    async put(key, bytes) {
      const response = await fetchImpl(entryUrl(key), { method: 'PUT', body: bytes });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    },
  };
}

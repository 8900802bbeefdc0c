import { describe, expect, it } from 'vitest';
import type { Bytes } from '../../ml/modelCache';
import { httpModelCache } from './httpModelCache';

const origin = 'http://127.0.0.1:4173';

/** A fetch answering from a map of paths, recording each request's method and path. */
function fakeFetch(entries: Map<string, Bytes>, requests: string[], status?: number): typeof fetch {
  return (async (input: URL | RequestInfo, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    requests.push(`${method} ${url.pathname}`);
    if (status) return new Response(null, { status });
    if (method === 'PUT') {
      entries.set(url.pathname, new Uint8Array(init!.body as Uint8Array));
      return new Response(null, { status: 204 });
    }
    const bytes = entries.get(url.pathname);
    return bytes ? new Response(bytes) : new Response('not found', { status: 404 });
  }) as typeof fetch;
}

describe('httpModelCache', () => {
  it('PUTs an entry under the folder and GETs the same bytes back; a missing key is undefined', async () => {
    const entries = new Map<string, Bytes>();
    const requests: string[] = [];
    const cache = httpModelCache('/__aisle-eval__/model-cache/', origin, fakeFetch(entries, requests));
    expect(await cache.get('sasrec-00ff')).toBeUndefined();
    await cache.put('sasrec-00ff', Uint8Array.from([1, 2, 3]));
    expect(Array.from((await cache.get('sasrec-00ff'))!)).toEqual([1, 2, 3]);
    expect(requests).toEqual([
      'GET /__aisle-eval__/model-cache/sasrec-00ff',
      'PUT /__aisle-eval__/model-cache/sasrec-00ff',
      'GET /__aisle-eval__/model-cache/sasrec-00ff',
    ]);
  });

  it('fails with the HTTP status when the server errs, so the caller trains instead', async () => {
    const cache = httpModelCache('/cache/', origin, fakeFetch(new Map(), [], 500));
    await expect(cache.get('mf-1')).rejects.toThrow('HTTP 500');
    await expect(cache.put('mf-1', new Uint8Array(4))).rejects.toThrow('HTTP 500');
  });

  it('refuses another origin, a URL that is no folder and a key that could leave the folder', async () => {
    expect(() => httpModelCache('https://example.com/cache/', origin)).toThrow(/this origin/);
    expect(() => httpModelCache('/cache', origin)).toThrow(/folder/);
    const cache = httpModelCache('/cache/', origin, fakeFetch(new Map(), []));
    await expect(cache.get('../secrets')).rejects.toThrow(/not a model cache key/);
  });
});

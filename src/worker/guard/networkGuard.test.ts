import { describe, expect, it, vi } from 'vitest';
import { guardWorkerScope, isOwnOrigin, type GuardedScope } from './networkGuard';

const own = 'http://127.0.0.1:4173';
const location = { href: `${own}/aisle/assets/recsWorker-abc.js`, origin: own };

/** A worker scope whose network APIs record what reached them. */
function scope() {
  const reached: string[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    reached.push(String(input instanceof Request ? input.url : input));
    return new Response('ok');
  });
  class FakeXhr {
    open(_method: string, url: string | URL) {
      reached.push(`xhr ${String(url)}`);
    }
  }
  const target: GuardedScope = {
    location,
    fetch: fetch as unknown as typeof globalThis.fetch,
    XMLHttpRequest: FakeXhr as unknown as typeof XMLHttpRequest,
    WebSocket: class {},
    EventSource: class {},
    importScripts: (...urls) => reached.push(...urls.map((url) => `script ${String(url)}`)),
  };
  guardWorkerScope(target);
  return { target, reached };
}

describe('isOwnOrigin', () => {
  it('resolves relative URLs against the worker and keeps data: and blob: local', () => {
    expect(isOwnOrigin('../data/community.bin', { location })).toBe(true);
    expect(isOwnOrigin(`${own}/x`, { location })).toBe(true);
    expect(isOwnOrigin('data:,hi', { location })).toBe(true);
    expect(isOwnOrigin(`blob:${own}/1234`, { location })).toBe(true);
    // same host, another port: another origin
    expect(isOwnOrigin('http://127.0.0.1:4174/x', { location })).toBe(false);
    expect(isOwnOrigin('//evil.example/x', { location })).toBe(false);
    expect(isOwnOrigin('http://[bad', { location })).toBe(false);
  });
});

describe('guardWorkerScope', () => {
  it('lets fetch reach this origin and refuses any other before it leaves the worker', async () => {
    const { target, reached } = scope();
    await expect(target.fetch!('../data/catalog.json')).resolves.toBeInstanceOf(Response);
    await expect(target.fetch!('http://127.0.0.1:4174/steal')).rejects.toThrow(
      "A request to another origin is not allowed in Aisle's workers: they talk to this origin only (http://127.0.0.1:4174/steal)",
    );
    await expect(target.fetch!(new Request('https://evil.example/'))).rejects.toThrow('another origin');
    expect(reached).toEqual(['../data/catalog.json']);
  });

  it('refuses XMLHttpRequest and importScripts to other origins', () => {
    const { target, reached } = scope();
    const Xhr = target.XMLHttpRequest!;
    new Xhr().open('GET', '/aisle/ok');
    expect(() => new Xhr().open('GET', 'https://evil.example/')).toThrow('another origin');
    target.importScripts!('./local.js');
    expect(() => target.importScripts!('./local.js', 'https://evil.example/x.js')).toThrow(
      'A script from another origin',
    );
    expect(reached).toEqual(['xhr /aisle/ok', 'script ./local.js']);
  });

  it('makes WebSocket and EventSource impossible to construct', () => {
    const { target } = scope();
    const Socket = target.WebSocket as new (url: string) => unknown;
    expect(() => new Socket('ws://127.0.0.1:4174/')).toThrow(
      "WebSocket is not allowed in Aisle's workers: they talk to this origin only (ws://127.0.0.1:4174/)",
    );
    const Source = target.EventSource as new (url: string) => unknown;
    expect(() => new Source('/events')).toThrow('EventSource is not allowed');
  });

  it('adds nothing the scope did not have', () => {
    const bare: GuardedScope = { location };
    guardWorkerScope(bare);
    expect(bare.WebSocket).toBeUndefined();
    expect(bare.fetch).toBeUndefined();
  });
});

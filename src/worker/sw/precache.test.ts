import { describe, expect, it } from 'vitest';
import { cachedUrlFor, cacheName, precacheUrls, staleCaches } from './precache';

const scope = 'https://shop.example/aisle/';

describe('the build’s cache', () => {
  it('is named by the build', () => {
    expect(cacheName('3f2a9c01')).toBe('aisle-build-3f2a9c01');
  });

  it('leaves only earlier builds’ caches to delete, never another app’s', () => {
    expect(
      staleCaches(['aisle-build-old1', 'aisle-build-new2', 'other-cache', 'aisle-data'], 'new2'),
    ).toEqual(['aisle-build-old1']);
    expect(staleCaches([], 'new2')).toEqual([]);
  });

  it('lists its files under the scope, wherever the app is served', () => {
    expect(precacheUrls(['index.html', 'assets/index-AbC.js', 'data/catalog.json'], scope)).toEqual([
      'https://shop.example/aisle/index.html',
      'https://shop.example/aisle/assets/index-AbC.js',
      'https://shop.example/aisle/data/catalog.json',
    ]);
  });
});

describe('what answers a request', () => {
  const precached = new Set(precacheUrls(['index.html', 'assets/index-AbC.js'], scope));
  const get = (url: string, mode = 'cors') => cachedUrlFor({ url, method: 'GET', mode }, scope, precached);

  it('a page load of the scope is the cached index.html, whatever its query or hash', () => {
    expect(get('https://shop.example/aisle/', 'navigate')).toBe('https://shop.example/aisle/index.html');
    expect(get('https://shop.example/aisle/?backend=wasm#/product/42', 'navigate')).toBe(
      'https://shop.example/aisle/index.html',
    );
    expect(get('https://shop.example/aisle/index.html', 'navigate')).toBe(
      'https://shop.example/aisle/index.html',
    );
  });

  it('a precached file is itself; anything else goes to the network', () => {
    expect(get('https://shop.example/aisle/assets/index-AbC.js')).toBe(
      'https://shop.example/aisle/assets/index-AbC.js',
    );
    expect(get('https://shop.example/aisle/assets/index-AbC.js?v=2')).toBe(
      'https://shop.example/aisle/assets/index-AbC.js',
    );
    expect(get('https://shop.example/aisle/__aisle-bench__/dataset')).toBeNull();
    expect(get('https://shop.example/aisle/other.html', 'navigate')).toBeNull();
    expect(get('https://shop.example/elsewhere/index.html', 'navigate')).toBeNull();
  });

  it('only GETs are answered from the cache', () => {
    expect(
      cachedUrlFor({ url: `${scope}index.html`, method: 'POST', mode: 'cors' }, scope, precached),
    ).toBeNull();
  });
});

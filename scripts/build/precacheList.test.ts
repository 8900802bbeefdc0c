import { describe, expect, it } from 'vitest';
import { buildId, buildPlaceholder, injectBuild, precacheList } from './precacheList';

describe('the precache list', () => {
  it('holds the bundle’s and the public folder’s files, sorted, without sw.js, maps, the data report or test-only tables', () => {
    expect(
      precacheList(
        [
          'index.html',
          'sw.js',
          'data/neighbours-full.bin',
          'data/neighbours-quick.bin',
          'data/neighbours-off.bin',
          'assets/index-Ab1.js',
          'assets/index-Ab1.js.map',
          'assets/tfjs-backend-wasm-simd-9x.wasm',
        ],
        [
          'data/catalog.json',
          'data/community.bin',
          'data/build-report.json',
          'icon.svg',
          'manifest.webmanifest',
        ],
      ),
    ).toEqual([
      'assets/index-Ab1.js',
      'assets/tfjs-backend-wasm-simd-9x.wasm',
      'data/catalog.json',
      'data/community.bin',
      'data/neighbours-full.bin',
      'icon.svg',
      'index.html',
      'manifest.webmanifest',
    ]);
  });

  it('lists a file named twice once', () => {
    expect(precacheList(['icon.svg', './index.html'], ['icon.svg'])).toEqual(['icon.svg', 'index.html']);
  });
});

describe('the build id', () => {
  const files = [
    { name: 'index.html', content: '<html>' },
    { name: 'data/community.bin', content: new Uint8Array([1, 2, 3]) },
  ];

  it('is 16 hex digits, whatever the order files come in', () => {
    const id = buildId(files);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(buildId([...files].reverse())).toBe(id);
  });

  it('changes with any file’s content or name', () => {
    const id = buildId(files);
    expect(buildId([files[0], { name: 'data/community.bin', content: new Uint8Array([1, 2, 4]) }])).not.toBe(
      id,
    );
    expect(buildId([files[0], { name: 'data/other.bin', content: new Uint8Array([1, 2, 3]) }])).not.toBe(id);
  });
});

describe('writing the build into sw.js', () => {
  const build = {
    buildId: 'abc',
    precache: ['index.html'],
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin' },
  };

  it('replaces every copy of the placeholder, in either quotes, with the object', () => {
    const code = `const b="${buildPlaceholder}";caches.open('aisle-build-'+'${buildPlaceholder}'.buildId);`;
    const json = JSON.stringify(build);
    expect(injectBuild(code, build)).toBe(`const b=(${json});caches.open('aisle-build-'+(${json}).buildId);`);
  });

  it('refuses a code without the placeholder', () => {
    expect(() => injectBuild('const b = {};', build)).toThrow(/placeholder is missing/);
  });
});

import { describe, expect, it } from 'vitest';
import { backendFromUrl } from './backendChoice';
import { coverSvg, hashString } from './cover';
import { describeEvent } from './eventText';
import { hrefFor, parseHash, type Route } from './router.svelte';

describe('hash routing', () => {
  const routes: Route[] = [
    { name: 'home' },
    { name: 'browse', genre: 'Strategy', tag: 'Turn-Based' },
    { name: 'browse' },
    { name: 'search', query: 'civ & co' },
    { name: 'game', id: 42 },
    { name: 'cart' },
    { name: 'data' },
    { name: 'insights' },
    { name: 'profile' },
    { name: 'simulate' },
    { name: 'offers' },
  ];
  it('round-trips every route through its href', () => {
    for (const route of routes) {
      const parsed = parseHash(hrefFor(route));
      expect(parsed).toEqual({
        ...route,
        ...(route.name === 'browse' ? { genre: route.genre, tag: route.tag } : {}),
      });
    }
  });
  it('sends malformed paths to not-found', () => {
    expect(parseHash('#/game/abc')).toEqual({ name: 'notFound', path: '/game/abc' });
    expect(parseHash('#/nowhere')).toEqual({ name: 'notFound', path: '/nowhere' });
    expect(parseHash('')).toEqual({ name: 'home' });
  });
});

describe('covers', () => {
  it('are deterministic, escape the title, and differ between titles', () => {
    expect(coverSvg('Portal 2', ['Action'])).toBe(coverSvg('Portal 2', ['Action']));
    expect(coverSvg('Portal 2', ['Action'])).not.toBe(coverSvg('Portal', ['Action']));
    expect(coverSvg('<Tom & Jerry>', [])).toContain('aria-label="&#60;Tom &#38; Jerry&#62;"');
    expect(coverSvg('<Tom & Jerry>', [])).not.toContain('<Tom');
  });
  it('hashes with FNV-1a (published test vector: "a" → 0xe40c292c)', () => {
    expect(hashString('a')).toBe(0xe40c292c);
  });
});

describe('backend choice from the URL', () => {
  it('accepts known backends only', () => {
    expect(backendFromUrl('?backend=wasm')).toBe('wasm');
    expect(backendFromUrl('?backend=quantum')).toBe('auto');
    expect(backendFromUrl('')).toBe('auto');
  });
});

describe('event descriptions', () => {
  it('say what happened in plain words', () => {
    const titleOf = () => 'Terraria';
    const base = { at: 0, sessionId: 's', itemId: 1 };
    expect(describeEvent({ ...base, kind: 'dwell', dwellMs: 61_400 }, titleOf)).toBe(
      'Spent 61 s on Terraria',
    );
    expect(describeEvent({ ...base, kind: 'purchase', price: 9.99 }, titleOf)).toBe(
      'Bought Terraria for $9.99',
    );
    expect(describeEvent({ at: 0, sessionId: 's', kind: 'search', query: 'rpg' }, titleOf)).toBe(
      'Searched for “rpg”',
    );
  });
});

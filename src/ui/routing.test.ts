import { describe, expect, it } from 'vitest';
import { backendFromUrl } from './backendChoice';
import { coverBackground, coverDesign, hashString } from './cover';
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
  it('are deterministic and differ between titles', () => {
    expect(coverDesign('Portal 2', ['Action'])).toEqual(coverDesign('Portal 2', ['Action']));
    expect(coverDesign('Portal 2', ['Action'])).not.toEqual(coverDesign('Portal', ['Action']));
  });
  it('take the hues from the genre and the title\'s hash (worked by hand for "a")', () => {
    // hash("a") = 3826002220: % 70 = 40, >>> 8 = 14945321 and % 80 = 41, % 360 = 340
    // Action's hue is 0: hueA = (0 + 40 - 35 + 360) % 360 = 5, hueB = (5 + 40 + 41) % 360 = 86
    expect(coverDesign('a', ['Action'])).toMatchObject({ hueA: 5, hueB: 86, initials: 'A' });
    // no known genre: the hash picks the family, hueA = (340 + 5 + 360) % 360 = 345, hueB = 426 % 360 = 66
    expect(coverDesign('a', [])).toMatchObject({ hueA: 345, hueB: 66 });
  });
  it('take initials from the first two words that start with a letter or digit', () => {
    expect(coverDesign('half-life 2: episode one', []).initials).toBe('H2');
    expect(coverDesign('«Quoted» game of the year', []).initials).toBe('GO');
    expect(coverDesign('  ', []).initials).toBe('');
  });
  it('draw as one CSS background: a diagonal gradient between the two hues', () => {
    expect(coverBackground({ hueA: 5, hueB: 86, initials: 'A' })).toBe(
      'linear-gradient(to bottom right, hsl(5 55% 42%), hsl(86 60% 22%))',
    );
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

import { describe, expect, it } from 'vitest';
import type { FirstRowsDocument } from '../../worker/store/firstRows';
import type { RankedRow } from '../../worker/store/protocol';
import {
  attributeIsSafe,
  buildIdOf,
  isHomeHash,
  keptMarkupMayPaint,
  markupIsSafe,
  markupToKeep,
  maxKeptMarkupChars,
  parseKeptMarkup,
  trainingModeOfSearch,
  type KeptMarkup,
  type MarkupElement,
} from './earlyMarkup';

const kept: KeptMarkup = {
  version: 1,
  buildId: 'b1',
  mode: 'full',
  stateVersion: 'v1',
  markup: '<section></section>',
};
const here = { stateVersion: 'v1', buildId: 'b1', mode: 'full' as const, hash: '#/' };

/** A plain stand-in for a DOM element: tag, attributes as pairs, children. */
const el = (
  tagName: string,
  attributes: Record<string, string> = {},
  ...children: MarkupElement[]
): MarkupElement => ({
  tagName,
  attributes: Object.entries(attributes).map(([name, value]) => ({ name, value })),
  children,
});

describe('when the kept markup may be painted', () => {
  it('under the token it was kept with, for the same build and mode, on the home page only', () => {
    expect(keptMarkupMayPaint(kept, here)).toBe(true);
    expect(keptMarkupMayPaint(kept, { ...here, stateVersion: 'v2' })).toBe(false); // a write since: stale
    expect(keptMarkupMayPaint(kept, { ...here, stateVersion: null })).toBe(false);
    expect(keptMarkupMayPaint(kept, { ...here, buildId: 'b2' })).toBe(false); // other scoped classes, other rows
    expect(keptMarkupMayPaint(kept, { ...here, buildId: null })).toBe(false); // the dev server
    expect(keptMarkupMayPaint(kept, { ...here, mode: 'off' })).toBe(false);
    expect(keptMarkupMayPaint(kept, { ...here, hash: '#/game/12' })).toBe(false);
  });

  it("a new shopper's (kept under no token) only while there is still none", () => {
    const newShopper = { ...kept, stateVersion: null };
    expect(keptMarkupMayPaint(newShopper, { ...here, stateVersion: null })).toBe(true);
    expect(keptMarkupMayPaint(newShopper, here)).toBe(false);
  });

  it('the home route is an empty path, with or without a query', () => {
    expect(['', '#', '#/', '#//', '#/?x=1'].map(isHomeHash)).toEqual([true, true, true, true, true]);
    expect(['#/cart', '#/game/3', '#browse', '#/search?q=a'].map(isHomeHash)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('the training mode is read as the page reads it: anything unknown is full', () => {
    expect(
      ['?train=off', '?x=1&train=quick', '?train=tiny', '?train=fast', ''].map(trainingModeOfSearch),
    ).toEqual(['off', 'quick', 'tiny', 'full', 'full']);
  });

  it("reads index.html's build id without checking its rows; anything else is none", () => {
    expect(buildIdOf('{"buildId":"abc","modes":{}}')).toBe('abc');
    expect([null, '', '{', '[]', '{"buildId":3}', 'null'].map(buildIdOf)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});

describe('reading the kept markup', () => {
  it('takes a copy this version wrote, and nothing damaged, foreign or oversized', () => {
    expect(parseKeptMarkup(JSON.stringify(kept))).toEqual(kept);
    expect(parseKeptMarkup(JSON.stringify({ ...kept, stateVersion: null }))?.stateVersion).toBeNull();
    for (const damaged of [
      null,
      '',
      '{"version":1,',
      'null',
      JSON.stringify({ ...kept, version: 2 }),
      JSON.stringify({ ...kept, mode: 'turbo' }),
      JSON.stringify({ ...kept, stateVersion: 4 }),
      JSON.stringify({ ...kept, markup: '' }),
      JSON.stringify({ ...kept, markup: 'x'.repeat(maxKeptMarkupChars + 1) }),
      JSON.stringify({ ...kept, buildId: undefined }),
    ])
      expect(parseKeptMarkup(damaged)).toBeNull();
  });
});

describe('what is kept', () => {
  const build: FirstRowsDocument = { buildId: 'b1', modes: {} };
  const baseline: RankedRow[] = [{ key: 'forYou', items: [], blend: 'baseline' }];

  it("the markup under the request's token and this build; nothing for the blend's rows, no build or no markup", () => {
    expect(
      markupToKeep(
        { rows: baseline, stateVersion: 'v1', requestKey: 'k' },
        { mode: 'full', build },
        '<section></section>',
      ),
    ).toEqual(kept);
    const hybrid: RankedRow[] = [{ ...baseline[0], blend: 'hybrid' }];
    expect(
      markupToKeep({ rows: hybrid, stateVersion: 'v1', requestKey: 'k' }, { mode: 'full', build }, '<p></p>'),
    ).toBeNull();
    expect(
      markupToKeep(
        { rows: baseline, stateVersion: 'v1', requestKey: 'k' },
        { mode: 'full', build: null },
        '<p></p>',
      ),
    ).toBeNull();
    expect(
      markupToKeep({ rows: baseline, stateVersion: 'v1', requestKey: 'k' }, { mode: 'full', build }, null),
    ).toBeNull();
    const huge = 'x'.repeat(maxKeptMarkupChars + 1);
    expect(
      markupToKeep({ rows: baseline, stateVersion: 'v1', requestKey: 'k' }, { mode: 'full', build }, huge),
    ).toBeNull();
  });

  it("under no state version, only a copy of the build's own rows for this mode (what the next first render draws)", () => {
    const withRows: FirstRowsDocument = {
      buildId: 'b1',
      modes: { full: { requestKey: 'new-shopper', rows: baseline, games: [] } },
    };
    const answered = (requestKey: string) => ({ rows: baseline, stateVersion: null, requestKey });
    expect(markupToKeep(answered('new-shopper'), { mode: 'full', build: withRows }, '<p></p>')).toEqual({
      ...kept,
      stateVersion: null,
      markup: '<p></p>',
    });
    // another answer, or a mode the build has no rows for: the next visit would draw other cards
    expect(markupToKeep(answered('other'), { mode: 'full', build: withRows }, '<p></p>')).toBeNull();
    expect(markupToKeep(answered('new-shopper'), { mode: 'quick', build: withRows }, '<p></p>')).toBeNull();
  });
});

describe('refusing markup the home page never renders', () => {
  it('a card as GameCard draws it passes', () => {
    const card = el(
      'ARTICLE',
      { class: 'card svelte-1', 'data-testid': 'game-card', 'data-item': '7' },
      el(
        'A',
        { class: 'link', href: '#/game/7' },
        el('IMG', { alt: '', src: 'data:image/svg+xml,%3Csvg%3E', loading: 'lazy' }),
      ),
      el('BUTTON', { 'aria-label': 'Why Game 7?', popovertarget: 'why-7' }),
      el('DIV', { popover: 'auto', role: 'dialog', id: 'why-7' }),
    );
    expect(markupIsSafe([el('SECTION', { 'aria-busy': 'false' }, card)])).toBe(true);
  });

  it('refuses the whole copy for one script, event handler, foreign tag or URL with a scheme', () => {
    const inCard = (child: MarkupElement) => markupIsSafe([el('SECTION', {}, el('ARTICLE', {}, child))]);
    expect(inCard(el('SCRIPT'))).toBe(false);
    expect(inCard(el('IMG', { src: 'data:image/svg+xml,x', onerror: 'alert(1)' }))).toBe(false);
    expect(inCard(el('DIV', { OnClick: 'x' }))).toBe(false);
    expect(inCard(el('svg'))).toBe(false); // an SVG's own <script> or handlers are not drawn by the page
    expect(inCard(el('IFRAME'))).toBe(false);
    expect(inCard(el('A', { href: 'javascript:alert(1)' }))).toBe(false);
    expect(inCard(el('A', { href: 'https://elsewhere.example/' }))).toBe(false);
    expect(inCard(el('IMG', { src: 'https://elsewhere.example/pixel.png' }))).toBe(false);
    expect(inCard(el('FORM', { action: '/x' }))).toBe(false);
    expect(inCard(el('BUTTON', { formaction: '/x' }))).toBe(false);
  });

  it('allows aria-* and data-*, an in-page link and a data: image, and nothing else with a URL', () => {
    expect(attributeIsSafe('div', 'aria-hidden', 'true')).toBe(true);
    expect(attributeIsSafe('div', 'data-early-paint', '')).toBe(true);
    expect(attributeIsSafe('a', 'href', '#/cart')).toBe(true);
    expect(attributeIsSafe('div', 'href', '#/cart')).toBe(false);
    expect(attributeIsSafe('img', 'src', 'data:image/png;base64,AA')).toBe(true);
    expect(attributeIsSafe('img', 'src', 'data:text/html,x')).toBe(false);
    expect(attributeIsSafe('img', 'srcset', 'data:image/png;base64,AA 1x')).toBe(false);
    expect(attributeIsSafe('div', 'style', 'color: red')).toBe(false);
  });

  it("paints a cover's gradient as the browser serialises it, and no other inline style", () => {
    const cover = 'background: linear-gradient(to right bottom, rgb(167, 48, 48), rgb(90, 22, 56));';
    expect(attributeIsSafe('div', 'style', cover)).toBe(true);
    expect(
      attributeIsSafe('div', 'style', 'background: linear-gradient(to right, hsl(10 55% 42%), red)'),
    ).toBe(true);
    expect(attributeIsSafe('span', 'style', cover)).toBe(false);
    // anything that can fetch, or any other property, is refused
    expect(attributeIsSafe('div', 'style', 'background: linear-gradient(red, blue), url(x)')).toBe(false);
    expect(attributeIsSafe('div', 'style', 'background: url(x)')).toBe(false);
    expect(attributeIsSafe('div', 'style', 'background: linear-gradient(red, blue); position: fixed')).toBe(
      false,
    );
    expect(attributeIsSafe('div', 'style', 'background: image-set(x 1x)')).toBe(false);
  });
});

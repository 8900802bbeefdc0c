// The home page's earliest paint: the first row as the app last rendered it (its markup, with
// Svelte's scoped class names, so the page's own stylesheet draws it), kept in localStorage and
// inserted by a small async classic script (earlyPaintScript.ts) as soon as it arrives, before
// the module bundle has run. Pure rules here, shared by the page that keeps
// the markup (homePaint.ts, earlyMarkupCapture.ts) and the script that paints it.
//
// The markup is painted under the same rule as the kept rows (paintSources.ts' rowsToPaintEarly):
// only while the state version is the one it was kept under (no token at all: the build's rows of
// a new shopper), for the same build and training mode, on the home route. A passphrase removes it
// and changes the token. It is our own rendered DOM; still, a copy holding any element or attribute
// the home page does not render (script, an event handler, a URL with a scheme) is refused whole.
import type { FirstRowsDocument } from '../../worker/store/firstRows';
import type { RankedRow, StoreTrainingMode } from '../../worker/store/protocol';
import { rankedByBaselines, storeTrainingModes } from './paintSources';

export const keptMarkupVersion = 1;

/** Larger than the header and one row of ten cards ever are (~20 KB): a bigger copy is not ours. */
export const maxKeptMarkupChars = 64_000;

/** What the page keeps for the next visit's early paint. */
export interface KeptMarkup {
  version: typeof keptMarkupVersion;
  buildId: string;
  mode: StoreTrainingMode;
  /** the state version the rows were asked for under; null: none existed (a new shopper's rows) */
  stateVersion: string | null;
  markup: string;
}

/** What the early script knows before the app exists. */
export interface EarlyMarkupContext {
  /** the state version now (null: none) */
  stateVersion: string | null;
  /** index.html's build id (null: no build rows, the dev server) */
  buildId: string | null;
  mode: StoreTrainingMode;
  /** location.hash */
  hash: string;
}

/** The store's training mode from the page's query (`?train=`); anything else is 'full'. */
export function trainingModeOfSearch(search: string): StoreTrainingMode {
  const asked = new URLSearchParams(search).get('train');
  return asked !== null && storeTrainingModes.includes(asked) ? (asked as StoreTrainingMode) : 'full';
}

/** Whether the hash routes to the home page (router.svelte.ts' parseHash: an empty first part). */
export function isHomeHash(hash: string): boolean {
  const path = hash.replace(/^#/, '').split('?')[0];
  return path.split('/').every((part) => part === '');
}

/** index.html's build id, read from its first-rows block without checking the rows (null: none). */
export function buildIdOf(firstRowsText: string | null | undefined): string | null {
  if (!firstRowsText) return null;
  try {
    const value: unknown = JSON.parse(firstRowsText);
    const id = typeof value === 'object' && value !== null ? (value as { buildId?: unknown }).buildId : null;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

/** The kept markup, or null when absent, damaged, oversized or written by another version. */
export function parseKeptMarkup(text: string | null | undefined): KeptMarkup | null {
  // the markup is most of the text: a copy too large to be ours is not even parsed
  if (!text || text.length > maxKeptMarkupChars + 1_000) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const kept = value as Record<string, unknown>;
  return kept.version === keptMarkupVersion &&
    typeof kept.buildId === 'string' &&
    typeof kept.mode === 'string' &&
    storeTrainingModes.includes(kept.mode) &&
    (kept.stateVersion === null || typeof kept.stateVersion === 'string') &&
    typeof kept.markup === 'string' &&
    kept.markup.length > 0 &&
    kept.markup.length <= maxKeptMarkupChars
    ? (value as KeptMarkup)
    : null;
}

/** The kept markup still shows this state's first row: same token (or none), build and mode, at home. */
export function keptMarkupMayPaint(kept: KeptMarkup, context: EarlyMarkupContext): boolean {
  return (
    isHomeHash(context.hash) &&
    context.buildId !== null &&
    kept.buildId === context.buildId &&
    kept.mode === context.mode &&
    kept.stateVersion === context.stateVersion
  );
}

/**
 * The record to keep beside the answered rows, or null to keep none: no build (no build id to
 * check against), rows the learned blend ranked (the next visit's first answer comes from the
 * baselines, so its first render would show other cards), no markup of those rows, or, under no
 * state version, an answer that is not the build's own rows for this mode (the next visit's
 * first render draws the build's rows then, so a copy of any other cards would change under the
 * shopper's eyes).
 */
export function markupToKeep(
  answered: { rows: readonly RankedRow[]; stateVersion: string | null; requestKey: string },
  context: { mode: StoreTrainingMode; build: FirstRowsDocument | null },
  markup: string | null,
): KeptMarkup | null {
  if (!context.build || markup === null || markup.length === 0 || markup.length > maxKeptMarkupChars)
    return null;
  if (!rankedByBaselines(answered.rows)) return null;
  if (answered.stateVersion === null && context.build.modes[context.mode]?.requestKey !== answered.requestKey)
    return null;
  return {
    version: keptMarkupVersion,
    buildId: context.build.buildId,
    mode: context.mode,
    stateVersion: answered.stateVersion,
    markup,
  };
}

// --- refusing markup the home page never renders

/** The part of a DOM element the check reads (an Element is one; tests pass plain objects). */
export interface MarkupElement {
  readonly tagName: string;
  readonly attributes: Iterable<{ readonly name: string; readonly value: string }>;
  readonly children: Iterable<MarkupElement>;
}

/** Every element the header, the intro and a row of cards render (App, Home, RecRow, GameCard…). */
const allowedTags: ReadonlySet<string> = new Set([
  'a',
  'article',
  'button',
  'div',
  'form',
  'h1',
  'h2',
  'h3',
  'header',
  'img',
  'input',
  'label',
  'li',
  'main',
  'nav',
  'p',
  's',
  'section',
  'span',
  'strong',
  'ul',
]);

/** Attributes that carry no URL and run nothing (aria-* and data-* are allowed besides). */
const allowedAttributes: ReadonlySet<string> = new Set([
  'alt',
  'class',
  'decoding',
  'for',
  'height',
  'id',
  'loading',
  'max',
  'min',
  'placeholder',
  'popover',
  'popovertarget',
  'role',
  'step',
  'tabindex',
  'title',
  'type',
  'value',
  'width',
]);

/**
 * A cover's inline style (Cover.svelte: one linear gradient between two colours, as the browser
 * serialises it). Nothing else inline: a style can fetch (url(), image-set()), so only a gradient
 * of plain colour functions is painted.
 */
export function isCoverBackground(style: string): boolean {
  return /^background: linear-gradient\([a-z0-9 ,.%()]*\);?$/i.test(style) && !/url|image/i.test(style);
}

/** Whether one attribute may be painted: no handler, no URL but an in-page link or a drawn cover. */
export function attributeIsSafe(tag: string, name: string, value: string): boolean {
  const attribute = name.toLowerCase();
  if (attribute === 'href') return tag === 'a' && value.startsWith('#');
  // an <img> may only show a data: image (an SVG in <img> runs no script)
  if (attribute === 'src') return tag === 'img' && value.startsWith('data:image/');
  if (attribute === 'style') return tag === 'div' && isCoverBackground(value);
  if (/^(aria|data)-[a-z0-9-]+$/.test(attribute)) return true;
  return allowedAttributes.has(attribute);
}

/** Whether every element under these (and they) is one the home page renders, with safe attributes. */
export function markupIsSafe(elements: Iterable<MarkupElement>): boolean {
  for (const element of elements) {
    const tag = element.tagName.toLowerCase();
    if (!allowedTags.has(tag)) return false;
    for (const { name, value } of element.attributes) if (!attributeIsSafe(tag, name, value)) return false;
    if (!markupIsSafe(element.children)) return false;
  }
  return true;
}

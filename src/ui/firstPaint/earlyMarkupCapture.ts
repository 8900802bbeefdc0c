// Copies what the next visit's early paint shows (earlyMarkup.ts) out of the page: the parts of the
// app marked `data-early-paint` (the header; the home page's heading and intro, inside <main>,
// marked "outline": kept as a box for what is marked in it) as the app's FIRST render drew them,
// which is what the next visit's first render draws too (no cart count, no game count, no backend
// yet: the shopper's storage and the worker come later), and the "For you" row as drawn now, when
// the rows are kept. Nothing else: notices, the profile's first questions and the rows below
// arrive after the first render, and would only appear and then vanish.
import { markupIsSafe, maxKeptMarkupChars } from './earlyMarkup';

export const earlyPaintAttribute = 'data-early-paint';
const forYouRowSelector = '[data-testid="row-home:forYou"]';

/** The "For you" cards' games, in order, as drawn. */
const drawnItems = (row: Element): number[] =>
  [...row.querySelectorAll('[data-testid="game-card"]')].map((card) =>
    Number(card.getAttribute('data-item')),
  );

const sameItems = (drawn: readonly number[], expected: readonly number[]): boolean =>
  drawn.length === expected.length && drawn.every((item, position) => item === expected[position]);

/** The marked children of `parent` (and the "For you" row), copied; an "outline" keeps only its own. */
function copyMarked(parent: Element, into: Element): void {
  for (const child of parent.children) {
    const mark = child.getAttribute(earlyPaintAttribute);
    if (mark === 'outline') {
      const box = child.cloneNode(false) as Element;
      copyMarked(child, box);
      into.append(box);
    } else if (mark !== null || child.matches(forYouRowSelector)) {
      into.append(child.cloneNode(true));
    }
  }
}

let firstRender: Element | null = null;

/**
 * Remembers the marked parts of the app's first render (main.ts, right after mounting), when it
 * is the home page's; a visit that starts elsewhere keeps no markup (its first render is not one).
 */
export function rememberFirstRender(app: Element): void {
  if (!app.querySelector(forYouRowSelector)) return;
  const shell = app.ownerDocument.createElement('div');
  copyMarked(app, shell);
  firstRender = shell;
}

/**
 * The markup to keep, or null: no home first render to start from, the app's "For you" row does
 * not show exactly `forYouItems` (the answer being kept), or the copy would be refused when painted.
 */
export function captureHomeMarkup(
  app: Element | null,
  forYouItems: readonly number[],
  shell: Element | null = firstRender,
): string | null {
  const row = app?.querySelector(forYouRowSelector);
  if (!shell || !row || !sameItems(drawnItems(row), forYouItems)) return null;
  const copy = shell.cloneNode(true) as Element;
  copy.querySelector(forYouRowSelector)?.replaceWith(row.cloneNode(true));
  if (!markupIsSafe(copy.children)) return null;
  const markup = copy.innerHTML;
  return markup.length <= maxKeptMarkupChars ? markup : null;
}

// Copies what the next visit's early paint shows (earlyMarkup.ts) out of the page as it is drawn:
// the parts of the app marked `data-early-paint` (the header; the home page's heading and intro,
// inside <main>, marked "outline": kept as a box for what is marked in it) and the "For you" row.
// Nothing else: notices, the profile's first questions and the rows below are drawn by the app
// once the shopper's storage has opened, which the early paint's moment precedes.
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

/**
 * The markup to keep, or null: the app is not on the home page, or its "For you" row does not
 * show exactly `forYouItems` (the answer being kept), or the copy would be refused when painted.
 */
export function captureHomeMarkup(app: Element | null, forYouItems: readonly number[]): string | null {
  const row = app?.querySelector(forYouRowSelector);
  if (!app || !row || !sameItems(drawnItems(row), forYouItems)) return null;
  const copy = app.ownerDocument.createElement('div');
  copyMarked(app, copy);
  if (!copy.querySelector(forYouRowSelector) || !markupIsSafe(copy.children)) return null;
  const markup = copy.innerHTML;
  return markup.length <= maxKeptMarkupChars ? markup : null;
}

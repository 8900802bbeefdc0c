// What several specs check the same way: reaching a control by keyboard alone, axe-core's
// findings, and the catalog as the app downloads it.
import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Locator, Page } from '@playwright/test';

/** Press Tab until `target` has the focus: proves it can be reached without a pointer. */
export async function tabTo(page: Page, target: Locator, maxPresses = 300): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  if (await target.evaluate((element) => element === document.activeElement)) return;
  throw new Error(`not reached by ${maxPresses} presses of Tab`);
}

type Impact = 'minor' | 'moderate' | 'serious' | 'critical';

/**
 * axe-core's violations on the page (or only inside `include` selectors) at the given impacts,
 * each named with where it is, so a failure says what to fix.
 */
export async function axeViolations(
  page: Page,
  options: { include?: string[]; impacts?: Impact[] } = {},
): Promise<string[]> {
  let builder = new AxeBuilder({ page });
  for (const selector of options.include ?? []) builder = builder.include(selector);
  const { violations } = await builder.analyze();
  const impacts = options.impacts;
  return violations
    .filter((v) => !impacts || impacts.includes(v.impact as Impact))
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The violations that block someone: axe's serious and critical ones. */
export function blockingViolations(page: Page, ...include: string[]): Promise<string[]> {
  return axeViolations(page, { include, impacts: ['serious', 'critical'] });
}

/** The catalog's games as the app downloads them (the fields a spec names). */
export async function catalogGames<Game = { id: number; title: string; genres: string[] }>(
  request: APIRequestContext,
): Promise<Game[]> {
  return ((await (await request.get('data/catalog.json')).json()) as { games: Game[] }).games;
}

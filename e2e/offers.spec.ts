// Personalised offers as a shopper meets them: after looking at a game, a card on the home page
// offers a lower price and says why; the product page, the cart and checkout charge it; the
// purchase records the price paid and the offer; "Your offers" lists every offer made (the same
// rows as the device's offers table), and its switch takes every offered price away at once and
// brings the same offers back. Learning is off and the backend pinned: the baselines rank.
import type { Locator, Page } from '@playwright/test';
import { expect, go, openStore, storedRows, test, waitForStored } from './fixtures';
import { blockingViolations } from './pageChecks';

interface StoredOfferRow {
  id: string;
  lines: { itemId: number; originalPrice: number; offeredPrice: number }[];
  reason: string;
  withdrawnAt: number | null;
}

const store = '?train=off&backend=cpu#/';

/** Every row of the offers table, read straight from IndexedDB (not through the app). */
const storedOffers = (page: Page) => storedRows<StoredOfferRow>(page, 'offers');

const dollars = (amount: number) => `$${amount.toFixed(2)}`;

/** Turn offers on or off from "Your offers" with the keyboard, as a shopper without a pointer would. */
async function switchOffers(page: Page, on: boolean): Promise<void> {
  await go(page, '#/offers');
  const toggle = page.getByTestId('offers-enabled');
  await expect(toggle).toBeVisible();
  if ((await toggle.isChecked()) !== on) {
    await toggle.focus();
    await page.keyboard.press('Space');
  }
  await expect(page.getByTestId('offers-state')).toContainText(on ? 'Offers are on' : 'Offers are off');
}

/** The game's card on the home page (each game is in one row at most). */
const homeCard = (page: Page, item: number): Locator =>
  page.locator(`main [data-testid="game-card"][data-item="${item}"]`);

test('a shopper with some history gets an offer with its reason, buys it at the offered price, and can turn offers off', async ({
  page,
}) => {
  // a whole journey with two loads of the store: more than one page's worth of time on a busy machine
  test.slow();
  await openStore(page, store);
  // some history: one game looked at
  await go(page, '#/game/10');
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('');
  await waitForStored(page, (e) => e.some((x) => x.kind === 'view' && x.itemId === 10), 'the view is stored');

  // a card on the home page shows an offered price and why (the best "For you" candidate, which
  // may stand in "Because you viewed": a game is shown in one row only)
  await go(page, '#/');
  const offeredCard = page.locator('main [data-testid="game-card"][data-offer]').first();
  await expect(offeredCard).toBeVisible({ timeout: 30_000 });
  const item = Number(await offeredCard.getAttribute('data-item'));
  const offerId = (await offeredCard.getAttribute('data-offer'))!;
  const offer = (await storedOffers(page)).find((o) => o.id === offerId)!;
  expect(offer.lines).toHaveLength(1);
  const { originalPrice, offeredPrice } = offer.lines[0];
  expect(offeredPrice).toBeLessThan(originalPrice);
  await expect(offeredCard.getByTestId('offered-price')).toContainText(dollars(offeredPrice));
  await expect(offeredCard.getByTestId('offered-price').locator('s')).toHaveText(dollars(originalPrice));
  await expect(offeredCard.getByTestId('offer-reason')).toContainText(offer.reason);

  // off: the card shows the list price only; on again: the same offer comes back
  await switchOffers(page, false);
  await go(page, '#/');
  await expect(homeCard(page, item)).toBeVisible();
  await expect(homeCard(page, item).getByTestId('offer-reason')).toHaveCount(0);
  await expect(homeCard(page, item)).toContainText(dollars(originalPrice));
  await switchOffers(page, true);
  await go(page, '#/');
  await expect(homeCard(page, item)).toHaveAttribute('data-offer', offerId);

  // the product page shows it with its reason; into the cart
  await homeCard(page, item).getByRole('link').first().click();
  await expect(page.getByTestId('offer-reason')).toContainText(offer.reason);
  await expect(page.getByTestId('offered-price')).toContainText(dollars(offeredPrice));
  await page.getByRole('button', { name: 'Add to cart' }).click();

  // the cart and checkout charge the offered price, strike the list price and say why
  await go(page, '#/cart');
  const cartLine = page.locator(`[data-testid="cart-lines"] li[data-item="${item}"]`);
  await expect(cartLine).toHaveAttribute('data-offer', offerId);
  await expect(cartLine.getByTestId('offer-reason')).toContainText(offer.reason);
  await expect(page.getByTestId('cart-total')).toHaveText(dollars(offeredPrice));
  await go(page, '#/checkout');
  await expect(page.getByTestId('checkout-total')).toHaveText(dollars(offeredPrice));
  await expect(page.getByTestId('checkout-lines').getByTestId('offer-reason')).toContainText(offer.reason);

  // offers off: cart and checkout charge the list price, and say nothing of an offer
  await switchOffers(page, false);
  await go(page, '#/cart');
  await expect(page.getByTestId('cart-total')).toHaveText(dollars(originalPrice));
  await expect(page.getByTestId('offer-reason')).toHaveCount(0);
  await go(page, '#/checkout');
  await expect(page.getByTestId('checkout-total')).toHaveText(dollars(originalPrice));
  await expect(page.getByTestId('offer-reason')).toHaveCount(0);

  // the switch is remembered across a reload; on again, checkout charges the offer
  await page.reload();
  await openStore(page, page.url());
  await go(page, '#/offers');
  await expect(page.getByTestId('offers-enabled')).not.toBeChecked();
  await switchOffers(page, true);
  await go(page, '#/checkout');
  await expect(page.getByTestId('checkout-total')).toHaveText(dollars(offeredPrice));
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByTestId('order-done')).toBeVisible();

  // the purchase records the price paid and the offer behind it
  const events = await waitForStored(
    page,
    (e) => e.some((x) => x.kind === 'purchase' && x.itemId === item),
    'the purchase is stored',
  );
  const purchase = events.find((e) => e.kind === 'purchase' && e.itemId === item)!;
  expect(purchase.price).toBe(offeredPrice);
  expect(purchase.offerId).toBe(offerId);

  // owning the game changed the offer profile: new offers replace it, and the list shows every
  // offer ever made, the bought one as replaced
  await expect
    .poll(async () => (await storedOffers(page)).find((o) => o.id === offerId)?.withdrawnAt)
    .not.toBeNull();
  await go(page, '#/offers');
  const stored = await storedOffers(page);
  const listed = page.getByTestId('offer');
  await expect(listed).toHaveCount(stored.length);
  for (const row of stored)
    await expect(page.locator(`[data-testid="offer"][data-offer="${row.id}"]`)).toContainText(row.reason);
  await expect(page.locator(`[data-testid="offer"][data-offer="${offerId}"]`)).toHaveAttribute(
    'data-status',
    'replaced',
  );

  // the list is accessible: no serious or critical axe violation
  expect(await blockingViolations(page)).toEqual([]);
});

// Predicted interests on "Your profile": nothing but "learning…" until the profile model has
// trained in the background (quick plan, wasm), then predictions marked as such, a muted genre
// never among them, and the model's card on the About page. The page passes axe with them shown.
import { expect, go, openStore, test, waitForStored } from './fixtures';
import { blockingViolations } from './pageChecks';

test.setTimeout(180_000);

const store = '?train=quick&backend=wasm#/';

test('after learning, the profile page predicts interests, marked as predictions, and honours a mute', async ({
  page,
}) => {
  await openStore(page, store);
  await page.getByTestId('profile-start-skip').click();
  for (const id of [10, 20, 30]) {
    await go(page, `#/game/${id}`);
    await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('');
  }
  await waitForStored(page, (e) => e.filter((x) => x.kind === 'view').length === 3, 'three views stored');

  await go(page, '#/profile');
  const section = page.getByTestId('predicted-interests');
  await expect(section.getByRole('heading', { name: /Predicted interests/ })).toContainText('prediction');
  // the profile model trains last: the page says so rather than guessing
  await expect(section.getByTestId('predicted-learning')).toContainText('Learning…');

  const predictions = section.getByTestId('predicted').locator('li');
  await expect(predictions.first()).toBeVisible({ timeout: 150_000 });
  await expect(section).toContainText('predictions, not things you did');
  await expect(section.locator('li[data-dimension="priceBand"]')).toContainText('most likely priced');
  const genres = section.locator('li[data-dimension="genre"]');
  expect(await genres.count()).toBeGreaterThan(0);
  await expect(genres.first()).toContainText(/^Likely to enjoy/);

  expect(await blockingViolations(page)).toEqual([]);

  // "Not for me" mutes the genre: it leaves the predictions and shows as muted in the profile
  // found by its genre, not its place: near-equal predictions may change order as events arrive
  const genre = (await genres.first().getAttribute('data-value'))!;
  await section.getByRole('button', { name: `Mute ${genre}` }).press('Enter');
  await expect(page.getByTestId('profile-announcement')).toContainText(`Muted genre ${genre}`);
  await expect(section.locator(`li[data-dimension="genre"][data-value="${genre}"]`)).toHaveCount(0);
  await expect(section.locator('li[data-dimension="priceBand"]')).toBeVisible();

  // its card on the About page: figures against the baselines and whether it joins "For you"
  await go(page, '#/about');
  const card = page.getByTestId('model-card-profileEncoder');
  await expect(card.getByTestId('profile-model-verdict')).toHaveText(
    /^Its predicted genres (do not )?improve/,
  );
  await expect(card.getByTestId('profile-model-quality').locator('tr[data-measure]')).toHaveCount(6);
});

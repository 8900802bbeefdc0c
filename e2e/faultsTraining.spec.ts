// The store's learning under faults a shopper does not choose, on the production build: a GPU
// device lost mid-training, a tab closed mid-training, two tabs open at once. Each uses the
// tiny plan (`?train=tiny`) and a fault hook (worker/trainer/faultHook.ts, docs/internals.md "Fault hooks"):
// `lose-gpu-after-epoch-1` destroys the trainer's WebGPU device after epoch 1's checkpoint;
// `stall-after-epoch-1` holds training there, so the test acts while learning is in progress.
// Waits are on what the page shows or stores, never fixed sleeps.
import type { Page } from '@playwright/test';
import { expect, openStore, storedEvents, storedRows, test, waitForStored } from './fixtures';

test.setTimeout(180_000);

const card = (page: Page, name: string) => page.getByTestId(`model-card-${name}`);
/** within the page: a goto would load the page again, without its query (and with the full plan) */
const showRoute = (page: Page, hash: string) => page.evaluate((to) => (location.hash = to), hash);

/** Waits until MF's checkpoint after `epoch` is stored: learning is in progress and resumable. */
async function checkpointSaved(page: Page, epoch: number): Promise<void> {
  await expect
    .poll(
      async () =>
        (await storedRows<{ name: string; epoch: number }>(page, 'checkpoints')).some(
          (c) => c.name === 'mf' && c.epoch === epoch,
        ),
      { message: `MF's checkpoint after epoch ${epoch}`, timeout: 90_000 },
    )
    .toBe(true);
}

test('a GPU device lost mid-training: learning carries on on wasm from the last checkpoint, and the card says so', async ({
  page,
}) => {
  await openStore(page, '?backend=webgpu&train=tiny&fault=lose-gpu-after-epoch-1#/about');
  const mf = card(page, 'mf');
  await expect(mf).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  await expect(mf.getByTestId('model-backend')).toHaveText('wasm');
  await expect(mf.getByTestId('model-origin')).toHaveText('resumed from a checkpoint');
  await expect(mf.getByTestId('model-interruption')).toHaveText(
    'Continued on wasm after the GPU was lost during epoch 2, from the checkpoint of epoch 1',
  );
});

test('a tab closed mid-training: the next visit resumes from the last checkpoint, not from zero', async ({
  context,
  page,
}) => {
  await openStore(page, '?backend=wasm&train=tiny&fault=stall-after-epoch-1#/about');
  await checkpointSaved(page, 1);
  await expect(page.getByTestId('training-progress')).toBeVisible();
  await page.close();

  const reopened = await context.newPage();
  await openStore(reopened, '?backend=wasm&train=tiny#/about');
  const mf = card(reopened, 'mf');
  await expect(mf.getByTestId('model-origin')).toHaveText('resumed from a checkpoint', { timeout: 90_000 });
  await expect(mf).toContainText('resumedFromEpoch 1');
});

test('two tabs: both keep their events, one learns while the other waits, and the models they leave load and rank', async ({
  context,
  page,
}) => {
  // three pages one after another, and the tiny plan's whole course once
  test.setTimeout(420_000);
  // the first tab learns, and holds the training lock while its training stalls after epoch 1
  // each tab views a game once the store is open: ui/shopper.svelte.ts drops an event recorded
  // before its event log exists, as a first visit straight to a game page still does
  const viewGame = async (tab: Page, item: number) => {
    await showRoute(tab, `#/game/${item}`);
    await expect(tab.getByRole('button', { name: 'Add to cart' })).toBeVisible();
  };
  await openStore(page, '?backend=wasm&train=tiny&fault=stall-after-epoch-1#/about');
  await viewGame(page, 5);
  await checkpointSaved(page, 1);

  const other = await context.newPage();
  await openStore(other, '?backend=wasm&train=tiny#/about');
  await viewGame(other, 6);
  await showRoute(other, '#/about');
  await expect(other.getByTestId('learning-status')).toHaveText(/Another Aisle tab is learning/);

  // each tab's view is kept, and either tab's "Your data" lists every stored event, whichever tab wrote it
  await waitForStored(
    page,
    (events) => [5, 6].every((item) => events.some((e) => e.kind === 'view' && e.itemId === item)),
    'both tabs’ views stored',
  );
  for (const tab of [page, other]) await showRoute(tab, '#/data');
  const listed = (tab: Page) => tab.getByTestId('event-count').textContent();
  await expect
    .poll(async () => {
      const stored = (await storedEvents(page)).length;
      return [await listed(page), await listed(other)].map(Number).every((count) => count === stored);
    })
    .toBe(true);

  // the learning tab closes: the waiting one takes over from its checkpoint, through the blend
  await page.close();
  await showRoute(other, '#/about');
  await expect(card(other, 'mf').getByTestId('model-origin')).toHaveText('resumed from a checkpoint', {
    timeout: 90_000,
  });
  await expect(card(other, 'hybrid')).toBeVisible({ timeout: 90_000 });
  await other.close();

  // neither tab damaged what the other stored: a new tab loads the models and ranks with them
  const reopened = await context.newPage();
  await openStore(reopened, '?backend=wasm&train=tiny#/about');
  for (const name of ['mf', 'gru', 'hybrid'])
    await expect(card(reopened, name).getByTestId('model-origin')).toHaveText('loaded from this device', {
      timeout: 30_000,
    });
  await showRoute(reopened, '#/');
  await expect(reopened.getByTestId('for-you-blend')).toBeVisible();
  await expect(reopened.getByTestId('row-home:forYou').getByTestId('reason').first()).toBeVisible();
});

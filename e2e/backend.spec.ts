// The compute backend: 'auto' races the backends on a short measured warm-up and runs the fastest
// (with no GPU, WebGPU here is SwiftShader, a software adapter: it is named, and left out of the
// race, since compiling its shaders held up the page's frames for seconds); ?backend= skips the
// race; without WebGPU the badge names the fallback.
import { chromium, type Page } from '@playwright/test';
import { quietArgs } from '../playwright.config';
import { findChromium } from '../scripts/ensureChromium.mjs';
import { expect, openStore, test } from './fixtures';

interface Row {
  backend: string;
  outcome: string;
  ms: number | null;
  text: string;
}

async function measuredRows(page: Page): Promise<Row[]> {
  await page.getByTestId('backend-badge').click();
  await expect(page.getByTestId('backend-times')).toBeVisible();
  const rows: Row[] = [];
  for (const row of await page.getByTestId('backend-time').all()) {
    const ms = await row.getAttribute('data-ms');
    rows.push({
      backend: (await row.getAttribute('data-backend')) ?? '',
      outcome: (await row.getAttribute('data-outcome')) ?? '',
      ms: ms === null ? null : Number(ms),
      text: await row.innerText(),
    });
  }
  return rows;
}

test('auto races the backends on a measured warm-up and runs the fastest; software WebGPU is named and not raced', async ({
  page,
}) => {
  await openStore(page, '?train=off');
  const active = (await page.getByTestId('backend-name').textContent())?.trim();
  const rows = await measuredRows(page);
  console.log(
    `backend race: ${rows.map((r) => `${r.backend} ${r.outcome}${r.ms === null ? '' : ` ${r.ms.toFixed(1)} ms`}`).join(', ')} -> ${active}`,
  );

  // webgpu is listed with its adapter named software, and left out of the race saying why
  const webgpu = rows.find((r) => r.backend === 'webgpu');
  expect(webgpu, 'webgpu is listed').toBeDefined();
  expect(webgpu!.outcome).toBe('not-raced');
  expect(webgpu!.text).toContain('software');
  expect(webgpu!.text).toContain('not raced: a software adapter, emulated on the CPU');
  expect(webgpu!.ms).toBeNull();

  // the running backend is the one with the lowest measured time
  const measured = rows.filter((r) => r.outcome === 'measured');
  expect(measured.length).toBeGreaterThan(0);
  for (const row of measured) expect(row.ms).toBeGreaterThan(0);
  const fastest = measured.reduce((best, r) => (r.ms! < best.ms! ? r : best));
  expect(active).toBe(fastest.backend);
  expect(rows.find((r) => r.backend === active)?.outcome).toBe('measured');
  const reason = page.getByTestId('backend-reason');
  await expect(reason).toContainText(`${active}:`);
  await expect(reason).toContainText('webgpu on a software adapter (swiftshader) not raced');
});

test('?backend=webgpu skips the race and runs WebGPU, named as software', async ({ page }) => {
  await openStore(page, '?backend=webgpu&train=off');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  const rows = await measuredRows(page);
  expect(rows.map((r) => r.backend)).toEqual(['webgpu']);
  await expect(page.getByTestId('backend-reason')).toContainText('as you asked');
  await expect(page.getByTestId('backend-reason')).toContainText('software adapter');
});

test('without WebGPU the badge names the fallback backend', async ({ baseURL }) => {
  // a separate browser launched without --enable-unsafe-webgpu: headless Chromium then offers no adapter
  const browser = await chromium.launch({ executablePath: findChromium(), args: quietArgs });
  try {
    const page = await browser.newPage();
    await page.goto(baseURL!);
    const name = page.getByTestId('backend-name');
    await expect(name).not.toHaveText('…', { timeout: 90_000 });
    await expect(name).toHaveText(/^(webgl|wasm|cpu)$/);
    await page.getByTestId('backend-badge').click();
    await expect(page.getByTestId('backend-reason')).toContainText('webgpu');
    await expect(page.locator('[data-testid="backend-time"][data-backend="webgpu"]')).toHaveAttribute(
      'data-outcome',
      'failed',
    );
  } finally {
    await browser.close();
  }
});

import { chromium } from '@playwright/test';
import { quietArgs } from '../playwright.config';
import { findChromium } from '../scripts/ensureChromium.mjs';
import { expect, openStore, test } from './fixtures';

test('the badge reads webgpu when WebGPU is enabled, and says why', async ({ page }) => {
  await openStore(page);
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await page.getByTestId('backend-badge').click();
  await expect(page.getByTestId('backend-reason')).toContainText('WebGPU');
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
  } finally {
    await browser.close();
  }
});

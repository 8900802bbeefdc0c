// Retakes the README's screenshots from the production build (npm run build first):
//   node scripts/screenshots.mjs
// A shopper views three games, so the home page shows personalised rows and an offer, then the
// home, "Your profile", "Your shopping" and "Your offers" pages are captured at a desktop width.
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
import { findChromium, quietArgs } from './ensureChromium.mjs';

const port = 4399;
const base = `http://127.0.0.1:${port}/aisle/`;
const server = spawn('node', ['scripts/serve.mjs', '--base', '/aisle/', '--port', String(port)], {
  stdio: 'ignore',
});
try {
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const browser = await chromium.launch({ executablePath: findChromium(), args: quietArgs });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  for (const id of [10, 20, 30]) {
    await page.goto(`${base}?train=off#/game/${id}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForTimeout(1500);
  }
  await page.goto(`${base}?train=off#/`);
  await page.getByTestId('row-home:forYou').waitFor();
  await page.waitForTimeout(4000);
  await page.screenshot({ path: 'docs/screenshot-home.png' });
  await page.goto(`${base}?train=off#/profile`);
  await page.getByTestId('affinity-genre').first().waitFor();
  await page.waitForTimeout(2000);
  await page.screenshot({ path: 'docs/screenshot-profile.png' });
  await page.goto(`${base}?train=off#/insights`);
  await page.locator('#funnel-title').waitFor();
  await page.waitForTimeout(2000);
  await page.screenshot({ path: 'docs/screenshot-insights.png' });
  await page.goto(`${base}?train=off#/offers`);
  await page.waitForTimeout(3000);
  await page.screenshot({ path: 'docs/screenshot-offers.png' });
  await browser.close();
} finally {
  server.kill();
}

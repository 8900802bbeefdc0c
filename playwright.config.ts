import { defineConfig } from '@playwright/test';
import { findChromium, quietArgs, webgpuArgs } from './scripts/ensureChromium.mjs';

const port = Number(process.env.AISLE_E2E_PORT ?? 4173);
export { quietArgs, webgpuArgs };

export default defineConfig({
  testDir: 'e2e',
  // SwiftShader runs WebGPU on the CPU: give slow machines room, and run one file at a time on 2 cores
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}/aisle/`,
    launchOptions: { executablePath: findChromium(), args: [...webgpuArgs, ...quietArgs] },
    viewport: { width: 1280, height: 900 },
    // A trace records a screencast and a DOM snapshot around every action of every test, passing or
    // not: on 2 cores that doubled a keyboard walk (a11y's skip-link test, 22 s without, 51 s with).
    // So only a retried test records one (CI retries once); elsewhere rerun a failure with --trace on.
    trace: 'on-first-retry',
    screenshot: 'only-on-failure',
  },
  webServer: {
    // the production build, served from a sub-path as a static host would
    command: `node scripts/serve.mjs --base /aisle/ --port ${port}`,
    url: `http://127.0.0.1:${port}/aisle/`,
    reuseExistingServer: !process.env.CI,
    timeout: 30_000,
  },
});

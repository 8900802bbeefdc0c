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
    trace: 'retain-on-failure',
  },
  webServer: {
    // the production build, served from a sub-path as a static host would
    command: `node scripts/serve.mjs --base /aisle/ --port ${port}`,
    url: `http://127.0.0.1:${port}/aisle/`,
    reuseExistingServer: !process.env.CI,
    timeout: 30_000,
  },
});

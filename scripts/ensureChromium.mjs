// Finds a Chromium for the end-to-end tests and the benchmark. Playwright's own
// browser download is not available everywhere, so we use the system's Chromium:
// $AISLE_CHROMIUM, then the usual Debian paths; if none is found and we are root on
// Debian, install Debian's package; otherwise say exactly what to do.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const chromiumCandidates = [
  process.env.AISLE_CHROMIUM,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/snap/bin/chromium',
].filter(Boolean);

/** Flags that keep headless Chromium off the network (and, as root, let it start at all). */
export const quietArgs = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
];

/** WebGPU on in headless Chromium: a SwiftShader (software) adapter where there is no GPU. */
export const webgpuArgs = ['--enable-unsafe-webgpu'];

export function findChromium() {
  return chromiumCandidates.find((path) => existsSync(path));
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  let found = findChromium();
  if (!found && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('No Chromium found: installing Debian’s chromium package (apt-get)…');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    found = findChromium();
  }
  if (!found) {
    console.error(
      'No Chromium found. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) ' +
        'or point AISLE_CHROMIUM at a Chromium/Chrome binary, then run the tests again.',
    );
    process.exit(1);
  }
  console.log(`Chromium: ${found}`);
}

// The full plan's "For you" quality for the bench, measured in Node by the store worker's own code
// (scripts/storeBlend/measure.ts runs learnStoreModels): in the browser its training outlasts any
// sensible wait on a 2-core machine. A child process of its own, so tfjs stays out of the bench's
// process and the browser rows are long finished when it trains. MF, the GRU and the profile
// encoder are kept in `cacheFolder` between runs (the models table's stand-in); the blend is always
// fitted and measured again.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from './browser';
import type { NodeStoreQuality } from './storeQuality';
import type { NodeStoreQualityOutcome } from './table';

export async function measureStoreQualityInNode(
  plan: 'quick' | 'full',
  cacheFolder: string,
  onLine: (line: string) => void,
): Promise<NodeStoreQualityOutcome> {
  const folder = mkdtempSync(join(tmpdir(), 'aisle-store-quality-'));
  const json = join(folder, `${plan}.json`);
  const args = [
    'tsx',
    '--import',
    './scripts/node/directoryImports.mjs',
    'scripts/storeBlend/measure.ts',
    '--plan',
    plan,
    '--cache',
    cacheFolder,
    '--json',
    json,
  ];
  try {
    const stderr: string[] = [];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('npx', args, { cwd: repositoryRoot, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        for (const line of chunk.split('\n').filter(Boolean)) {
          stderr.push(line);
          onLine(line);
        }
      });
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code !== 0) return { ok: false, plan, error: stderr.slice(-3).join(' / ') || `exit code ${code}` };
    return { ok: true, ...(JSON.parse(readFileSync(json, 'utf8')) as NodeStoreQuality) };
  } catch (error) {
    return { ok: false, plan, error: error instanceof Error ? error.message : String(error) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

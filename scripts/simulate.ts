// Headless simulator: `npm run simulate -- --strategies popularity,blend --shoppers 500 --seed 1 --json out.json`.
// The simulator is plain TypeScript, so this runs it straight in Node on the shipped data files:
// the same code and the same numbers as the #/simulate page for the same settings.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Game } from '../src/data/types';
import { prepareSimulation, runSimulation, worldFromFiles } from '../src/recs/sim/simulate';
import { parseSimulateArgs, usage, UsageError } from './simulate/args';
import { formatReport } from './simulate/table';

const dataFile = (name: string) => fileURLToPath(new URL(`../public/data/${name}`, import.meta.url));

async function main(): Promise<void> {
  let args;
  try {
    args = parseSimulateArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    process.exit(2);
  }
  const { settings, json } = args;
  const started = performance.now();
  const catalog = JSON.parse(readFileSync(dataFile('catalog.json'), 'utf8')) as { games: Game[] };
  const bytes = readFileSync(dataFile('community.bin'));
  const world = worldFromFiles(
    catalog,
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
  process.stderr.write(`Preparing ${settings.shoppers} shoppers (seed ${settings.seed})…\n`);
  const prepared = await prepareSimulation(world, settings);
  const report = await runSimulation(prepared, settings, ({ strategy, done, total }) => {
    if (done === total || done % 100 === 0) process.stderr.write(`  ${strategy}: ${done}/${total}\n`);
  });
  console.log(formatReport(report));
  for (const offer of report.exampleOffers) console.log(`\nExample offer: ${offer.reason}`);
  console.log(
    `\n${report.shoppers} shoppers, ${settings.sessions} sessions of ${settings.rowLength} cards, seed ${settings.seed}, ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  if (json) {
    writeFileSync(json, JSON.stringify(report, null, 2));
    console.log(`Report written to ${json}`);
  }
}

await main();

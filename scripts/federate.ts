// Headless federated simulation: `npm run federate -- --data FILE --rounds R …`. The simulation is
// plain TypeScript (src/ml/federated/), so it runs straight in Node: the same code and numbers as
// the lab page's "Federated simulation" panel for the same settings.
import { readFileSync, writeFileSync } from 'node:fs';
import { decodeCommunity, toInteractionMatrix } from '../src/ml/communityData';
import type { InteractionMatrix } from '../src/ml/interactions';
import { chunksOf, parseSequenceFile } from '../src/ml/io';
import { runFederatedExperiment } from '../src/ml/federated/simulate';
import { parseFederateArgs, usage, UsageError } from './federate/args';
import { formatFederatedTable } from './federate/table';

async function readInteractions(file: string): Promise<InteractionMatrix> {
  if (file.endsWith('.bin')) {
    const bytes = readFileSync(file);
    return toInteractionMatrix(
      decodeCommunity(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
    );
  }
  return (await parseSequenceFile(chunksOf(readFileSync(file, 'utf8')))).matrix;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseFederateArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    process.exit(2);
  }
  const started = performance.now();
  const data = await readInteractions(args.data);
  const report = await runFederatedExperiment(data, args.config, {
    onProgress: ({ arm, step, steps }) => {
      if (step === steps || step % 10 === 0) process.stderr.write(`  ${arm}: ${step}/${steps}\n`);
    },
  });
  console.log(formatFederatedTable(report));
  const { rounds, samplingRate, clipNorm } = args.config;
  console.log(
    `\n${report.clients} clients, ${report.items} items, ${report.evaluatedUsers} users evaluated (leave-one-out, full ranking); ` +
      `${rounds} rounds at q = ${samplingRate}, C = ${clipNorm}, δ = 1/${report.clients}; ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  if (args.json) {
    writeFileSync(args.json, JSON.stringify(report, null, 2));
    console.log(`Report written to ${args.json}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

// The Parquet worker under Node (Vitest, scripts): the same decoding as parquetWorker.ts, on a
// worker_threads thread. Node 20 does not pass a loader such as tsx on to a worker, so this plain
// module registers tsx itself and then imports the TypeScript.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { answerPartRequest } = await tsImport('../../ml/io/models/sparkAlsPart.ts', import.meta.url);

parentPort.on('message', async (request) => {
  const reply = await answerPartRequest(request);
  parentPort.postMessage(reply, reply.type === 'decoded' ? [reply.vectors.buffer] : []);
});

parentPort.postMessage({ type: 'ready' });

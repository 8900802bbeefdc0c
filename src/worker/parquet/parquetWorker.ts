// The Parquet worker: decodes one part of a Spark model's itemFactors/ at a time, so that its
// client (ml/io/models/parquetWorkerClient.ts) can terminate it when a damaged part makes
// hyparquet loop. Messages: ml/io/models/parquetProtocol.ts (kept in ml/, where its client is).
// first: no other module of this worker runs before the network guard is in place
import '../guard/installGuard';
import type { ParquetPartRequest, ParquetWorkerMessage } from '../../ml/io/models/parquetProtocol';
import { answerPartRequest } from '../../ml/io/models/sparkAlsPart';

const post = (message: ParquetWorkerMessage, transfer: Transferable[] = []) =>
  self.postMessage(message, { transfer });

self.onmessage = async (event: MessageEvent<ParquetPartRequest>) => {
  const reply = await answerPartRequest(event.data);
  post(reply, reply.type === 'decoded' ? [reply.vectors.buffer] : []);
};

post({ type: 'ready' });

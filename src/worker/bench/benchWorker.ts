// The benchmark's worker: one row per worker, so every row starts on a clean tfjs engine (no
// tensors, kernels or backend state left over from the row before) the way the store's worker
// starts, and a row that wedges its backend can simply be terminated.
// first: no other module of this worker runs before the network guard is in place
import '../guard/installGuard';
import { runBenchRow } from './runBenchRow';
import type { BenchWorkerCommand, BenchWorkerStatus } from './protocol';

const post = (status: BenchWorkerStatus) => self.postMessage(status);

self.onmessage = (message: MessageEvent<BenchWorkerCommand>) => {
  const command = message.data;
  if (command.type !== 'benchRun') return;
  void runBenchRow(command.spec, (progress) => post({ type: 'benchProgress', progress })).then((result) =>
    post({ type: 'benchResult', result }),
  );
};

// The lab worker's federated simulation: runs ml/federated/simulate.ts on an imported dataset,
// posting each round's progress and, between rounds, yielding so a cancel can stop it.
import type { InteractionMatrix } from '../../ml/interactions';
import { runFederatedExperiment } from '../../ml/federated/simulate';
import type { FederatedCommand, LabStatus } from './protocol';

/** Lets the worker read its messages (a cancel) between rounds. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function runFederated(
  { id, config }: FederatedCommand,
  data: InteractionMatrix,
  post: (status: LabStatus) => void,
  signal: AbortSignal,
): Promise<void> {
  const report = await runFederatedExperiment(data, config, {
    onProgress: (progress) => post({ type: 'labFederatedProgress', id, progress }),
    betweenRounds: async () => {
      await nextTask();
      signal.throwIfAborted();
    },
  });
  if (!signal.aborted) post({ type: 'labFederatedResult', id, report });
}

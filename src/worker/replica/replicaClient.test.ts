// The replica client over a fake worker: it resolves once the replica's backend is up, matches
// answers to steps, counts the exchange, and turns every failure into a rejected step that says
// what happened (the trainer then computes that half itself).
import { describe, expect, it } from 'vitest';
import type { PartGradients, ReplicaRequest } from '../../ml/train/dataParallel';
import type { ReplicaCommand, ReplicaStatus } from './protocol';
import { requestBytes, startReplicaWorker } from './replicaClient';

function fakeWorker() {
  const posted: ReplicaCommand[] = [];
  const worker = {
    posted,
    terminated: false,
    onmessage: null as ((event: MessageEvent<ReplicaStatus>) => void) | null,
    onerror: null as ((event: ErrorEvent) => void) | null,
    postMessage(command: ReplicaCommand) {
      posted.push(command);
    },
    terminate() {
      worker.terminated = true;
    },
    answer(status: ReplicaStatus) {
      worker.onmessage?.({ data: status } as MessageEvent<ReplicaStatus>);
    },
  };
  return worker;
}

// a part of 1 row × 2 columns: 4 arrays of 2 four-byte values = 32 bytes
const request: ReplicaRequest = {
  part: {
    firstRow: 1,
    batch: {
      batchSize: 1,
      columns: 2,
      inputs: Int32Array.of(0, 3),
      targets: Int32Array.of(3, 4),
      negatives: Int32Array.of(5, 6),
      targetWeights: Float32Array.of(1, 1),
    },
  },
  seeds: [9],
  update: {
    loss: 1,
    rows: { table: Int32Array.of(3) },
    gradients: { table: Float32Array.of(1, 2), dense: Float32Array.of(3) },
  },
};
const gradients: PartGradients = {
  loss: 0.5,
  weight: 2,
  rows: { table: Int32Array.of(3, 4) },
  gradients: { table: new Float32Array(4) },
};

describe('startReplicaWorker', () => {
  it('starts the backend, answers steps in order of their ids and counts the bytes', async () => {
    const worker = fakeWorker();
    const starting = startReplicaWorker('wasm', () => worker);
    expect(worker.posted[0]).toEqual({ type: 'replicaStart', backend: 'wasm' });
    worker.answer({ type: 'replicaReady', backend: 'wasm' });
    const client = await starting;
    const first = client.compute(request);
    const second = client.compute(request);
    const ids = worker.posted.slice(1).map((command) => (command.type === 'replicaStep' ? command.id : 0));
    worker.answer({
      type: 'replicaGradients',
      id: ids[1],
      gradients: { ...gradients, loss: 2 },
      computeMs: 3,
    });
    worker.answer({ type: 'replicaGradients', id: ids[0], gradients, computeMs: 4 });
    expect((await first).loss).toBe(0.5);
    expect((await second).loss).toBe(2);
    // out: 32 bytes of part + 12 of update gradients + 4 of rows, twice; back: (16 + 8) twice
    expect(requestBytes(request)).toBe(48);
    expect(client.exchange).toMatchObject({ steps: 2, bytesOut: 96, bytesBack: 48, computeMs: 7 });
    client.close();
    expect(worker.terminated).toBe(true);
    await expect(client.compute(request)).rejects.toThrow('the replica was closed');
  });

  it("a step the replica could not compute rejects with the replica's reason; the next may succeed", async () => {
    const worker = fakeWorker();
    const starting = startReplicaWorker('cpu', () => worker);
    worker.answer({ type: 'replicaReady', backend: 'cpu' });
    const client = await starting;
    const step = client.compute(request);
    worker.answer({ type: 'replicaError', id: 1, message: 'out of memory' });
    await expect(step).rejects.toThrow("the replica's step failed: out of memory");
    expect(worker.terminated).toBe(false);
  });

  it('a dead worker rejects the waiting steps and every later one, and is terminated', async () => {
    const worker = fakeWorker();
    const starting = startReplicaWorker('wasm', () => worker);
    worker.answer({ type: 'replicaReady', backend: 'wasm' });
    const client = await starting;
    const step = client.compute(request);
    worker.onerror?.({ message: 'script error' } as ErrorEvent);
    await expect(step).rejects.toThrow('the replica worker failed: script error');
    await expect(client.compute(request)).rejects.toThrow('the replica worker failed: script error');
    expect(worker.terminated).toBe(true);
  });

  it('a replica that cannot start its backend rejects the start', async () => {
    const worker = fakeWorker();
    const starting = startReplicaWorker('wasm', () => worker);
    worker.answer({ type: 'replicaError', message: 'wasm did not start' });
    await expect(starting).rejects.toThrow('the replica could not start: wasm did not start');
    expect(worker.terminated).toBe(true);
  });

  it('a step the replica never answers fails after the step time-out and ends the replica', async () => {
    const worker = fakeWorker();
    const starting = startReplicaWorker('wasm', () => worker, 30);
    worker.answer({ type: 'replicaReady', backend: 'wasm' });
    const client = await starting;
    await expect(client.compute(request)).rejects.toThrow('the replica did not answer a step within 0.03 s');
    expect(worker.terminated).toBe(true);
    await expect(client.compute(request)).rejects.toThrow('within 0.03 s');
  });
});

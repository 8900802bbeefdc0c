import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParquetWorkerMessage } from './parquetProtocol';
import {
  parquetTimeLimitMs,
  ParquetWorkerClient,
  timedOutProblem,
  type SpawnParquetWorker,
} from './parquetWorkerClient';
import { sparkFixture, sparkFixtureFeatures } from './sparkFixture';

const part = {
  name: 'itemFactors/part-00000.parquet',
  bytes: new Uint8Array(readFileSync(`${sparkFixture.directory}/itemFactors/${sparkFixture.partName}`)),
};

/**
 * The fixture with one bit flipped in its features column's data page (byte 237, 0xc0 → 0x40):
 * hyparquet 1.33 never returns from it. It is case 573 of the fuzz suite's damaged parts drawn
 * with seed 1 (fc.sample(hostileBinary([part]), { seed: 1 })); 10 of the first 2,000 loop.
 */
function loopingPart() {
  const bytes = part.bytes.slice();
  bytes[237] ^= 0x80;
  return { name: part.name, bytes };
}

describe('parquetTimeLimitMs', () => {
  it('allows 3 s plus 2 s per MB, rounded up to the millisecond', () => {
    expect(parquetTimeLimitMs(0)).toBe(3_000);
    expect(parquetTimeLimitMs(554)).toBe(3_002); // 1.108 ms, rounded up
    expect(parquetTimeLimitMs(10_000_000)).toBe(23_000);
    // the largest model file read, 512 MiB = 536.870912 MB: 3 s + 1,073,742 ms
    expect(parquetTimeLimitMs(512 * 1024 * 1024)).toBe(1_076_742);
  });

  it('says how long it waited, in seconds', () => {
    expect(timedOutProblem(3_000)).toMatch(
      /^took longer than 3 s to read and was stopped; the file is probably damaged: /,
    );
    expect(timedOutProblem(250)).toMatch(/^took longer than 0\.25 s /);
  });
});

describe('ParquetWorkerClient', () => {
  it('stops a part that makes hyparquet loop, saying so, and reads the next part in a new worker', async () => {
    // the looping part gets 0.5 s; the sound part after it, decoded JIT-cold in a fresh worker, a
    // limit no busy machine misses: a loaded CI machine may stall a thread longer than 0.5 s
    const limits = [500];
    const client = new ParquetWorkerClient({ timeLimitMs: () => limits.shift() ?? 60_000 });
    try {
      await expect(client.read(loopingPart(), sparkFixture.rank)).rejects.toThrow(
        'itemFactors/part-00000.parquet: took longer than 0.5 s to read and was stopped; the file is probably damaged: expected a Parquet part of itemFactors/ as Spark writes it',
      );
      const { ids, vectors } = await client.read(part, sparkFixture.rank);
      expect(ids).toEqual(Array.from({ length: sparkFixture.itemCount }, (_, row) => String(row + 1)));
      // item 7: [0, 0, 0, 1] + [(7·1 mod 3)/8, (7·2 mod 3)/8, (7·3 mod 3)/8, (7·4 mod 3)/8]
      expect(Array.from(vectors.subarray(6 * 4, 7 * 4))).toEqual([0.125, 0.25, 0, 1.125]);
      expect(Array.from(vectors.subarray(39 * 4))).toEqual(sparkFixtureFeatures(40));
    } finally {
      client.close();
    }
  });

  /** A stand-in worker: says ready, then answers each request as `answer` says (nothing when undefined). */
  function fakeSpawn(answer: (id: number) => ParquetWorkerMessage | 'crash' | undefined): SpawnParquetWorker {
    return (onMessage, onCrash) => {
      queueMicrotask(() => onMessage({ type: 'ready' }));
      return {
        post: ({ id }) =>
          queueMicrotask(() => {
            const reply = answer(id);
            if (reply === 'crash') onCrash('out of memory');
            else if (reply) onMessage(reply);
          }),
        terminate: () => undefined,
      };
    };
  }

  it("passes on the worker's refusal and turns a crash or a worker that cannot start into one", async () => {
    const refusing = new ParquetWorkerClient({
      spawn: fakeSpawn((id) => ({ type: 'refused', id, where: 'p.parquet', problem: 'row 3: id is "x"' })),
    });
    await expect(refusing.read(part, 4)).rejects.toThrow('p.parquet: row 3: id is "x"');
    const crashing = new ParquetWorkerClient({ spawn: fakeSpawn(() => 'crash') });
    await expect(crashing.read(part, 4)).rejects.toThrow(
      'itemFactors/part-00000.parquet: stopped the Parquet reader (out of memory); the file is probably damaged',
    );
    const silent = new ParquetWorkerClient({
      startLimitMs: 20,
      spawn: () => ({ post: () => undefined, terminate: () => undefined }),
    });
    await expect(silent.read(part, 4)).rejects.toThrow(
      'itemFactors/part-00000.parquet: could not be read: the Parquet reader did not start (it did not start within 0.02 s)',
    );
    const refused = new ParquetWorkerClient({
      spawn: () => {
        throw new Error('refused by the Content-Security-Policy');
      },
    });
    await expect(refused.read(part, 4)).rejects.toThrow(
      'could not be read: the Parquet reader did not start (refused by the Content-Security-Policy)',
    );
  });

  it('reads one part at a time: a second read waits for the first', async () => {
    const order: number[] = [];
    const client = new ParquetWorkerClient({
      spawn: fakeSpawn((id) => {
        order.push(id);
        return { type: 'decoded', id, ids: [String(id)], vectors: new Float32Array([id]) };
      }),
    });
    const [first, second] = await Promise.all([client.read(part, 1), client.read(part, 1)]);
    expect([first.ids, second.ids]).toEqual([['1'], ['2']]);
    expect(order).toEqual([1, 2]);
  });
});

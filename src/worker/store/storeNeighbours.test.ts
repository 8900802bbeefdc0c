import { describe, expect, it } from 'vitest';
import { encodeNeighbourFile } from '../../ml/baselines/neighbourTableFile';
import type { ModelSnapshot } from '../../ml/recommender';
import { preparedNeighbours } from './storeNeighbours';

const table = {
  offsets: Uint32Array.of(0, 1, 2),
  neighbours: Int32Array.of(1, 0),
  similarities: Float32Array.of(1, 1),
};
const fileOf = (fingerprint: string) => {
  const bytes = encodeNeighbourFile(table, fingerprint);
  return { bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer };
};
const lastVisit: ModelSnapshot = {
  name: 'itemknn',
  config: {},
  arrays: {
    offsets: Uint32Array.of(0, 0, 0),
    neighbours: new Int32Array(0),
    similarities: new Float32Array(0),
  },
};

/** What preparedNeighbours did: its answer, the warnings it gave and the cache reads it made. */
async function prepare(file: Parameters<typeof preparedNeighbours>[0], cached: ModelSnapshot | null) {
  const warnings: string[] = [];
  const reads: string[] = [];
  const answer = await preparedNeighbours(file, 'fp', {
    readCache: async (fingerprint) => (reads.push(fingerprint), cached),
    warn: (message) => warnings.push(message),
  });
  return { answer, warnings, reads };
}

describe('the neighbour table a visit loads', () => {
  it("is the build's when its fingerprint matches, without reading the last visit's", async () => {
    const { answer, warnings, reads } = await prepare(fileOf('fp'), lastVisit);
    expect(answer.source).toBe('build');
    expect(answer.snapshot?.arrays).toEqual(table);
    expect(warnings).toEqual([]);
    expect(reads).toEqual([]);
  });

  it("falls back to the last visit's table, saying why the build's was refused", async () => {
    const { answer, warnings, reads } = await prepare(fileOf('stale'), lastVisit);
    expect(answer).toEqual({ snapshot: lastVisit, source: 'last visit' });
    expect(reads).toEqual(['fp']);
    expect(warnings).toEqual([
      "the build's neighbour table is not used (it was fitted on other data or another configuration than this store uses); the store fits its own.",
    ]);
  });

  it('asks for a fit when there is neither, naming the missing file', async () => {
    const { answer, warnings } = await prepare({ problem: 'HTTP 404 for /data/neighbours-full.bin' }, null);
    expect(answer).toEqual({ snapshot: null, source: 'none' });
    expect(warnings[0]).toContain('(HTTP 404 for /data/neighbours-full.bin)');
  });
});

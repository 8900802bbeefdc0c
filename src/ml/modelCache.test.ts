import { describe, expect, it } from 'vitest';
import { ItemKnnRecommender } from './baselines/itemKnn';
import { fromSequences } from './interactions';
import {
  checkpointSuffix,
  decodeCheckpoint,
  decodeSnapshot,
  encodeCheckpoint,
  encodeSnapshot,
  fitThroughCache,
  modelCacheKey,
  modelCacheKeyPattern,
  type Bytes,
  type ModelCacheStore,
} from './modelCache';
import type { ModelSnapshot, Recommender, TrainingCheckpoint, TrainOptions } from './recommender';

const parts = {
  data: 'beauty 0123456789abcdef | leave-one-out | seed 42 | fold 0',
  model: 'sasrec',
  config: { hidden: 64, dropout: 0.5, epochs: 12, seed: 42 },
};

/** A store in memory that counts its reads and writes. */
function memoryStore(): ModelCacheStore & { entries: Map<string, Bytes>; puts: number } {
  const entries = new Map<string, Bytes>();
  return {
    entries,
    puts: 0,
    get: async (key) => entries.get(key),
    async put(key, bytes) {
      this.puts++;
      entries.set(key, bytes);
    },
  };
}

describe('modelCacheKey', () => {
  it('names the model and is safe as a file name', () => {
    const key = modelCacheKey(parts);
    expect(key).toMatch(/^sasrec-[0-9a-f]{16}$/);
    expect(key).toMatch(modelCacheKeyPattern);
  });

  it('does not depend on the order of the config keys', () => {
    const reordered = { seed: 42, epochs: 12, dropout: 0.5, hidden: 64 };
    expect(modelCacheKey({ ...parts, config: reordered })).toBe(modelCacheKey(parts));
  });

  it('changes with the data, the split, the seed, the model and every setting', () => {
    const key = modelCacheKey(parts);
    const variants = [
      { ...parts, data: parts.data.replace('fold 0', 'fold 1') },
      { ...parts, data: parts.data.replace('seed 42', 'seed 7') },
      { ...parts, data: parts.data.replace('0123456789abcdef', '0123456789abcdee') },
      { ...parts, model: 'gru' },
      { ...parts, config: { ...parts.config, epochs: 13 } },
      { ...parts, config: { ...parts.config, seed: 43 } },
      { ...parts, config: { ...parts.config, loss: 'softmax' } },
    ];
    const keys = new Set(variants.map(modelCacheKey));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(key)).toBe(false);
  });
});

describe('encodeSnapshot / decodeSnapshot', () => {
  const snapshot: ModelSnapshot = {
    name: 'sasrec',
    config: { hidden: 2, loss: 'softmax', note: 'é' }, // a non-ASCII header byte count
    arrays: {
      items: Float32Array.from([0.5, -1.25, 3]),
      ids: Int32Array.from([-7, 0, 2 ** 30]),
      offsets: Uint32Array.from([0, 4294967295]),
      empty: new Float32Array(0),
    },
  };

  it('gives back every array with its type and values, and the config', () => {
    const decoded = decodeSnapshot(encodeSnapshot(snapshot));
    expect(decoded.name).toBe('sasrec');
    expect(decoded.config).toEqual(snapshot.config);
    expect(decoded.arrays.items).toBeInstanceOf(Float32Array);
    expect(Array.from(decoded.arrays.items)).toEqual([0.5, -1.25, 3]);
    expect(decoded.arrays.ids).toBeInstanceOf(Int32Array);
    expect(Array.from(decoded.arrays.ids)).toEqual([-7, 0, 2 ** 30]);
    expect(decoded.arrays.offsets).toBeInstanceOf(Uint32Array);
    expect(Array.from(decoded.arrays.offsets)).toEqual([0, 4294967295]);
    expect(decoded.arrays.empty.length).toBe(0);
  });

  it('reads an entry that does not start on a 4-byte boundary (a slice of a larger buffer)', () => {
    const bytes = encodeSnapshot(snapshot);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(Array.from(decodeSnapshot(shifted.subarray(1)).arrays.items)).toEqual([0.5, -1.25, 3]);
  });

  it('refuses a truncated entry, trailing bytes and a foreign file', () => {
    const bytes = encodeSnapshot(snapshot);
    expect(() => decodeSnapshot(bytes.subarray(0, bytes.length - 4))).toThrow(/runs past the end/);
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    expect(() => decodeSnapshot(longer)).toThrow(/left over/);
    expect(() => decodeSnapshot(new TextEncoder().encode('PK\u0003\u0004 a zip file'))).toThrow(
      /not a model cache entry/,
    );
    expect(() => decodeSnapshot(new Uint8Array(2))).toThrow(/too short/);
  });
});

describe('fitThroughCache', () => {
  // items 0 → 1 → 2 … in every sequence: item-kNN learns that 1 neighbours 0 and 2
  const data = fromSequences(
    [
      [0, 1, 2, 3],
      [1, 2, 3, 4],
      [0, 1, 2],
      [2, 3, 4, 5],
    ],
    6,
  );

  it('trains and stores on a miss, then loads the same model without training on a hit', async () => {
    const store = memoryStore();
    let fits = 0;
    const first = new ItemKnnRecommender({ neighbours: 5, shrink: 0 });
    const loadedFirst = await fitThroughCache(first, 'itemknn-test', store, async () => {
      fits++;
      await first.fit(data);
    });
    expect([loadedFirst, fits, store.puts]).toEqual([false, 1, 1]);

    const second = new ItemKnnRecommender({ neighbours: 5, shrink: 0 });
    const loadedSecond = await fitThroughCache(second, 'itemknn-test', store, async () => {
      fits++;
      await second.fit(data);
    });
    expect([loadedSecond, fits, store.puts]).toEqual([true, 1, 1]);
    const state = { history: [1, 2] };
    expect(Array.from(second.scoreAll(state))).toEqual(Array.from(first.scoreAll(state)));
    expect(second.scoreAll(state)[3]).toBeGreaterThan(0);
  });

  it('trains anyway, and says why, when the store fails or holds a damaged entry', async () => {
    const messages: string[] = [];
    const failing: ModelCacheStore = {
      get: () => Promise.reject(new Error('connection refused')),
      put: () => Promise.reject(new Error('disk full')),
    };
    const model = new ItemKnnRecommender({ neighbours: 5, shrink: 0 });
    const loaded = await fitThroughCache(
      model,
      'k',
      failing,
      () => model.fit(data),
      (m) => messages.push(m),
    );
    expect(loaded).toBe(false);
    expect(model.scoreAll({ history: [0] })[1]).toBeGreaterThan(0);
    expect(messages).toEqual([
      'model cache: could not read k: Error: connection refused',
      'model cache: could not read k-checkpoint: Error: connection refused',
      'model cache: could not store k: Error: disk full',
    ]);

    const damaged = memoryStore();
    damaged.entries.set('k', new Uint8Array([1, 2, 3]));
    let fits = 0;
    const again = new ItemKnnRecommender({ neighbours: 5, shrink: 0 });
    const loadedDamaged = await fitThroughCache(
      again,
      'k',
      damaged,
      async () => {
        fits++;
        await again.fit(data);
      },
      (m) => messages.push(m),
    );
    expect([loadedDamaged, fits, damaged.puts]).toEqual([false, 1, 1]);
    expect(messages[3]).toMatch(/k is unusable .*too short.*training instead/);
  });
});

describe('checkpoints in the model cache', () => {
  const checkpoint: TrainingCheckpoint = {
    epochsDone: 3,
    params: { 'item/emb': Float32Array.from([1, 2]), bias: Float32Array.from([0.5]) },
    optimizer: {
      step: 120,
      moments: {
        'item/emb': { first: Float32Array.from([0.1, 0.2]), second: Float32Array.from([0.01, 0.04]) },
        bias: { first: Float32Array.from([-1]), second: Float32Array.from([1]) },
      },
    },
  };

  it("round-trips parameters, the epoch count and Adam's step and moments; no optimizer stays none", () => {
    expect(decodeCheckpoint(encodeCheckpoint('sasrec', checkpoint))).toEqual(checkpoint);
    const bare = { epochsDone: 1, params: { w: Float32Array.from([3]) } };
    expect(decodeCheckpoint(encodeCheckpoint('mf', bare))).toEqual(bare);
    expect(() => decodeCheckpoint(encodeSnapshot({ name: 'mf', config: {}, arrays: {} }))).toThrow(
      /no epoch count/,
    );
  });

  it('keeps extra arrays beside the checkpoint, out of its parameters', () => {
    const perUser = Float32Array.from([0.5, 0, 1]);
    const bytes = encodeCheckpoint(
      'sasrec',
      checkpoint,
      { validationUsers: 3 },
      { validationPerUser: perUser },
    );
    expect(decodeCheckpoint(bytes)).toEqual(checkpoint);
    const { config, arrays } = decodeSnapshot(bytes);
    expect(config.validationUsers).toBe(3);
    expect(arrays['extra/validationPerUser']).toEqual(perUser);
  });

  /**
   * A learned model in miniature: one "parameter" that each epoch adds 1 to, a checkpoint after
   * every epoch, and a fit that can be stopped after `stopAfter` epochs (a killed run).
   */
  function counter(epochs: number, stopAfter = Infinity) {
    const seen: { resumedAfter?: number; epochsRun: number[] } = { epochsRun: [] };
    let value = 0;
    const model = {
      name: 'sasrec',
      async fit(_data: unknown, options: TrainOptions = {}) {
        value = options.resumeFrom?.params.value[0] ?? 0;
        seen.resumedAfter = options.resumeFrom?.epochsDone;
        for (let epoch = (options.resumeFrom?.epochsDone ?? 0) + 1; epoch <= epochs; epoch++) {
          if (epoch > stopAfter) throw new Error('killed');
          value += 1;
          seen.epochsRun.push(epoch);
          await options.onCheckpoint?.({ epochsDone: epoch, params: { value: Float32Array.from([value]) } });
        }
      },
      save: (): ModelSnapshot => ({
        name: 'sasrec',
        config: {},
        arrays: { value: Float32Array.from([value]) },
      }),
      load: (snapshot: ModelSnapshot) => void (value = snapshot.arrays.value[0]),
      value: () => value,
    };
    return { model: model as unknown as Recommender & { value(): number }, seen };
  }

  it('carries a killed fit on after its last stored epoch, then stores the trained model', async () => {
    const store = memoryStore();
    const killed = counter(5, 2);
    await expect(
      fitThroughCache(killed.model, 'sasrec-k', store, (resume) =>
        killed.model.fit(fromSequences([], 1), resume),
      ),
    ).rejects.toThrow('killed');
    expect([...store.entries.keys()]).toEqual([`sasrec-k${checkpointSuffix}`]);

    const messages: string[] = [];
    const again = counter(5);
    const loaded = await fitThroughCache(
      again.model,
      'sasrec-k',
      store,
      (resume) => again.model.fit(fromSequences([], 1), resume),
      (m) => messages.push(m),
    );
    expect(loaded).toBe(false);
    expect(again.seen).toEqual({ resumedAfter: 2, epochsRun: [3, 4, 5] });
    expect(again.model.value()).toBe(5); // as if never stopped
    expect(messages).toEqual(['model cache: carrying on after epoch 2 (sasrec-k-checkpoint)']);
    expect(decodeSnapshot(store.entries.get('sasrec-k')!).arrays.value[0]).toBe(5);
  });
});

// The profile encoder's heads in plain JS on Float32Arrays: from a hidden state to predicted
// genres and price band. A few hundred multiply-adds, so the store worker reads a shopper's
// profile without tfjs: the hidden state from the host GRU (worker/store/hostGru.ts, fed
// gruPartOf(snapshot)), then readProfileHeads. ProfileEncoder.encode runs this very code.
import type { ModelSnapshot } from '../recommender';

/** What the encoder believes about a shopper. */
export interface ProfileEncoding {
  /** the hidden state after their history, [hidden]: the profile embedding */
  embedding: Float32Array;
  /** [genreCount]: the probability that what they do next carries each genre (independent) */
  genreMix: Float32Array;
  /** [priceBandCount]: the distribution of the next item's price band (sums to 1) */
  priceBand: Float32Array;
}

export interface ProfileHeadSizes {
  hidden: number;
  genreCount: number;
  priceBandCount: number;
}

/** The encoder's GRU parameter names: the part the host GRU reads. */
const gruArrayNames = [
  'itemEmbedding',
  ...['update', 'reset', 'candidate'].flatMap((part) => [
    `${part}InputWeights`,
    `${part}InputBias`,
    `${part}RecurrentWeights`,
  ]),
];

/** Config keys a GRU does not have. */
const encoderOnlyConfigKeys = new Set([
  'genreLossWeight',
  'priceBandLossWeight',
  'genreCount',
  'priceBandCount',
]);

/** out = embedding · weights [d × k] + bias (row-vector convention, as tf.matMul uses). */
function affine(embedding: Float32Array, weights: Float32Array, bias: Float32Array): Float32Array {
  const outSize = bias.length;
  const out = Float32Array.from(bias);
  for (let i = 0; i < embedding.length; i++) {
    const x = embedding[i];
    const row = i * outSize;
    for (let j = 0; j < outSize; j++) out[j] += x * weights[row + j];
  }
  return out;
}

export function sigmoidInPlace(values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) values[i] = 1 / (1 + Math.exp(-values[i]));
  return values;
}

export function softmaxInPlace(values: Float32Array): Float32Array {
  let max = -Infinity;
  for (const value of values) max = Math.max(max, value);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    values[i] = Math.exp(values[i] - max);
    sum += values[i];
  }
  for (let i = 0; i < values.length; i++) values[i] /= sum;
  return values;
}

/** The heads over one hidden state; a head the model does not have reads as an empty array. */
export function readProfileHeads(
  params: Readonly<Record<string, Float32Array>>,
  sizes: ProfileHeadSizes,
  embedding: Float32Array,
): ProfileEncoding {
  if (embedding.length !== sizes.hidden)
    throw new Error(`profile heads: embedding has ${embedding.length} values, expected ${sizes.hidden}`);
  const genreMix =
    sizes.genreCount > 0
      ? sigmoidInPlace(affine(embedding, params.genreWeights, params.genreBias))
      : new Float32Array(0);
  const priceBand =
    sizes.priceBandCount > 0
      ? softmaxInPlace(affine(embedding, params.priceBandWeights, params.priceBandBias))
      : new Float32Array(0);
  return { embedding: Float32Array.from(embedding), genreMix, priceBand };
}

function encoderConfig(snapshot: ModelSnapshot): ProfileHeadSizes & { maxLen: number; itemCount: number } {
  if (snapshot.name !== 'profileEncoder')
    throw new Error(`profile heads: cannot read a "${snapshot.name}" snapshot`);
  return snapshot.config as unknown as ProfileHeadSizes & { maxLen: number; itemCount: number };
}

/**
 * The encoder's GRU as a 'gru' snapshot (the same arrays, not copies): what the host GRU and
 * GruRecommender.load read, so the store ranks with the encoder exactly as with a plain GRU.
 */
export function gruPartOf(snapshot: ModelSnapshot): ModelSnapshot {
  const { hidden, maxLen, itemCount } = encoderConfig(snapshot);
  const arrays: ModelSnapshot['arrays'] = {};
  for (const name of gruArrayNames) {
    if (!snapshot.arrays[name]) throw new Error(`profile heads: snapshot lacks "${name}"`);
    arrays[name] = snapshot.arrays[name];
  }
  const config = Object.fromEntries(
    Object.entries(snapshot.config).filter(([key]) => !encoderOnlyConfigKeys.has(key)),
  );
  return { name: 'gru', config: { ...config, hidden, maxLen, itemCount }, arrays };
}

/** readProfileHeads over a stored snapshot, for a hidden state computed elsewhere (the host GRU). */
export class HostProfileHeads {
  readonly sizes: ProfileHeadSizes;
  private readonly params: Record<string, Float32Array> = {};

  constructor(snapshot: ModelSnapshot) {
    const { hidden, genreCount, priceBandCount } = encoderConfig(snapshot);
    this.sizes = { hidden, genreCount, priceBandCount };
    const names = [
      ...(genreCount > 0 ? ['genreWeights', 'genreBias'] : []),
      ...(priceBandCount > 0 ? ['priceBandWeights', 'priceBandBias'] : []),
    ];
    for (const name of names) {
      const values = snapshot.arrays[name];
      if (!(values instanceof Float32Array)) throw new Error(`profile heads: snapshot lacks "${name}"`);
      this.params[name] = values;
    }
  }

  read(embedding: Float32Array): ProfileEncoding {
    return readProfileHeads(this.params, this.sizes, embedding);
  }
}

// Builders shared by the store worker's tests only: a one-unit profile encoder to work by hand.
import type { ModelSnapshot } from '../../ml/recommender';

/**
 * A one-unit encoder small enough to work by hand. Item 0's embedding is 1 and only the
 * candidate gate reads it (weight 2), so after [0] from the zero state: update = σ(0) = ½,
 * candidate = tanh(2), h = ½ · tanh(2) = 0.48201. Genre heads: weights (3, −3), biases −2:
 * anyone (h = 0) gets σ(−2) = 0.1192 for both; the shopper σ(−2 + 3h) = 0.364946 and
 * σ(−2 − 3h) = 0.030887. Band heads: weights (0, 2): anyone ½, ½; the shopper
 * softmax(0, 2h) = (0.2761, 0.7239).
 */
const f = (...values: number[]) => Float32Array.from(values);
export const handEncoder: ModelSnapshot = {
  name: 'profileEncoder',
  config: { hidden: 1, maxLen: 4, itemCount: 2, genreCount: 2, priceBandCount: 2 },
  arrays: {
    itemEmbedding: f(0, 1, 0), // row 0 is padding
    updateInputWeights: f(0),
    updateInputBias: f(0),
    updateRecurrentWeights: f(0),
    resetInputWeights: f(0),
    resetInputBias: f(0),
    resetRecurrentWeights: f(0),
    candidateInputWeights: f(2),
    candidateInputBias: f(0),
    candidateRecurrentWeights: f(0),
    genreWeights: f(3, -3),
    genreBias: f(-2, -2),
    priceBandWeights: f(0, 2),
    priceBandBias: f(0, 0),
  },
};

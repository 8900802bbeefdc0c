// Does a model know which genres a player turns to next? Per held-out player: the genres of
// their next game (a multi-hot) against a predicted probability per genre, scored by binary
// log-loss (calibration and sharpness) and AUC (ranking the right genres above the others).
// The baseline to beat is the counted profile: the share of the player's own games carrying
// each genre, smoothed towards the community's share.

/** Item → genres as a CSR: item i carries ids[offsets[i], offsets[i + 1]), each in [0, genreCount). */
export interface ItemGenres {
  genreCount: number;
  offsets: Uint32Array;
  ids: Int32Array;
}

/**
 * Pseudo-games of community prior in the counted profile: with 2, a player with one Strategy
 * game predicts Strategy at (1 + 2·prior) / 3, not 1 (which log-loss would punish without end
 * the first time they leave it), and a player with no game predicts the prior itself.
 */
export const countedProfilePriorGames = 2;

/** Probabilities are clipped to [ε, 1 − ε] before the log: one confident miss costs −ln ε, not ∞. */
export const logLossEpsilon = 1e-6;

export function hasGenres(item: number, genres: ItemGenres): boolean {
  return genres.offsets[item + 1] > genres.offsets[item];
}

/** The genres of one item as a multi-hot [genreCount]. */
export function genreIndicator(item: number, genres: ItemGenres): Uint8Array {
  const hot = new Uint8Array(genres.genreCount);
  for (let j = genres.offsets[item]; j < genres.offsets[item + 1]; j++) hot[genres.ids[j]] = 1;
  return hot;
}

/**
 * Per genre, the share of the given items (those with at least one genre; an item listed twice
 * counts twice) that carry it. All zeros when none has a genre.
 */
export function genreShares(items: ArrayLike<number>, genres: ItemGenres): Float64Array {
  const counts = new Float64Array(genres.genreCount);
  let known = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!hasGenres(item, genres)) continue;
    known++;
    for (let j = genres.offsets[item]; j < genres.offsets[item + 1]; j++) counts[genres.ids[j]]++;
  }
  if (known > 0) for (let g = 0; g < counts.length; g++) counts[g] /= known;
  return counts;
}

/**
 * The counted profile's prediction: (k_g + s·prior_g) / (n + s), with n the history's games that
 * have a genre, k_g those carrying genre g, s = priorGames.
 */
export function countedGenreProfile(
  history: readonly number[],
  genres: ItemGenres,
  prior: ArrayLike<number>,
  priorGames: number = countedProfilePriorGames,
): Float64Array {
  const counts = new Float64Array(genres.genreCount);
  let known = 0;
  for (const item of history) {
    if (!hasGenres(item, genres)) continue;
    known++;
    for (let j = genres.offsets[item]; j < genres.offsets[item + 1]; j++) counts[genres.ids[j]]++;
  }
  return counts.map((count, g) => (count + priorGames * prior[g]) / (known + priorGames));
}

/** Mean over genres of −[y·ln p + (1 − y)·ln(1 − p)], p clipped to [ε, 1 − ε]. */
export function genreLogLoss(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  if (predicted.length !== actual.length || predicted.length === 0)
    throw new Error('genreLogLoss: predicted and actual need the same, non-zero length');
  let sum = 0;
  for (let g = 0; g < predicted.length; g++) {
    const p = Math.min(1 - logLossEpsilon, Math.max(logLossEpsilon, predicted[g]));
    sum -= actual[g] > 0 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / predicted.length;
}

/**
 * The probability that a genre the next game has is predicted above one it has not (ties count
 * ½). null when the game has every genre or none: there is no pair to order.
 */
export function genreAuc(predicted: ArrayLike<number>, actual: ArrayLike<number>): number | null {
  let pairs = 0;
  let won = 0;
  for (let positive = 0; positive < actual.length; positive++) {
    if (!(actual[positive] > 0)) continue;
    for (let negative = 0; negative < actual.length; negative++) {
      if (actual[negative] > 0) continue;
      pairs++;
      if (predicted[positive] > predicted[negative]) won++;
      else if (predicted[positive] === predicted[negative]) won += 0.5;
    }
  }
  return pairs === 0 ? null : won / pairs;
}

/** The index of the largest value, the first of equals: a predicted distribution's likeliest class. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

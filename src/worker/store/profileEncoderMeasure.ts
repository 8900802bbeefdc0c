// The profile encoder's model card, measured on the store's held-out players: the fitting side
// chooses the counted profile's smoothing and the blend's weights, the measuring side (never the
// same players) gives every figure, each beside its baseline with the paired difference's
// bootstrap interval. Read the way the store reads the encoder: host GRU + host heads, no tfjs.
import { bestWeight, genreMatchScores, minMaxScaled, scaledSum } from '../../ml/blend/genreBlend';
import {
  argmax,
  countedGenreProfile,
  genreAuc,
  genreIndicator,
  genreLogLoss,
  genreShares,
  hasGenres,
  logLossEpsilon,
  type ItemGenres,
} from '../../ml/eval/genreMix';
import { bootstrapConfidenceInterval, mean, pairedDifferenceInterval } from '../../ml/eval/statistics';
import { gruPartOf, HostProfileHeads, type ProfileEncoding } from '../../ml/models/profileHeads';
import type { ModelSnapshot } from '../../ml/recommender';
import { yieldToEventLoop } from '../../ml/train/loop';
import type { ProfileComparison, ProfileEncoderQuality } from '../../recs/profileModelQuality';
import { hitRateAndNdcg, type HeldOutPlayer } from './heldOut';
import { HostGruScorer } from './hostGru';
import type { ProfileTargets } from './profileTargets';

export interface ProfileMeasureInput {
  encoder: ModelSnapshot;
  /** the store's own GRU: the blend without the encoder ranks with it */
  gru: HostGruScorer;
  targets: ProfileTargets;
  /** the training interactions' items, for the community's genre and band shares */
  trainItems: ArrayLike<number>;
  fitPlayers: readonly HeldOutPlayer[];
  metricPlayers: readonly HeldOutPlayer[];
  /** bootstrap seed */
  seed: number;
  signal?: AbortSignal;
}

/** Pseudo-games of prior the counted profile may use; the fitting players choose. */
export const countedPriorGamesGrid = [0.5, 1, 2, 5, 10, 20];
/** Weights of the genre match in the blend; the fitting players choose (0 wins a tie). */
export const blendWeightGrid = [0, 0.05, 0.1, 0.2, 0.5, 1];

/** The known band of an item, or −1 (bands are a one-genre CSR). */
function bandOf(item: number, bands: ItemGenres): number {
  return hasGenres(item, bands) ? bands.ids[bands.offsets[item]] : -1;
}

/** Per player: 1 when the most probable band is the next game's, and −ln p(that band). */
export function bandScores(
  predicted: ArrayLike<number>,
  band: number,
): { hit: number; crossEntropy: number } {
  return {
    hit: argmax(predicted) === band ? 1 : 0,
    crossEntropy: -Math.log(Math.max(logLossEpsilon, predicted[band])),
  };
}

/** One side of the blend for one player: its two score lists, each min-max scaled. */
interface ScaledBlend {
  base: Float32Array;
  match: Float32Array;
}

const scaledBlend = (base: Float32Array, match: Float32Array): ScaledBlend => ({
  base: minMaxScaled(base),
  match: minMaxScaled(match),
});

export async function measureProfileEncoder(input: ProfileMeasureInput): Promise<ProfileEncoderQuality> {
  const { targets, fitPlayers, metricPlayers, signal } = input;
  const encoderGru = new HostGruScorer(gruPartOf(input.encoder));
  const heads = new HostProfileHeads(input.encoder);
  const encode = (player: HeldOutPlayer): ProfileEncoding =>
    heads.read(encoderGru.hiddenState(player.history));
  const genrePrior = genreShares(input.trainItems, targets.genres);
  const bandPrior = genreShares(input.trainItems, targets.bandsAsGenres);
  const withGenres = fitPlayers.filter((player) => hasGenres(player.target, targets.genres));
  const countedPriorGames = bestWeight(
    countedPriorGamesGrid,
    (priorGames) =>
      -mean(
        withGenres.map((p) =>
          genreLogLoss(
            countedGenreProfile(p.history, targets.genres, genrePrior, priorGames),
            genreIndicator(p.target, targets.genres),
          ),
        ),
      ),
  );
  const counted = (player: HeldOutPlayer) =>
    countedGenreProfile(player.history, targets.genres, genrePrior, countedPriorGames);

  // the blend: ranking scores + w · genre match; with = encoder + its genres, without = GRU + counted.
  // Each side's two score lists are scaled once per player; every weight reuses them.
  const combined = new Float32Array(input.gru.itemCount);
  const blendRank = (player: HeldOutPlayer, side: ScaledBlend, weight: number) =>
    hitRateAndNdcg([player], () => scaledSum(side.base, side.match, weight, combined));
  const blendInputs = (player: HeldOutPlayer, encoderScores: Float32Array, encoding: ProfileEncoding) => ({
    with: scaledBlend(encoderScores, genreMatchScores(encoding.genreMix, targets.genres)),
    without: scaledBlend(input.gru.scoreAll(player), genreMatchScores(counted(player), targets.genres)),
  });
  const ndcgSums = {
    with: new Float64Array(blendWeightGrid.length),
    without: new Float64Array(blendWeightGrid.length),
  };
  for (const [i, player] of fitPlayers.entries()) {
    if (i % 16 === 0) await pause(signal);
    const sides = blendInputs(player, encoderGru.scoreAll(player), encode(player));
    for (const side of ['with', 'without'] as const)
      blendWeightGrid.forEach(
        (weight, w) => (ndcgSums[side][w] += blendRank(player, sides[side], weight).ndcg),
      );
  }
  const fittedWeight = (sums: Float64Array) =>
    bestWeight(blendWeightGrid, (weight) => sums[blendWeightGrid.indexOf(weight)]);
  const blendWeightWith = fittedWeight(ndcgSums.with);
  const blendWeightWithout = fittedWeight(ndcgSums.without);

  const genre = {
    encoderLoss: [] as number[],
    countedLoss: [] as number[],
    encoderAuc: [] as number[],
    countedAuc: [] as number[],
  };
  const band = {
    encoderHit: [] as number[],
    countedHit: [] as number[],
    encoderCe: [] as number[],
    countedCe: [] as number[],
  };
  const hr: number[] = [];
  const ndcg: number[] = [];
  const blendRanks = {
    withHr: [] as number[],
    withNdcg: [] as number[],
    withoutHr: [] as number[],
    withoutNdcg: [] as number[],
  };
  for (const [i, player] of metricPlayers.entries()) {
    if (i % 16 === 0) await pause(signal);
    const encoding = encode(player);
    const encoderScores = encoderGru.scoreAll(player);
    const own = hitRateAndNdcg([player], () => encoderScores);
    hr.push(own.hitRate);
    ndcg.push(own.ndcg);
    const countedMix = counted(player);
    if (hasGenres(player.target, targets.genres)) {
      const actual = genreIndicator(player.target, targets.genres);
      genre.encoderLoss.push(genreLogLoss(encoding.genreMix, actual));
      genre.countedLoss.push(genreLogLoss(countedMix, actual));
      const [encoderAuc, countedAuc] = [genreAuc(encoding.genreMix, actual), genreAuc(countedMix, actual)];
      if (encoderAuc !== null && countedAuc !== null) {
        genre.encoderAuc.push(encoderAuc);
        genre.countedAuc.push(countedAuc);
      }
    }
    const targetBand = bandOf(player.target, targets.bandsAsGenres);
    if (targetBand >= 0) {
      const fromEncoder = bandScores(encoding.priceBand, targetBand);
      const fromCount = bandScores(
        countedGenreProfile(player.history, targets.bandsAsGenres, bandPrior),
        targetBand,
      );
      band.encoderHit.push(fromEncoder.hit);
      band.countedHit.push(fromCount.hit);
      band.encoderCe.push(fromEncoder.crossEntropy);
      band.countedCe.push(fromCount.crossEntropy);
    }
    const sides = blendInputs(player, encoderScores, encoding);
    for (const [side, weight] of [
      ['with', blendWeightWith],
      ['without', blendWeightWithout],
    ] as const) {
      const ranked = blendRank(player, sides[side], weight);
      blendRanks[`${side}Hr`].push(ranked.hitRate);
      blendRanks[`${side}Ndcg`].push(ranked.ndcg);
    }
  }

  const bootstrap = { resamples: 2000, confidence: 0.95, seed: input.seed };
  const compare = (encoder: number[], baseline: number[]): ProfileComparison => ({
    encoder: bootstrapConfidenceInterval(encoder, bootstrap),
    baseline: bootstrapConfidenceInterval(baseline, bootstrap),
    difference: pairedDifferenceInterval(encoder, baseline, bootstrap),
  });
  return {
    comparisons: {
      'genre log-loss': compare(genre.encoderLoss, genre.countedLoss),
      'genre AUC': compare(genre.encoderAuc, genre.countedAuc),
      'price band accuracy': compare(band.encoderHit, band.countedHit),
      'price band cross-entropy': compare(band.encoderCe, band.countedCe),
      'blend HR@10': compare(blendRanks.withHr, blendRanks.withoutHr),
      'blend NDCG@10': compare(blendRanks.withNdcg, blendRanks.withoutNdcg),
    },
    hr: mean(hr),
    ndcg: mean(ndcg),
    players: metricPlayers.length,
    fitPlayers: fitPlayers.length,
    countedPriorGames,
    blendWeightWith,
    blendWeightWithout,
  };
}

async function pause(signal: AbortSignal | undefined): Promise<void> {
  await yieldToEventLoop();
  signal?.throwIfAborted();
}

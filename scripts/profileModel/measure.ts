// Does the learned profile earn its place? Trains the plain GRU and the profile encoder (the same
// GRU plus genre-mix and price-band heads, same seed and settings) on the Steam community data
// with the store's held-out split, then reports on the held-out players:
//  - HR@10 / NDCG@10 of each, and of the encoder minus the GRU (paired), with bootstrap intervals;
//  - the predicted genre mix of the next game against the counted profile (the player's own genre
//    shares, smoothed towards the community's), by log-loss and AUC; the same for the price band;
//  - a small blend, ranking scores + w · genre match, with the encoder and its predicted genres
//    against the GRU and the counted genres (ml/blend/genreBlend.ts).
// The encoder's profile is read the way the store would: host GRU + host heads, no tfjs.
//
//   npx tsx --import ./scripts/node/directoryImports.mjs scripts/profileModel/measure.ts
//     [--players 8000] [--held-out 1500] [--epochs 3]
//     [--hidden 32] [--max-len 20] [--batch-size 128] [--learning-rate 0.005] [--backend wasm|cpu]
import { parseArgs } from 'node:util';
import * as tf from '../../src/ml/tf';
import {
  countedGenreProfile,
  genreAuc,
  genreIndicator,
  genreLogLoss,
  genreShares,
  hasGenres,
  type ItemGenres,
} from '../../src/ml/eval/genreMix';
import { bootstrapConfidenceInterval, mean, type ConfidenceInterval } from '../../src/ml/eval/statistics';
import { createGru } from '../../src/ml/models/gru';
import { createProfileEncoder, defaultProfileEncoderConfig } from '../../src/ml/models/profileEncoder';
import { gruPartOf, HostProfileHeads } from '../../src/ml/models/profileHeads';
import type { Recommender, ShopperState } from '../../src/ml/recommender';
import { holdOutLastItems, perPlayerRanking, type HeldOutPlayer } from '../../src/worker/store/heldOut';
import { HostGruScorer } from '../../src/worker/store/hostGru';
import { profileTargets } from '../../src/worker/store/profileTargets';
import { loadCatalogGames, loadCommunity, startBackend } from './nodeSetup';
import { bestWeight, blended, genreMatchScores } from '../../src/ml/blend/genreBlend';

const { values: args } = parseArgs({
  options: {
    players: { type: 'string', default: '8000' },
    'held-out': { type: 'string', default: '1500' },
    epochs: { type: 'string', default: '3' },
    hidden: { type: 'string', default: '32' },
    'max-len': { type: 'string', default: '20' },
    'batch-size': { type: 'string', default: '128' },
    'learning-rate': { type: 'string', default: '0.005' },
    backend: { type: 'string', default: 'wasm' },
    seed: { type: 'string', default: '11' },
  },
});

async function scoreAllPlayers(
  model: Recommender,
  players: readonly HeldOutPlayer[],
): Promise<Float32Array[]> {
  const rows: Float32Array[] = [];
  const itemCount = model.scoreAll({ history: [] }).length;
  for (let start = 0; start < players.length; start += 64) {
    const states: ShopperState[] = players.slice(start, start + 64).map((p) => ({ history: p.history }));
    const scores = await model.scoreMany!(states);
    states.forEach((_, i) => rows.push(scores.slice(i * itemCount, (i + 1) * itemCount)));
  }
  return rows;
}

function interval(values: ArrayLike<number>): ConfidenceInterval {
  return bootstrapConfidenceInterval(values, { resamples: 2000, seed: 7 });
}

function difference(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: a.length }, (_, i) => a[i] - b[i]);
}

const format = (ci: ConfidenceInterval, digits = 4): string =>
  `${ci.mean.toFixed(digits)} [${ci.lower.toFixed(digits)}, ${ci.upper.toFixed(digits)}]`;

/** Per player whose next game has a known attribute: log-loss and AUC of a prediction. */
interface AttributeScores {
  logLoss: number[];
  /** only players whose next game has some but not all of the genres */
  auc: number[];
}

function scoreAttribute(
  players: readonly HeldOutPlayer[],
  attributes: ItemGenres,
  predict: (player: HeldOutPlayer) => ArrayLike<number>,
): AttributeScores {
  const scores: AttributeScores = { logLoss: [], auc: [] };
  for (const player of players) {
    if (!hasGenres(player.target, attributes)) continue;
    const predicted = predict(player);
    const actual = genreIndicator(player.target, attributes);
    scores.logLoss.push(genreLogLoss(predicted, actual));
    const auc = genreAuc(predicted, actual);
    if (auc !== null) scores.auc.push(auc);
  }
  return scores;
}

/** Cross-entropy of the next game's band: −ln p(band), each band's probability clipped like log-loss. */
function bandCrossEntropy(
  players: readonly HeldOutPlayer[],
  bands: ItemGenres,
  predict: (player: HeldOutPlayer) => ArrayLike<number>,
): number[] {
  return players
    .filter((player) => hasGenres(player.target, bands))
    .map((player) => -Math.log(Math.max(1e-6, predict(player)[bands.ids[bands.offsets[player.target]]])));
}

async function main(): Promise<void> {
  const started = performance.now();
  await startBackend(args.backend!);
  const inputs = profileTargets(loadCatalogGames());
  const community = loadCommunity();
  const split = holdOutLastItems(community, Number(args['held-out']), Number(args.seed), {
    maxUsers: Number(args.players),
  });
  const config = {
    hidden: Number(args.hidden),
    maxLen: Number(args['max-len']),
    epochs: Number(args.epochs),
    batchSize: Number(args['batch-size']),
    learningRate: Number(args['learning-rate']),
    dropout: 0.1,
    seed: 42,
  };
  console.log(
    `data: ${split.train.userCount} players, ${split.train.items.length} interactions, ` +
      `${community.itemCount} games, ${split.players.length} held out; backend ${tf.getBackend()}; ` +
      `GRU ${JSON.stringify(config)}; encoder α ${defaultProfileEncoderConfig.genreLossWeight}, ` +
      `β ${defaultProfileEncoderConfig.priceBandLossWeight}`,
  );

  const trainTimed = async (label: string, model: Recommender) => {
    const start = performance.now();
    await model.fit(split.train, {
      onProgress: (p) => console.log(`  ${label} epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)}`),
    });
    console.log(`  ${label} trained in ${((performance.now() - start) / 1000).toFixed(0)} s`);
  };
  const gru = createGru(config);
  await trainTimed('gru', gru);
  const encoder = createProfileEncoder({ ...config, ...inputs.attributes });
  await trainTimed('profileEncoder', encoder);

  // ranking: each alone, and paired
  const players = split.players;
  const gruRows = await scoreAllPlayers(gru, players);
  const encoderRows = await scoreAllPlayers(encoder, players);
  const gruRanking = perPlayerRanking(players, (i) => gruRows[i]);
  const encoderRanking = perPlayerRanking(players, (i) => encoderRows[i]);
  console.log(`\nranking on ${players.length} held-out players (mean [95% bootstrap interval])`);
  console.log(
    `  HR@10    gru ${format(interval(gruRanking.hits))}   encoder ${format(interval(encoderRanking.hits))}`,
  );
  console.log(
    `           encoder − gru ${format(interval(difference(encoderRanking.hits, gruRanking.hits)))}`,
  );
  console.log(
    `  NDCG@10  gru ${format(interval(gruRanking.ndcgs))}   encoder ${format(interval(encoderRanking.ndcgs))}`,
  );
  console.log(
    `           encoder − gru ${format(interval(difference(encoderRanking.ndcgs, gruRanking.ndcgs)))}`,
  );

  // attributes, read as the store would read them: host GRU + host heads
  const snapshot = encoder.save();
  const hostGru = new HostGruScorer(gruPartOf(snapshot));
  const heads = new HostProfileHeads(snapshot);
  const profiles = new Map(players.map((p) => [p, heads.read(hostGru.hiddenState(p.history))]));
  const genrePrior = genreShares(split.train.items, inputs.genres);
  const bandPrior = genreShares(split.train.items, inputs.bandsAsGenres);
  // the counted profile at its best smoothing for these very players: a baseline given every chance
  const priorGamesGrid = [0.5, 1, 2, 5, 10, 20];
  const countedLogLoss = priorGamesGrid.map((priorGames) => {
    const scores = scoreAttribute(players, inputs.genres, (p) =>
      countedGenreProfile(p.history, inputs.genres, genrePrior, priorGames),
    );
    return mean(scores.logLoss);
  });
  const bestPriorGames = priorGamesGrid[countedLogLoss.indexOf(Math.min(...countedLogLoss))];
  console.log(
    `\ncounted profile's genre log-loss by prior games s: ` +
      priorGamesGrid.map((s, i) => `s=${s} ${countedLogLoss[i].toFixed(4)}`).join(', ') +
      `; compared below with s=${bestPriorGames}`,
  );
  const countedOf = (p: HeldOutPlayer) =>
    countedGenreProfile(p.history, inputs.genres, genrePrior, bestPriorGames);
  const genrePredictors = {
    encoder: (p: HeldOutPlayer) => profiles.get(p)!.genreMix,
    counted: countedOf,
    prior: () => genrePrior,
  };
  const genreScores = Object.fromEntries(
    Object.entries(genrePredictors).map(([name, predict]) => [
      name,
      scoreAttribute(players, inputs.genres, predict),
    ]),
  ) as Record<keyof typeof genrePredictors, AttributeScores>;
  const { encoder: e, counted: c, prior } = genreScores;
  console.log(`\ngenre mix of the next game (${e.logLoss.length} players; AUC over ${e.auc.length})`);
  console.log(
    `  log-loss (lower is better)  encoder ${format(interval(e.logLoss))}  counted ${format(interval(c.logLoss))}  prior ${format(interval(prior.logLoss))}`,
  );
  console.log(`           encoder − counted ${format(interval(difference(e.logLoss, c.logLoss)))}`);
  console.log(
    `  AUC (higher is better)      encoder ${format(interval(e.auc))}  counted ${format(interval(c.auc))}  prior ${format(interval(prior.auc))}`,
  );
  console.log(`           encoder − counted ${format(interval(difference(e.auc, c.auc)))}`);

  const bandEncoder = bandCrossEntropy(players, inputs.bandsAsGenres, (p) => profiles.get(p)!.priceBand);
  const bandCounted = bandCrossEntropy(players, inputs.bandsAsGenres, (p) =>
    countedGenreProfile(p.history, inputs.bandsAsGenres, bandPrior),
  );
  console.log(
    `\nprice band of the next game, cross-entropy (${bandEncoder.length} players; ln 6 = ${Math.log(6).toFixed(4)})`,
  );
  console.log(`  encoder ${format(interval(bandEncoder))}  counted ${format(interval(bandCounted))}`);
  console.log(`  encoder − counted ${format(interval(difference(bandEncoder, bandCounted)))}`);

  // a small blend on the measuring half, its weight fitted on the other half (ml/blend/genreBlend.ts)
  const weightGrid = [0, 0.05, 0.1, 0.2, 0.5, 1];
  const fitHalf = players.map((_, i) => i).filter((i) => i % 2 === 0);
  const measureHalf = players.map((_, i) => i).filter((i) => i % 2 === 1);
  const blendNdcg = (
    indices: number[],
    base: Float32Array[],
    profileOf: (p: HeldOutPlayer) => ArrayLike<number>,
    weight: number,
  ) =>
    perPlayerRanking(
      indices.map((i) => players[i]),
      (j) =>
        blended(base[indices[j]], genreMatchScores(profileOf(players[indices[j]]), inputs.genres), weight),
    );
  const fittedBlend = (base: Float32Array[], profileOf: (p: HeldOutPlayer) => ArrayLike<number>) => {
    const weight = bestWeight(weightGrid, (w) => mean(blendNdcg(fitHalf, base, profileOf, w).ndcgs));
    return { weight, ...blendNdcg(measureHalf, base, profileOf, weight) };
  };
  const without = fittedBlend(gruRows, countedOf);
  const withProfile = fittedBlend(encoderRows, genrePredictors.encoder);
  const gruWithPredicted = fittedBlend(gruRows, genrePredictors.encoder);
  console.log(
    `\nblend on ${measureHalf.length} players (weight fitted on the other ${fitHalf.length}): GRU/encoder + w · genre match`,
  );
  const blendLine = (label: string, blend: typeof without) =>
    console.log(
      `  ${label} w=${blend.weight}  HR@10 ${format(interval(blend.hits))}  NDCG@10 ${format(interval(blend.ndcgs))}`,
    );
  blendLine('without: GRU + counted genres   ', without);
  blendLine('with: encoder + predicted genres', withProfile);
  blendLine('GRU + predicted genres          ', gruWithPredicted);
  console.log(
    `  with − without: HR@10 ${format(interval(difference(withProfile.hits, without.hits)))}  ` +
      `NDCG@10 ${format(interval(difference(withProfile.ndcgs, without.ndcgs)))}`,
  );

  // one shopper, in words: the strongest predicted genres the history never showed
  const example = players.find((p) => p.history.length >= 3 && p.history.length <= 6)!;
  const seen = countedGenreProfile(
    example.history,
    inputs.genres,
    new Float64Array(inputs.genres.genreCount),
    0,
  );
  const unseen = Array.from(profiles.get(example)!.genreMix, (p, g) => ({ g, p }))
    .filter(({ g }) => !(seen[g] > 0))
    .sort((a, b) => b.p - a.p)
    .slice(0, 3)
    .map(({ g, p }) => `${inputs.genreNames[g]} ${p.toFixed(2)}`);
  console.log(
    `\nexample: a player with ${example.history.length} games; likely next, among genres never seen: ${unseen.join(', ')}`,
  );
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
  gru.dispose();
  encoder.dispose();
}

await main();

// The store blend's fitting data: one ranking case per fitting player, from the sources the models
// give before their held-out game, and for a seeded share of them (the penalty's validation) the
// pool serving would rank. Built for the store's columns and, once the profile encoder exists, for
// the columns with the profile's too, from the same sources in the same pass; each player's score
// lists are dropped once these are built.
import { splitFitAndEvalUsers } from '../../ml/blend/userSplit';
import { createRng } from '../../ml/random';
import { yieldToEventLoop } from '../../ml/train/loop';
import { blendPoolRanking, blendRankingCase, type BlendColumn, type BlendFitData } from '../../recs/hybrid';
import type { LearnedModels } from '../../recs/scoreSources';
import type { StoreRanker } from '../../recs/storeRanker';
import type { ShopperSignals } from '../../recs/types';
import type { HeldOutPlayer } from './heldOut';

/** Share of the blend's fitting players that validate its penalty (fitTunedStoreBlend); the rest fit it meanwhile. */
export const penaltyValidationShare = 0.5;

export interface BlendFitInput {
  ranker: StoreRanker;
  /** the models whose scores the blend reads (its weights are not used here) */
  learned: LearnedModels;
  players: readonly HeldOutPlayer[];
  signalsOf: (player: HeldOutPlayer) => ShopperSignals;
  itemCount: number;
  seed: number;
  signal: AbortSignal;
}

/**
 * One BlendFitData per column set, in the order given. Every set draws its negatives from its own
 * generator with the same seed, so the store's columns are fitted on exactly the cases they were
 * before another set was added. Yields now and then so rankings are not held up.
 */
export async function blendFitData(
  input: BlendFitInput,
  columnSets: readonly (readonly BlendColumn[])[],
): Promise<BlendFitData[]> {
  const { players, seed } = input;
  const rngs = columnSets.map(() => createRng(seed));
  // with fewer than two players there is nothing to validate on: the grid's strongest penalty fits
  const validating = new Set(
    players.length < 2
      ? []
      : splitFitAndEvalUsers(
          players.map((player) => player.user),
          seed + 1,
          penaltyValidationShare,
        ).evaluation,
  );
  const data: BlendFitData[] = columnSets.map(() => ({ cases: [], fitsChoice: [], validation: [] }));
  for (const [i, player] of players.entries()) {
    if (i % 16 === 0) {
      await yieldToEventLoop();
      input.signal.throwIfAborted();
    }
    const heldOut = {
      sources: input.ranker.scoreSources(input.signalsOf(player), input.learned),
      target: player.target,
      history: player.history,
    };
    columnSets.forEach((columns, set) => {
      const fit = data[set];
      fit.cases.push(blendRankingCase(heldOut, input.itemCount, rngs[set], undefined, columns));
      fit.fitsChoice.push(!validating.has(player.user));
      if (validating.has(player.user)) fit.validation.push(blendPoolRanking(heldOut, columns));
    });
  }
  return data;
}

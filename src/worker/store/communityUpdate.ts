// The store worker's answer to "what would I contribute to a community model?": the shopper's
// update to the community item vectors, computed here because the vectors live here. The
// vectors are the community MF's in use (learned on this device, or imported in its place); before
// that (or with learning off) a seeded starting table, what a federated model's first round would
// send out. The noise seed comes from crypto.getRandomValues: a replayable seed would let anyone
// subtract the noise.
import {
  contributionFile,
  contributionPlan,
  shopperContribution,
  type ContributionFile,
} from '../../ml/federated/shopperContribution';
import { initialItemFactors } from '../../ml/federated/localMf';
import type { Game } from '../../data/types';
import type { LearnedModels } from '../../recs/scoreSources';
import type { CommunityUpdateView } from './protocol';
import { MfItemSpace } from './mfItemSpace';
import { ImportedItemSpace } from './importedCommunityModel';

/** The starting table's shape when no MF has been learned: small vectors, as the lab's MF starts. */
const startingDimension = 16;
const startingScale = 0.1;
const startingSeed = 7;

interface ItemVectors {
  vectors: Float32Array;
  dimension: number;
  basis: string;
}

export function communityItemVectors(learned: LearnedModels | null, itemCount: number): ItemVectors {
  if (learned?.mf instanceof ImportedItemSpace) {
    return {
      vectors: learned.mf.vectors,
      dimension: learned.mf.dim,
      basis: 'the community model imported on this device (in place of the store’s own MF)',
    };
  }
  if (learned?.mf instanceof MfItemSpace) {
    return {
      vectors: learned.mf.vectors,
      dimension: learned.mf.dim,
      basis: 'the community MF learned on this device',
    };
  }
  return {
    vectors: initialItemFactors(itemCount, startingDimension, startingScale, startingSeed),
    dimension: startingDimension,
    basis: 'a seeded starting table (the community MF has not been learned on this device yet)',
  };
}

function freshSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

/** The update for these history items (catalogue indices), in the file's shape plus counts. */
export function computeCommunityUpdate(
  history: readonly number[],
  games: readonly Game[],
  learned: LearnedModels | null,
  now: Date,
): CommunityUpdateView {
  const { vectors, dimension, basis } = communityItemVectors(learned, games.length);
  const usable = history.filter((item) => Number.isInteger(item) && item >= 0 && item < games.length);
  const contribution = shopperContribution(vectors, dimension, usable, contributionPlan, freshSeed());
  const file: ContributionFile = contributionFile(contribution, (item) => games[item].id, basis, now);
  return {
    file,
    touchedRows: contribution.touchedRows,
    pseudoRows: contribution.pseudoRows,
    itemsUsed: new Set(usable).size,
  };
}

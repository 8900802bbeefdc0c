// A community model trained elsewhere, in the store: the file's item vectors laid out on the
// catalog by Steam app id, scored for a shopper by folding their history in on this device (the
// ridge least squares ALS uses for a new user, ml/models/imported.ts), and measured on the same
// held-out players, by the same rule, as the store's own MF, so the card can put the two side by
// side with paired intervals. Only item vectors ever come from the file: the shopper's vector is
// made here and never leaves.
import {
  alignItemFactors,
  ModelImportError,
  type AlignedItemFactors,
  type ImportedItemFactors,
} from '../../ml/io/models/itemFactors';
import { pairedDifferenceInterval } from '../../ml/eval/statistics';
import { ImportedRecommender } from '../../ml/models/imported';
import type { ShopperState } from '../../ml/recommender';
import type { ImportedModelRecord } from '../../data/records';
import type { LearnedModels } from '../../recs/scoreSources';
import { rankerQuality } from './forYouMeasure';
import { perPlayerRanking, type HeldOutPlayer } from './heldOut';
import { ItemCosines } from './itemCosines';
import type { ImportedModelComparison, ImportedModelView } from './protocol';

/**
 * The file's vectors on the catalog (`catalogIds`: each game's Steam app id, in catalog order).
 * Refused when they cannot stand in for MF: another architecture (a SASRec's item embedding
 * scores sequences, not a folded-in shopper), or not one game of the catalog matched.
 */
export function alignToCatalog(
  factors: ImportedItemFactors,
  catalogIds: readonly string[],
  where = 'the picked files',
): AlignedItemFactors {
  if (factors.architecture !== 'mf') {
    throw new ModelImportError(
      where,
      `hold a ${factors.architecture} model; the store's community model is matrix factorisation (architecture "mf")`,
    );
  }
  const aligned = alignItemFactors(factors, catalogIds);
  if (aligned.matched === 0) {
    throw new ModelImportError(
      where,
      `have ${factors.ids.length} item ids and none is a game of this store; ids must be Steam app ids (e.g. 730)`,
    );
  }
  return aligned;
}

type MfPlace = LearnedModels['mf'];

/** MF's place in the ranking path, filled by the imported vectors (see LearnedModels.mf). */
export class ImportedItemSpace extends ItemCosines implements MfPlace {
  private readonly model = new ImportedRecommender();

  constructor(aligned: Pick<AlignedItemFactors, 'vectors' | 'rank'>) {
    super(aligned.vectors, aligned.rank);
    this.model.load({
      name: 'imported',
      config: { rank: aligned.rank },
      arrays: { itemVectors: aligned.vectors },
    });
  }

  /** The shopper folded in from their history, every game scored (a game without a vector scores 0). */
  scoreAll(state: ShopperState): Float32Array {
    return this.model.scoreAll(state);
  }
}

type Scorer = (player: HeldOutPlayer) => Float32Array;

/**
 * HR@10 and NDCG@10 of the imported model and of the store's own MF on the same held-out players,
 * by hitRateAndNdcg's rule (the MF card's numbers are these means), with 95% bootstrap intervals
 * and the paired interval of NDCG@10(imported − store's MF): the rule and resampling of the
 * "For you" table.
 */
export function compareWithStoreMf(
  players: readonly HeldOutPlayer[],
  imported: Scorer,
  storeMf: Scorer,
  seed: number,
): ImportedModelComparison {
  const bootstrap = { resamples: 2000, confidence: 0.95, seed };
  const measure = (score: Scorer) => {
    const { hits, ndcgs } = perPlayerRanking(players, (index) => score(players[index]));
    return { hr: hits, ndcg: ndcgs };
  };
  const ours = measure(imported);
  const theirs = measure(storeMf);
  return {
    imported: rankerQuality(ours, bootstrap),
    storeMf: rankerQuality(theirs, bootstrap),
    difference: pairedDifferenceInterval(ours.ndcg, theirs.ndcg, bootstrap),
    players: players.length,
  };
}

/** Which is better on NDCG@10, said only when the paired interval excludes zero. */
export function comparisonVerdict({ difference }: ImportedModelComparison): 'imported' | 'storeMf' | 'tie' {
  if (difference.lower > 0) return 'imported';
  if (difference.upper < 0) return 'storeMf';
  return 'tie';
}

/** What the About page shows of a stored model: its provenance, alignment and (once measured) figures. */
export function importedModelView(
  record: ImportedModelRecord,
  aligned: AlignedItemFactors,
  heldOut: ImportedModelComparison | null,
): ImportedModelView {
  const { factors } = record;
  return {
    source: record.source,
    format: factors.format,
    files: record.files,
    importedAt: record.importedAt,
    trainedAt: record.trainedAt,
    rank: factors.rank,
    fileItems: factors.ids.length,
    matched: aligned.matched,
    missing: aligned.missing,
    unknown: aligned.unknown,
    heldOut,
  };
}

/** An imported model read from storage and laid out on this catalog, ready to stand in for MF. */
export interface PreparedImport {
  record: ImportedModelRecord;
  aligned: AlignedItemFactors;
}

/** What identifies an imported model in the blend's fingerprint: its files' hashes. */
export const importIdentity = (record: ImportedModelRecord): string =>
  `imported ${record.files.map((file) => file.sha256).join('+')}`;

/**
 * The imported model in MF's place: measured beside the store's own MF on the metric players
 * (`tell` posts the card), then returned for the blend to fit and the safety rule to judge.
 */
export function importedInPlaceOfMf(
  prepared: PreparedImport,
  ownMf: { scoreAll(state: ShopperState): Float32Array },
  players: readonly HeldOutPlayer[],
  seed: number,
  tell: (view: ImportedModelView) => void,
): ImportedItemSpace {
  const space = new ImportedItemSpace(prepared.aligned);
  const stateOf = (p: HeldOutPlayer): ShopperState => ({ history: p.history, weights: p.weights });
  const heldOut = compareWithStoreMf(
    players,
    (p) => space.scoreAll(stateOf(p)),
    (p) => ownMf.scoreAll(stateOf(p)),
    seed,
  );
  tell(importedModelView(prepared.record, prepared.aligned, heldOut));
  return space;
}

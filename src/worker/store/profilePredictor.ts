// The profile encoder read for one shopper in plain JS (host GRU + host heads: a few hundred
// microseconds, no tfjs), so the profile keeper can give predicted interests with every status.
import type { ModelSnapshot } from '../../ml/recommender';
import { gruPartOf, HostProfileHeads, type ProfileEncoding } from '../../ml/models/profileHeads';
import { predictedInterests, type PredictedInterest } from '../../recs/profile/predicted';
import { HostGruScorer } from './hostGru';

/** What the keeper knows of the shopper beyond their history. */
export interface InterestQuery {
  /** the items of the shopper's usable events, oldest first */
  history: readonly number[];
  seenGenres: ReadonlySet<string>;
  mutedGenres: ReadonlySet<string>;
}

export interface InterestPredictor {
  predict(query: InterestQuery): PredictedInterest[];
}

export class EncoderInterestPredictor implements InterestPredictor {
  private readonly gru: HostGruScorer;
  private readonly heads: HostProfileHeads;
  /** the heads over an empty history: what the model expects of anyone */
  private readonly anyone: ProfileEncoding;

  constructor(
    snapshot: ModelSnapshot,
    private readonly labels: { genreNames: readonly string[]; priceBandNames: readonly string[] },
  ) {
    this.gru = new HostGruScorer(gruPartOf(snapshot));
    this.heads = new HostProfileHeads(snapshot);
    const { genreCount, priceBandCount } = this.heads.sizes;
    if (genreCount !== labels.genreNames.length || priceBandCount !== labels.priceBandNames.length)
      throw new Error(
        `the profile model predicts ${genreCount} genres and ${priceBandCount} price bands; ` +
          `the catalogue has ${labels.genreNames.length} and ${labels.priceBandNames.length}`,
      );
    this.anyone = this.heads.read(this.gru.hiddenState([]));
  }

  /** Nothing for an empty history: the model would only repeat what it expects of anyone. */
  predict(query: InterestQuery): PredictedInterest[] {
    if (query.history.length === 0) return [];
    const shopper = this.heads.read(this.gru.hiddenState(query.history));
    return predictedInterests(shopper, this.anyone, { ...this.labels, ...query });
  }
}

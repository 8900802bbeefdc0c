// The learned profile encoder read as one more source for "For you"'s blend (recs/scoreSources.ts):
// the shopper's profile embedding (the encoder's hidden state after their history) scores every
// game, and its predicted genre mix is matched to every game's genres. Host GRU + host heads, no
// tfjs, so it runs on every event like the other sources.
import { genreMatchScores } from '../../ml/blend/genreBlend';
import type { ItemGenres } from '../../ml/eval/genreMix';
import { gruPartOf, HostProfileHeads } from '../../ml/models/profileHeads';
import type { ModelSnapshot } from '../../ml/recommender';
import type { ProfileSource } from '../../recs/scoreSources';
import { HostGruScorer } from './hostGru';

export class EncoderProfileSource implements ProfileSource {
  private readonly gru: HostGruScorer;
  private readonly heads: HostProfileHeads;

  /** `genres`: each game's genre ids, as the encoder's genre head was trained on (profileTargets) */
  constructor(
    encoder: ModelSnapshot,
    private readonly genres: ItemGenres,
  ) {
    this.gru = new HostGruScorer(gruPartOf(encoder));
    this.heads = new HostProfileHeads(encoder);
  }

  /** An empty history reads as anyone's profile: zero scores, and the genres the model expects of anyone. */
  read(history: readonly number[]): { nextGame: Float32Array; genreMatch: Float32Array } {
    const hidden = this.gru.hiddenState(history);
    const known = history.some((item) => Number.isInteger(item) && item >= 0 && item < this.gru.itemCount);
    return {
      nextGame: known ? this.gru.scoresOf(hidden) : new Float32Array(this.gru.itemCount),
      genreMatch: genreMatchScores(this.heads.read(hidden).genreMix, this.genres),
    };
  }
}

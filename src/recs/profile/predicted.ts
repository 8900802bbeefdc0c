// The shopper's predicted interests: what the learned profile model (ml/models/profileEncoder.ts)
// expects of this shopper more than of anyone, as the profile page shows them, always as
// predictions. A genre is predicted when the model gives it at least minGenreProbability for
// this shopper and more than it gives anyone (its reading of an empty history); the strongest
// lifts come first. A muted genre is never predicted. The likeliest price band comes last.
import { argmax } from '../../ml/eval/genreMix';

/** A predicted interest from the learned profile model, shown as a prediction, never as a fact. */
export interface PredictedInterest {
  dimension: 'genre' | 'tag' | 'priceBand';
  value: string;
  /** 0..1: the model's probability for this shopper */
  probability: number;
  /** 0..1: the model's probability for anyone (an empty history) */
  typical: number;
  /** whether any game the shopper's events name carries it (genres only) */
  seen: boolean;
}

/** The encoder's heads over one history. */
export interface EncoderReading {
  /** [genres] independent probabilities that the next game carries each genre */
  genreMix: ArrayLike<number>;
  /** [bands] the distribution of the next game's price band */
  priceBand: ArrayLike<number>;
}

export interface InterestContext {
  genreNames: readonly string[];
  priceBandNames: readonly string[];
  /** genres of the games in the shopper's usable events */
  seenGenres: ReadonlySet<string>;
  mutedGenres: ReadonlySet<string>;
}

/** At most this many genres: the page names a few, not a ranking of every genre. */
export const predictedGenreLimit = 3;
/** Below this a genre is not "likely", however much above the typical shopper it is. */
export const minGenreProbability = 0.1;

export function predictedInterests(
  shopper: EncoderReading,
  anyone: EncoderReading,
  context: InterestContext,
): PredictedInterest[] {
  const genres: PredictedInterest[] = [];
  context.genreNames.forEach((name, g) => {
    const probability = shopper.genreMix[g];
    const typical = anyone.genreMix[g];
    if (context.mutedGenres.has(name)) return;
    if (!(probability >= minGenreProbability && probability > typical)) return;
    genres.push({
      dimension: 'genre',
      value: name,
      probability,
      typical,
      seen: context.seenGenres.has(name),
    });
  });
  const lift = (interest: PredictedInterest) => interest.probability / Math.max(interest.typical, 1e-9);
  genres.sort((a, b) => lift(b) - lift(a) || b.probability - a.probability || a.value.localeCompare(b.value));
  const interests = genres.slice(0, predictedGenreLimit);
  if (shopper.priceBand.length > 0) {
    const band = argmax(shopper.priceBand);
    interests.push({
      dimension: 'priceBand',
      value: context.priceBandNames[band],
      probability: shopper.priceBand[band],
      typical: anyone.priceBand[band],
      seen: true,
    });
  }
  return interests;
}

/** The page's words for one prediction. */
export function predictionText(interest: PredictedInterest): string {
  const percent = `${Math.round(interest.probability * 100)}%`;
  if (interest.dimension === 'priceBand')
    return `Your next game is most likely priced ${interest.value} (${percent})`;
  const typical = `${Math.round(interest.typical * 100)}% for shoppers in general`;
  return interest.seen
    ? `Likely to enjoy ${interest.value} (${percent}, against ${typical})`
    : `Likely to enjoy ${interest.value}, though you have not looked at any yet (${percent}, against ${typical})`;
}

import { describe, expect, it } from 'vitest';
import { predictedInterests, predictionText, type InterestContext } from './predicted';

const context: InterestContext = {
  genreNames: ['Action', 'Indie', 'Simulation', 'Strategy'],
  priceBandNames: ['free', 'under $5', '$5–$10', '$10–$20'],
  seenGenres: new Set(['Strategy']),
  mutedGenres: new Set(),
};
const anyone = { genreMix: [0.5, 0.5, 0.1, 0.06], priceBand: [0.25, 0.25, 0.25, 0.25] };
const shopper = { genreMix: [0.5, 0.4, 0.3, 0.12], priceBand: [0.1, 0.2, 0.6, 0.1] };

describe('predicted interests', () => {
  it('names the genres the model expects of this shopper more than of anyone, the strongest lift first', () => {
    // Action 0.5 vs 0.5 and Indie 0.4 vs 0.5: no more than anyone. Simulation 0.3 / 0.1 = lift 3,
    // Strategy 0.12 / 0.06 = lift 2. The likeliest band is $5–$10 at 0.6 (0.25 for anyone).
    expect(predictedInterests(shopper, anyone, context)).toEqual([
      { dimension: 'genre', value: 'Simulation', probability: 0.3, typical: 0.1, seen: false },
      { dimension: 'genre', value: 'Strategy', probability: 0.12, typical: 0.06, seen: true },
      { dimension: 'priceBand', value: '$5–$10', probability: 0.6, typical: 0.25, seen: true },
    ]);
  });

  it('never predicts a muted genre', () => {
    const muted = { ...context, mutedGenres: new Set(['Simulation']) };
    expect(predictedInterests(shopper, anyone, muted).map((i) => i.value)).toEqual(['Strategy', '$5–$10']);
  });

  it('leaves out a genre under 10% however large its lift, and keeps at most three', () => {
    const names = ['A', 'B', 'C', 'D', 'E'];
    const reading = { genreMix: [0.09, 0.2, 0.3, 0.4, 0.5], priceBand: [] };
    const typical = { genreMix: [0.01, 0.1, 0.1, 0.1, 0.1], priceBand: [] };
    const interests = predictedInterests(reading, typical, { ...context, genreNames: names });
    // A: 0.09 < 0.1 although 9×; then lifts E 5, D 4, C 3 (B 2 is the fourth)
    expect(interests.map((i) => i.value)).toEqual(['E', 'D', 'C']);
  });

  it('says each one as a prediction, and says when the shopper has not looked at the genre yet', () => {
    const [simulation, strategy, band] = predictedInterests(shopper, anyone, context);
    expect(predictionText(simulation)).toBe(
      'Likely to enjoy Simulation, though you have not looked at any yet (30%, against 10% for shoppers in general)',
    );
    expect(predictionText(strategy)).toBe(
      'Likely to enjoy Strategy (12%, against 6% for shoppers in general)',
    );
    expect(predictionText(band)).toBe('Your next game is most likely priced $5–$10 (60%)');
  });
});

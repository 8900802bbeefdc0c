import { describe, expect, it } from 'vitest';
import { handEncoder as snapshot } from './testSupport';
import { EncoderInterestPredictor } from './profilePredictor';

const labels = { genreNames: ['Simulation', 'Sports'], priceBandNames: ['free', 'under $5'] };
const query = { history: [0], seenGenres: new Set<string>(), mutedGenres: new Set<string>() };

describe('the encoder read for one shopper', () => {
  it('predicts from the host GRU and heads, against its reading of an empty history', () => {
    const [genre, band] = new EncoderInterestPredictor(snapshot, labels).predict(query);
    expect(genre).toMatchObject({ dimension: 'genre', value: 'Simulation', seen: false });
    expect(genre.probability).toBeCloseTo(0.365, 3);
    expect(genre.typical).toBeCloseTo(0.1192, 4);
    expect(band).toMatchObject({ dimension: 'priceBand', value: 'under $5' });
    expect(band.probability).toBeCloseTo(0.7239, 4);
  });

  it('predicts nothing for an empty history, and never a muted genre', () => {
    const predictor = new EncoderInterestPredictor(snapshot, labels);
    expect(predictor.predict({ ...query, history: [] })).toEqual([]);
    const muted = predictor.predict({ ...query, mutedGenres: new Set(['Simulation']) });
    expect(muted.map((i) => i.value)).toEqual(['under $5']);
  });

  it('refuses a model trained on another catalogue’s genres', () => {
    expect(() => new EncoderInterestPredictor(snapshot, { ...labels, genreNames: ['Simulation'] })).toThrow(
      'predicts 2 genres and 2 price bands; the catalogue has 1 and 2',
    );
  });
});

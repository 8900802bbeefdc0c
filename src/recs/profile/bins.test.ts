import { describe, expect, it } from 'vitest';
import { affinityValuesOf, freeOrPaidOf, priceBandOf, releaseEraOf } from './bins';
import { game } from './testSupport';

describe('price bands', () => {
  it('put each price in one half-open band', () => {
    expect(priceBandOf(0)).toBe('free');
    expect(priceBandOf(0.99)).toBe('under5');
    expect(priceBandOf(4.99)).toBe('under5');
    expect(priceBandOf(5)).toBe('from5to15');
    expect(priceBandOf(14.99)).toBe('from5to15');
    expect(priceBandOf(15)).toBe('from15to30');
    expect(priceBandOf(30)).toBe('from30');
    expect(priceBandOf(59.99)).toBe('from30');
    expect(priceBandOf(null)).toBeNull();
    expect(priceBandOf(-1)).toBeNull();
  });

  it('free or paid follows the price, unknown stays unknown', () => {
    expect([freeOrPaidOf(0), freeOrPaidOf(0.5), freeOrPaidOf(null)]).toEqual(['free', 'paid', null]);
  });
});

describe('release eras', () => {
  it('bin by year', () => {
    expect(releaseEraOf('1998-10-01')).toBe('before2000');
    expect(releaseEraOf('2000-01-01')).toBe('from2000to2009');
    expect(releaseEraOf('2009-12-31')).toBe('from2000to2009');
    expect(releaseEraOf('2010-01-01')).toBe('from2010to2014');
    expect(releaseEraOf('2015-06-30')).toBe('from2015');
    expect(releaseEraOf(null)).toBeNull();
    expect(releaseEraOf('soon')).toBeNull();
  });
});

describe('affinity values of a game', () => {
  it('name every dimension once, skipping what is unknown', () => {
    const values = affinityValuesOf(
      game(1, {
        genres: ['Strategy', 'Strategy'],
        tags: ['war', 'hex'],
        developer: 'Dev',
        price: 20,
        released: '2012-03-04',
      }),
    );
    expect(values).toEqual([
      { dimension: 'genre', value: 'Strategy' },
      { dimension: 'tag', value: 'war' },
      { dimension: 'tag', value: 'hex' },
      { dimension: 'developer', value: 'Dev' },
      { dimension: 'priceBand', value: 'from15to30' },
      { dimension: 'releaseEra', value: 'from2010to2014' },
      { dimension: 'freeOrPaid', value: 'paid' },
    ]);
    expect(affinityValuesOf(game(2, { price: null }))).toEqual([]);
  });
});

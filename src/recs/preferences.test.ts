import { describe, expect, it } from 'vitest';
import { emptyEdits, setAdjustment, setPriceCeiling } from './profile';
import { buildCatalogIndex } from './catalogIndex';
import {
  compilePreferences,
  noPreferences,
  popularityTiltWeight,
  preferencesFromEdits,
  profileBoostWeight,
  withPreferences,
} from './preferences';
import { sampleGames } from './testSupport';

// sampleGames: 0 Terraria (Action, Indie; Sandbox, Crafting; Re-Logic; $9.99),
// 1 Civilization V (Strategy; Turn-Based; $29.99), 2 TF2 (Action; FPS; free),
// 3 Unknown Price (Strategy; price unknown)
const index = buildCatalogIndex(sampleGames);

describe('profile preferences in the ranker', () => {
  it('turns edits into sorted mutes and boosts with the ceiling and the popularity choice', () => {
    let edits = setAdjustment(emptyEdits(), 'genre', 'Strategy', 'mute');
    edits = setAdjustment(edits, 'genre', 'Action', 'boost');
    edits = setAdjustment(edits, 'tag', 'Sandbox', 'boost');
    edits = setAdjustment(edits, 'developer', 'Re-Logic', 'mute');
    edits = setPriceCeiling(edits, 20);
    expect(preferencesFromEdits(edits, 0.8)).toEqual({
      muted: { genre: ['Strategy'], tag: [], developer: ['Re-Logic'] },
      boosted: { genre: ['Action'], tag: ['Sandbox'], developer: [] },
      priceCeiling: 20,
      popularity: 0.8,
    });
  });

  it('removes games with a muted genre, tag or developer', () => {
    const byGenre = compilePreferences(index, {
      ...noPreferences(),
      muted: { genre: ['Strategy'], tag: [], developer: [] },
    });
    expect([0, 1, 2, 3].filter(byGenre.allows)).toEqual([0, 2]);
    const byTag = compilePreferences(index, {
      ...noPreferences(),
      muted: { genre: [], tag: ['FPS'], developer: [] },
    });
    expect([0, 1, 2, 3].filter(byTag.allows)).toEqual([0, 1, 3]);
    const byDeveloper = compilePreferences(index, {
      ...noPreferences(),
      muted: { genre: [], tag: [], developer: ['Re-Logic'] },
    });
    expect([0, 1, 2, 3].filter(byDeveloper.allows)).toEqual([1, 2, 3]);
    // a tag named like a muted genre is another feature: muting genre "FPS" removes nothing
    const genreNamedLikeTag = compilePreferences(index, {
      ...noPreferences(),
      muted: { genre: ['FPS'], tag: [], developer: [] },
    });
    expect([0, 1, 2, 3].filter(genreNamedLikeTag.allows)).toEqual([0, 1, 2, 3]);
  });

  it('keeps games at or under the price ceiling, not those of unknown price', () => {
    const ceiling = compilePreferences(index, { ...noPreferences(), priceCeiling: 9.99 });
    // $9.99 and free pass; $29.99 and unknown do not
    expect([0, 1, 2, 3].filter(ceiling.allows)).toEqual([0, 2]);
    expect(ceiling.restricts).toBe(true);
    expect(compilePreferences(index, noPreferences()).restricts).toBe(false);
  });

  it('adds the boost weight per boosted value a game carries, and tilts by popularity', () => {
    const boosted = compilePreferences(index, {
      ...noPreferences(),
      boosted: { genre: ['Action'], tag: ['Sandbox'], developer: [] },
    });
    // Terraria carries Action and Sandbox: 2 × 0.5; TF2 only Action: 0.5; Civilization none
    expect(boosted.adjustment(0, 0)).toBeCloseTo(2 * profileBoostWeight);
    expect(boosted.adjustment(2, 0)).toBeCloseTo(profileBoostWeight);
    expect(boosted.adjustment(1, 0)).toBe(0);
    // popular (1): + 0.5 × log-popularity; niche (0): − 0.5 ×; neutral (0.5): nothing
    const popular = compilePreferences(index, { ...noPreferences(), popularity: 1 });
    expect(popular.adjustment(1, 0.6)).toBeCloseTo(popularityTiltWeight * 0.6);
    const niche = compilePreferences(index, { ...noPreferences(), popularity: 0 });
    expect(niche.adjustment(1, 0.6)).toBeCloseTo(-popularityTiltWeight * 0.6);
    const neutral = compilePreferences(index, noPreferences());
    expect(neutral.adjusts).toBe(false);
    expect(neutral.adjustment(1, 0.6)).toBe(0);
  });

  it('scales scores to a best of 1 before adding the adjustments, shifting negatives up', () => {
    const boosted = compilePreferences(index, {
      ...noPreferences(),
      boosted: { genre: ['Strategy'], tag: [], developer: [] },
      popularity: 0,
    });
    const logPopularity = Float32Array.from([1, 0, 0.5, 0]);
    // scores 4, 2, 1, 0 → 1, 0.5, 0.25, 0; Strategy (1, 3) + 0.5; niche −0.5 · log-popularity:
    // 1 − 0.5 = 0.5, 0.5 + 0.5 = 1, 0.25 − 0.25 = 0, 0 + 0.5 = 0.5: nothing negative, no shift
    expect([...withPreferences(Float32Array.from([4, 2, 1, 0]), boosted, logPopularity)]).toEqual([
      0.5, 1, 0, 0.5,
    ]);
    // all scores 0: −0.5, 0.5, −0.25, 0.5 after the adjustments, shifted up by 0.5
    expect([...withPreferences(new Float32Array(4), boosted, logPopularity)]).toEqual([0, 1, 0.25, 1]);
  });
});

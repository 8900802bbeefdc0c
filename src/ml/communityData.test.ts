import { describe, expect, it } from 'vitest';
import {
  decodeCommunity,
  defaultCommunityWeighting,
  encodeCommunity,
  interactionKind,
  recentCounts,
  toInteractionMatrix,
  type CommunityData,
} from './communityData';
import { userRow } from './interactions';

const { owned, recommended, notRecommended } = interactionKind;

/** Three users (the last has no rows) over four items; user 1 owns item 2, then reviews it. */
function sample(): CommunityData {
  return {
    userCount: 3,
    itemCount: 4,
    userOffsets: Uint32Array.from([0, 2, 5, 5]),
    items: Int32Array.from([0, 3, 2, 1, 2]),
    kinds: Uint8Array.from([owned, recommended, owned, notRecommended, recommended]),
    playtimeMinutes: Uint32Array.from([120, 0, 632452, 0, 0]),
    days: Uint16Array.from([0, 16000, 0, 0, 16436]),
  };
}

describe('encodeCommunity / decodeCommunity', () => {
  it('round-trips every column', () => {
    const original = sample();
    const decoded = decodeCommunity(encodeCommunity(original));
    expect(decoded).toEqual(original);
  });

  it('stores playtime only for owned rows and dates only for reviews', () => {
    // header 24 + offsets 4*4 + rows 5*3 + 3 review dates * 2 + 2 playtimes * 4
    expect(encodeCommunity(sample()).byteLength).toBe(24 + 16 + 15 + 6 + 8);
  });

  it('rejects a truncated buffer', () => {
    const bytes = encodeCommunity(sample());
    expect(() => decodeCommunity(bytes.slice(0, bytes.byteLength - 1))).toThrow(/truncated/);
    expect(() => decodeCommunity(bytes.slice(0, 10))).toThrow(/truncated/);
  });

  it('rejects trailing bytes', () => {
    const bytes = new Uint8Array(encodeCommunity(sample()).byteLength + 2);
    bytes.set(new Uint8Array(encodeCommunity(sample())));
    expect(() => decodeCommunity(bytes.buffer)).toThrow(/trailing/);
  });

  it('rejects wrong magic bytes', () => {
    const bytes = new Uint8Array(encodeCommunity(sample()));
    bytes[0] = 0x50;
    expect(() => decodeCommunity(bytes.buffer)).toThrow(/magic/);
  });

  it('rejects an unknown version', () => {
    const bytes = encodeCommunity(sample());
    new DataView(bytes).setUint32(4, 99, true);
    expect(() => decodeCommunity(bytes)).toThrow(/version 99/);
  });

  it('rejects an item index outside the catalog', () => {
    const bytes = encodeCommunity(sample());
    // first item lies after the 24-byte header and 4 offsets
    new DataView(bytes).setUint16(24 + 16, 7, true);
    expect(() => decodeCommunity(bytes)).toThrow(/item 7/);
  });

  it('refuses to encode inconsistent offsets', () => {
    const broken = { ...sample(), userOffsets: Uint32Array.from([0, 3, 2, 5]) };
    expect(() => encodeCommunity(broken)).toThrow(/decrease/);
  });
});

describe('toInteractionMatrix', () => {
  it('merges an owned-and-reviewed game into one entry at its last row', () => {
    const matrix = toInteractionMatrix(sample());
    expect(matrix.userCount).toBe(3);
    expect(matrix.itemCount).toBe(4);
    expect(Array.from(userRow(matrix, 0))).toEqual([0, 3]);
    // item 1 was only not-recommended, so it is excluded by default
    expect(Array.from(userRow(matrix, 1))).toEqual([2]);
    expect(Array.from(userRow(matrix, 2))).toEqual([]);
    const ownedWeight = defaultCommunityWeighting.owned(632452);
    expect(matrix.weights?.[2]).toBeCloseTo(ownedWeight + defaultCommunityWeighting.recommended);
  });

  it('weighs played games above unplayed ones and reviews by the weighting given', () => {
    const matrix = toInteractionMatrix(sample());
    expect(matrix.weights?.[0]).toBeCloseTo(1 + Math.log1p(2));
    expect(defaultCommunityWeighting.owned(0)).toBeLessThan(defaultCommunityWeighting.owned(1));

    const keepNegatives = toInteractionMatrix(sample(), {
      owned: () => 1,
      recommended: 1,
      notRecommended: 0.25,
    });
    expect(Array.from(userRow(keepNegatives, 1))).toEqual([1, 2]);
    expect(Array.from(keepNegatives.weights ?? [])).toEqual([1, 1, 0.25, 2]);
  });
});

describe('recentCounts', () => {
  it('counts only dated rows within the window ending at the newest day', () => {
    // newest day 16436; day 16000 is 436 days earlier
    expect(Array.from(recentCounts(sample(), 30))).toEqual([0, 0, 3, 0]);
    expect(Array.from(recentCounts(sample(), 437))).toEqual([0, 0, 3, 3]);
  });

  it('is all zeros when nothing is dated', () => {
    const undated = { ...sample(), days: new Uint16Array(5) };
    expect(Array.from(recentCounts(undated))).toEqual([0, 0, 0, 0]);
  });
});

// The anonymised community interactions shipped as public/data/community.bin: what real
// Steam users owned (with playtime) and reviewed, with every account name replaced by a
// dense user index. This module is the single definition of that binary format: the
// build script encodes with it and the worker decodes with it, so they cannot drift.
// It uses no Node or DOM APIs, only typed arrays and DataView.
import type { InteractionMatrix } from './interactions';

/** What a community row records. Values are stored as one byte each. */
export const interactionKind = {
  /** The user owns the game; playtimeMinutes says how much they played it. */
  owned: 0,
  /** The user posted a review recommending the game. */
  recommended: 1,
  /** The user posted a review not recommending the game. */
  notRecommended: 2,
} as const;

/**
 * Community interactions in CSR form by user. Row r belongs to user u when
 * userOffsets[u] <= r < userOffsets[u + 1]. Within a user the rows are ordered so the
 * tail is the most recent thing we know: first the undated owned rows, then the undated
 * reviews, then the dated reviews by ascending day (see scripts/data/joinInteractions.ts).
 */
export interface CommunityData {
  userCount: number;
  itemCount: number;
  /** length userCount + 1, non-decreasing, userOffsets[userCount] === row count. */
  userOffsets: Uint32Array;
  /** item index (0..itemCount-1) of each row: the `id` of a game in catalog.json. */
  items: Int32Array;
  /** an interactionKind value per row. */
  kinds: Uint8Array;
  /** minutes played for owned rows; 0 for reviews. */
  playtimeMinutes: Uint32Array;
  /** days since 1970-01-01 (UTC) the review was posted; 0 when unknown and for owned rows. */
  days: Uint16Array;
}

/** ASCII "AICD": Aisle Community Data. */
const magic = [0x41, 0x49, 0x43, 0x44] as const;
export const communityFormatVersion = 1;
const headerBytes = 24;
/** Item indexes are stored as uint16; the encoder refuses catalogs that would not fit. */
const maxItemCount = 0xffff;

/*
 * Layout (all integers little-endian), chosen so that columns cost only what they carry:
 *   header  magic[4] | version u32 | userCount u32 | itemCount u32 | rowCount u32 | ownedCount u32
 *   userOffsets  u32 x (userCount + 1)
 *   items        u16 x rowCount
 *   kinds        u8  x rowCount
 *   days         u16 x (rowCount - ownedCount)   one per review row, in row order
 *   playtime     u32 x ownedCount                one per owned row, in row order
 * Owned rows never have a date and reviews never have playtime, so storing each column
 * only for the rows that use it saves about a third of the file.
 */
function expectedByteLength(userCount: number, rowCount: number, ownedCount: number): number {
  const reviewCount = rowCount - ownedCount;
  return headerBytes + 4 * (userCount + 1) + 3 * rowCount + 2 * reviewCount + 4 * ownedCount;
}

/** Serialise community data into the layout above. Throws if the data is inconsistent. */
export function encodeCommunity(data: CommunityData): ArrayBuffer {
  validate(data);
  const rowCount = data.items.length;
  let ownedCount = 0;
  for (const kind of data.kinds) if (kind === interactionKind.owned) ownedCount++;

  const buffer = new ArrayBuffer(expectedByteLength(data.userCount, rowCount, ownedCount));
  const view = new DataView(buffer);
  magic.forEach((byte, i) => view.setUint8(i, byte));
  view.setUint32(4, communityFormatVersion, true);
  view.setUint32(8, data.userCount, true);
  view.setUint32(12, data.itemCount, true);
  view.setUint32(16, rowCount, true);
  view.setUint32(20, ownedCount, true);

  let at = headerBytes;
  for (const offset of data.userOffsets) {
    view.setUint32(at, offset, true);
    at += 4;
  }
  for (const item of data.items) {
    view.setUint16(at, item, true);
    at += 2;
  }
  for (const kind of data.kinds) view.setUint8(at++, kind);
  for (let row = 0; row < rowCount; row++) {
    if (data.kinds[row] === interactionKind.owned) continue;
    view.setUint16(at, data.days[row], true);
    at += 2;
  }
  for (let row = 0; row < rowCount; row++) {
    if (data.kinds[row] !== interactionKind.owned) continue;
    view.setUint32(at, data.playtimeMinutes[row], true);
    at += 4;
  }
  return buffer;
}

/**
 * Parse community.bin. Throws an Error naming the problem when the magic, version or
 * length is wrong, or when the contents are inconsistent (offsets, item range, kinds).
 */
export function decodeCommunity(buffer: ArrayBuffer): CommunityData {
  if (buffer.byteLength < headerBytes) {
    throw new Error(
      `community data truncated: ${buffer.byteLength} bytes, the header alone is ${headerBytes}`,
    );
  }
  const view = new DataView(buffer);
  magic.forEach((byte, i) => {
    if (view.getUint8(i) !== byte) throw new Error('community data has the wrong magic bytes');
  });
  const version = view.getUint32(4, true);
  if (version !== communityFormatVersion) {
    throw new Error(
      `community data version ${version} is not supported (expected ${communityFormatVersion})`,
    );
  }
  const userCount = view.getUint32(8, true);
  const itemCount = view.getUint32(12, true);
  const rowCount = view.getUint32(16, true);
  const ownedCount = view.getUint32(20, true);
  if (ownedCount > rowCount) throw new Error('community data header is inconsistent');
  const expected = expectedByteLength(userCount, rowCount, ownedCount);
  if (buffer.byteLength !== expected) {
    const problem = buffer.byteLength < expected ? 'truncated' : 'has trailing bytes';
    throw new Error(`community data ${problem}: ${buffer.byteLength} bytes, header implies ${expected}`);
  }

  let at = headerBytes;
  const userOffsets = new Uint32Array(userCount + 1);
  for (let u = 0; u <= userCount; u++, at += 4) userOffsets[u] = view.getUint32(at, true);
  const items = new Int32Array(rowCount);
  for (let row = 0; row < rowCount; row++, at += 2) items[row] = view.getUint16(at, true);
  const kinds = new Uint8Array(buffer, at, rowCount).slice();
  at += rowCount;
  const days = new Uint16Array(rowCount);
  const playtimeMinutes = new Uint32Array(rowCount);
  let decodedOwned = 0;
  for (let row = 0; row < rowCount; row++) {
    if (kinds[row] === interactionKind.owned) {
      decodedOwned++;
      continue;
    }
    days[row] = view.getUint16(at, true);
    at += 2;
  }
  if (decodedOwned !== ownedCount) {
    throw new Error(`community data is corrupt: header says ${ownedCount} owned rows, found ${decodedOwned}`);
  }
  for (let row = 0; row < rowCount; row++) {
    if (kinds[row] !== interactionKind.owned) continue;
    playtimeMinutes[row] = view.getUint32(at, true);
    at += 4;
  }

  const data = { userCount, itemCount, userOffsets, items, kinds, playtimeMinutes, days };
  validate(data);
  return data;
}

function validate(data: CommunityData): void {
  const rowCount = data.items.length;
  if (data.itemCount > maxItemCount) {
    throw new Error(`community data supports at most ${maxItemCount} items, got ${data.itemCount}`);
  }
  if (
    data.kinds.length !== rowCount ||
    data.playtimeMinutes.length !== rowCount ||
    data.days.length !== rowCount
  ) {
    throw new Error('community data columns have different lengths');
  }
  if (data.userOffsets.length !== data.userCount + 1) {
    throw new Error('community data userOffsets must have userCount + 1 entries');
  }
  if (data.userOffsets[0] !== 0 || data.userOffsets[data.userCount] !== rowCount) {
    throw new Error('community data userOffsets must start at 0 and end at the row count');
  }
  for (let u = 0; u < data.userCount; u++) {
    if (data.userOffsets[u + 1] < data.userOffsets[u]) {
      throw new Error(`community data userOffsets decrease at user ${u}`);
    }
  }
  for (let row = 0; row < rowCount; row++) {
    const item = data.items[row];
    if (!(item >= 0 && item < data.itemCount)) {
      throw new Error(`community data row ${row} has item ${item} outside 0..${data.itemCount - 1}`);
    }
    if (data.kinds[row] > interactionKind.notRecommended) {
      throw new Error(`community data row ${row} has unknown kind ${data.kinds[row]}`);
    }
  }
}

/** How much each kind of row counts as evidence that the user likes the item. */
export interface CommunityWeighting {
  /** weight of an owned row given its playtime in minutes. */
  owned: (playtimeMinutes: number) => number;
  recommended: number;
  /** 0 excludes these rows: a not-recommended review alone adds no entry. */
  notRecommended: number;
}

/**
 * Default confidences, in the spirit of implicit-feedback ALS (confidence grows with the
 * log of usage, so a 500-hour game does not drown out everything else):
 * - owned but never played (about a third of libraries: bundles, giveaways) is weak evidence, 0.5;
 * - owned and played: 1 + ln(1 + hours), so 1 h = 1.7, 10 h = 3.4, 100 h = 5.6;
 * - a recommending review is a deliberate, explicit "I like this": 3;
 * - a not-recommending review is excluded (0): every model here treats matrix entries as
 *   positives, so feeding it in would teach "people who hated X liked Y".
 */
export const defaultCommunityWeighting: CommunityWeighting = {
  owned: (minutes) => (minutes <= 0 ? 0.5 : 1 + Math.log1p(minutes / 60)),
  recommended: 3,
  notRecommended: 0,
};

/**
 * Collapse the community rows into the InteractionMatrix every model trains on. A user who
 * both owns and reviews a game gets one entry for it whose weight is the sum of its rows'
 * weights, placed at its last row so rows stay in time order. Entries whose total weight
 * is not positive are left out; users keep their index even when their row ends up empty.
 */
export function toInteractionMatrix(
  data: CommunityData,
  weighting: CommunityWeighting = defaultCommunityWeighting,
): InteractionMatrix {
  const rowCount = data.items.length;
  const userOffsets = new Uint32Array(data.userCount + 1);
  // at most one entry per row, so the row count bounds the output
  const items = new Int32Array(rowCount);
  const weights = new Float32Array(rowCount);
  // per-item scratch, reset after each user: cheaper than a Map per user
  const weightByItem = new Float64Array(data.itemCount);
  const lastRowByItem = new Int32Array(data.itemCount).fill(-1);
  let entries = 0;

  for (let u = 0; u < data.userCount; u++) {
    const touched: number[] = [];
    for (let row = data.userOffsets[u]; row < data.userOffsets[u + 1]; row++) {
      const item = data.items[row];
      if (lastRowByItem[item] < 0) touched.push(item);
      weightByItem[item] += rowWeight(data, row, weighting);
      lastRowByItem[item] = row;
    }
    touched.sort((a, b) => lastRowByItem[a] - lastRowByItem[b]);
    for (const item of touched) {
      if (weightByItem[item] > 0) {
        items[entries] = item;
        weights[entries] = weightByItem[item];
        entries++;
      }
      weightByItem[item] = 0;
      lastRowByItem[item] = -1;
    }
    userOffsets[u + 1] = entries;
  }

  return {
    userCount: data.userCount,
    itemCount: data.itemCount,
    userOffsets,
    items: items.slice(0, entries),
    weights: weights.slice(0, entries),
  };
}

function rowWeight(data: CommunityData, row: number, weighting: CommunityWeighting): number {
  switch (data.kinds[row]) {
    case interactionKind.owned:
      return weighting.owned(data.playtimeMinutes[row]);
    case interactionKind.recommended:
      return weighting.recommended;
    default:
      return weighting.notRecommended;
  }
}

/** The span "trending" looks back over, ending at the newest dated row. */
export const defaultRecentWindowDays = 180;

/**
 * Per-item weighted count of the dated rows in the last `windowDays` of the data (the
 * data ends in 2015, so "recent" is relative to its newest review, not to today). Only
 * reviews carry dates; with the default weighting that means recommending reviews, which
 * is what a "trending" row should surface. All zeros when no row is dated.
 */
export function recentCounts(
  data: CommunityData,
  windowDays = defaultRecentWindowDays,
  weighting: CommunityWeighting = defaultCommunityWeighting,
): Float32Array {
  const counts = new Float32Array(data.itemCount);
  let newestDay = 0;
  for (const day of data.days) if (day > newestDay) newestDay = day;
  if (newestDay === 0) return counts;
  const firstDay = newestDay - windowDays + 1;
  for (let row = 0; row < data.items.length; row++) {
    const day = data.days[row];
    if (day === 0 || day < firstDay) continue;
    counts[data.items[row]] += rowWeight(data, row, weighting);
  }
  return counts;
}

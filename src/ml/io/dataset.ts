import type { InteractionMatrix } from '../interactions';
import { DatasetParseError } from './errors';

export type DatasetFormat = 'sequence' | 'pairs' | 'atomic' | 'csv' | 'session';

export interface DatasetStats {
  users: number;
  items: number;
  interactions: number;
  /** interactions / (users * items) */
  density: number;
  minPerUser: number;
  maxPerUser: number;
  meanPerUser: number;
  /** every line of the file, header and blank lines included */
  linesRead: number;
  /** data rows left out on purpose (below the rating threshold) */
  rowsSkipped: number;
  /** smallest and largest timestamp, when the format has times */
  firstTimestamp?: number;
  lastTimestamp?: number;
}

export interface ImportedDataset {
  format: DatasetFormat;
  /** external user id of each dense user index */
  userIds: string[];
  /** external item id of each dense item index */
  itemIds: string[];
  /** each user's row in time order (file order where the format has no times) */
  matrix: InteractionMatrix;
  /** time of each interaction, aligned with matrix.items; units as in the file (see each parser) */
  timestamps?: Float64Array;
  stats: DatasetStats;
  /** FNV-1a 64-bit of the exact input text: the dataset's identity */
  contentHash: string;
}

/**
 * Collects (user, item, time) rows as they stream in and maps external ids to dense indices
 * once, here at the edge; models only ever see the dense indices. Indices follow first
 * appearance in the file, so re-importing the same file gives the same indices.
 */
export class InteractionCollector {
  readonly userIds: string[] = [];
  readonly itemIds: string[] = [];
  private readonly userIndexById = new Map<string, number>();
  private readonly itemIndexById = new Map<string, number>();
  private readonly rowUsers: number[] = [];
  private readonly rowItems: number[] = [];
  private readonly rowTimes: number[] = [];
  private readonly rowTieBreaks: number[] = [];
  private readonly rowTimestamps: number[] = [];

  get size(): number {
    return this.rowUsers.length;
  }

  hasUser(userId: string): boolean {
    return this.userIndexById.has(userId);
  }

  /**
   * time and tieBreak order a user's row when the dataset is built with sortByTime; timestamp is
   * what is reported in dataset.timestamps (the time itself unless given).
   */
  add(userId: string, itemId: string, time = 0, tieBreak = 0, timestamp = time): void {
    this.rowUsers.push(indexOf(userId, this.userIndexById, this.userIds));
    this.rowItems.push(indexOf(itemId, this.itemIndexById, this.itemIds));
    this.rowTimes.push(time);
    this.rowTieBreaks.push(tieBreak);
    this.rowTimestamps.push(timestamp);
  }

  /**
   * Builds the CSR matrix. With sortByTime each user's row is ordered by (time, tieBreak, file
   * order); file order is the last key so equal times keep the order the file gave them.
   */
  build(
    format: DatasetFormat,
    info: {
      linesRead: number;
      rowsSkipped: number;
      contentHash: string;
      sortByTime: boolean;
      timestamps: boolean;
    },
  ): ImportedDataset {
    const total = this.rowUsers.length;
    if (total === 0) {
      // the whole file is the problem, not one of its lines
      const read = info.linesRead === 1 ? '1 line' : `${info.linesRead} lines`;
      throw new DatasetParseError(0, `empty file: no interactions found (${read} read)`);
    }
    const userCount = this.userIds.length;
    const userOffsets = new Uint32Array(userCount + 1);
    for (const user of this.rowUsers) userOffsets[user + 1]++;
    for (let u = 0; u < userCount; u++) userOffsets[u + 1] += userOffsets[u];

    // counting sort by user keeps file order inside each user
    const order = new Int32Array(total);
    const cursor = userOffsets.slice(0, userCount);
    for (let row = 0; row < total; row++) order[cursor[this.rowUsers[row]]++] = row;

    if (info.sortByTime) {
      const times = this.rowTimes;
      const ties = this.rowTieBreaks;
      const byTime = (a: number, b: number) => times[a] - times[b] || ties[a] - ties[b] || a - b;
      for (let u = 0; u < userCount; u++) {
        const slice = order.subarray(userOffsets[u], userOffsets[u + 1]);
        slice.set(Array.from(slice).sort(byTime));
      }
    }

    const items = new Int32Array(total);
    const timestamps = info.timestamps ? new Float64Array(total) : undefined;
    for (let i = 0; i < total; i++) {
      items[i] = this.rowItems[order[i]];
      if (timestamps) timestamps[i] = this.rowTimestamps[order[i]];
    }
    const matrix: InteractionMatrix = { userCount, itemCount: this.itemIds.length, userOffsets, items };
    return {
      format,
      userIds: this.userIds,
      itemIds: this.itemIds,
      matrix,
      timestamps,
      stats: computeStats(matrix, timestamps, info.linesRead, info.rowsSkipped),
      contentHash: info.contentHash,
    };
  }
}

function indexOf(id: string, indexById: Map<string, number>, ids: string[]): number {
  let index = indexById.get(id);
  if (index === undefined) {
    index = ids.length;
    indexById.set(id, index);
    ids.push(id);
  }
  return index;
}

function computeStats(
  matrix: InteractionMatrix,
  timestamps: Float64Array | undefined,
  linesRead: number,
  rowsSkipped: number,
): DatasetStats {
  let minPerUser = Infinity;
  let maxPerUser = 0;
  for (let u = 0; u < matrix.userCount; u++) {
    const length = matrix.userOffsets[u + 1] - matrix.userOffsets[u];
    minPerUser = Math.min(minPerUser, length);
    maxPerUser = Math.max(maxPerUser, length);
  }
  const interactions = matrix.items.length;
  const stats: DatasetStats = {
    users: matrix.userCount,
    items: matrix.itemCount,
    interactions,
    density: interactions / (matrix.userCount * matrix.itemCount),
    minPerUser,
    maxPerUser,
    meanPerUser: interactions / matrix.userCount,
    linesRead,
    rowsSkipped,
  };
  if (timestamps) {
    let first = Infinity;
    let last = -Infinity;
    for (const t of timestamps) {
      if (t < first) first = t;
      if (t > last) last = t;
    }
    stats.firstTimestamp = first;
    stats.lastTimestamp = last;
  }
  return stats;
}

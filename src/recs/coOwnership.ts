// Which games are specifically related, as opposed to merely popular. Raw co-occurrence
// favours blockbusters: most players own Counter-Strike, so it co-occurs with every niche
// game, and "Because you viewed Clicker Heroes" would name a game Clicker Heroes players
// own no more often than anyone with a library like theirs. Lift compares the two.
import type { InteractionMatrix } from '../ml/interactions';

/** When a pair counts as specifically related: a shrunk lift of at least `minimumLift`. */
export interface AssociationRule {
  /** pseudo-players added to both the observed and the expected co-owners: few co-owners pull the lift toward 1 */
  shrink: number;
  minimumLift: number;
}

/**
 * On the store's data this keeps a niche game's own kind (Clicker Heroes → Time Clickers at 6.2)
 * and drops the blockbusters everyone owns (Clicker Heroes → Counter-Strike: GO at 0.67).
 * One shared player is never enough: (1 + 2) / (expected + 2) stays below 1.5.
 */
export const specificAssociation: AssociationRule = { shrink: 2, minimumLift: 1.5 };

/** Item → the players who own it (sorted), and the counts lift needs; built once per fit. */
export class CoOwnership {
  private readonly offsets: Uint32Array;
  private readonly players: Int32Array;
  /** for each item, the other games its owners own, summed over its owners */
  private readonly othersOfOwners: Float64Array;
  private readonly totalEntries: number;
  private readonly coOwnerCounts = new Map<number, number>();

  constructor(
    matrix: InteractionMatrix,
    private readonly rule: AssociationRule = specificAssociation,
    private readonly capacity = 50_000,
  ) {
    const { itemCount, userCount, userOffsets, items } = matrix;
    const counts = new Uint32Array(itemCount + 1);
    for (let p = 0; p < items.length; p++) counts[items[p] + 1]++;
    this.offsets = new Uint32Array(itemCount + 1);
    for (let i = 0; i < itemCount; i++) this.offsets[i + 1] = this.offsets[i] + counts[i + 1];
    this.players = new Int32Array(items.length);
    this.othersOfOwners = new Float64Array(itemCount);
    const cursor = this.offsets.slice(0, itemCount);
    // players in increasing order, so every item's list comes out sorted
    for (let u = 0; u < userCount; u++) {
      const others = userOffsets[u + 1] - userOffsets[u] - 1;
      for (let p = userOffsets[u]; p < userOffsets[u + 1]; p++) {
        this.players[cursor[items[p]]++] = u;
        this.othersOfOwners[items[p]] += others;
      }
    }
    this.totalEntries = items.length;
  }

  owners(item: number): number {
    return this.offsets[item + 1] - this.offsets[item];
  }

  /** Players who own both games (remembered: the same pairs are explained event after event). */
  coOwners(a: number, b: number): number {
    const low = a < b ? a : b;
    const high = a < b ? b : a;
    const key = low * (this.offsets.length - 1) + high;
    let count = this.coOwnerCounts.get(key);
    if (count === undefined) {
      count = this.countCoOwners(low, high);
      if (this.coOwnerCounts.size >= this.capacity) this.coOwnerCounts.clear();
      this.coOwnerCounts.set(key, count);
    }
    return count;
  }

  /**
   * Co-owners of `source` and `item` if `item` took its share of every other game
   * `source`'s owners own: others(source) · owners(item) / all entries. Counting the
   * owners' other games, not the owners, keeps players with big libraries (who own
   * the blockbusters too) from making every pair look related.
   */
  expectedCoOwners(source: number, item: number): number {
    return this.totalEntries > 0 ? (this.othersOfOwners[source] * this.owners(item)) / this.totalEntries : 0;
  }

  /** Lift shrunk toward 1: (co-owners + shrink) / (expected co-owners + shrink). */
  association(source: number, item: number): number {
    const { shrink } = this.rule;
    return (this.coOwners(source, item) + shrink) / (this.expectedCoOwners(source, item) + shrink);
  }

  /** Owners of `source` own `item` clearly more often than their libraries explain. */
  isSpecific(source: number, item: number): boolean {
    return this.association(source, item) >= this.rule.minimumLift;
  }

  /** Sorted-list intersection, walking the shorter list and bisecting the longer one. */
  private countCoOwners(a: number, b: number): number {
    const [short, long] = this.owners(a) <= this.owners(b) ? [a, b] : [b, a];
    let low = this.offsets[long];
    const end = this.offsets[long + 1];
    let count = 0;
    for (let p = this.offsets[short]; p < this.offsets[short + 1] && low < end; p++) {
      const player = this.players[p];
      let high = end;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (this.players[mid] < player) low = mid + 1;
        else high = mid;
      }
      if (low < end && this.players[low] === player) count++;
    }
    return count;
  }
}

// Sparse updates touch only the rows of an embedding table that a batch uses. A batch
// refers to rows by global id; the loss sees only the gathered rows, so every global id
// is mapped to a local position in the gathered block.

export class RowIndexer {
  private readonly localByRow = new Map<number, number>();
  private readonly rowList: number[] = [];

  /** Local position of one global row, adding it on first sight. */
  localOf(row: number): number {
    let local = this.localByRow.get(row);
    if (local === undefined) {
      local = this.rowList.length;
      this.localByRow.set(row, local);
      this.rowList.push(row);
    }
    return local;
  }

  /** Local positions of many global rows. */
  map(rows: ArrayLike<number>): Int32Array {
    const locals = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) locals[i] = this.localOf(rows[i]);
    return locals;
  }

  get size(): number {
    return this.rowList.length;
  }

  /** The unique global rows, in local order: gather(table, rows())[local] == table[row]. */
  rows(): Int32Array {
    return Int32Array.from(this.rowList);
  }
}

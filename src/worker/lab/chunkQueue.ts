// Turns text chunks that arrive as separate messages (labImportChunk) into the AsyncIterable the
// ml/io parsers read, so a file the page streams is parsed while it is still arriving.

export class ChunkQueue implements AsyncIterable<string> {
  private readonly chunks: string[] = [];
  private ended = false;
  private failure: unknown = null;
  private wake: (() => void) | null = null;

  push(text: string): void {
    if (this.ended) throw new Error('chunk after the end of the file');
    this.chunks.push(text);
    this.notify();
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  /** Makes the reader throw (cancellation): whatever parses the stream stops and keeps nothing. */
  fail(reason: unknown): void {
    this.failure = reason ?? new Error('stream failed');
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (;;) {
      if (this.failure) throw this.failure;
      const next = this.chunks.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

/**
 * Thrown when an imported file does not match its declared format. It names the 1-based line so a
 * shopper-facing error can point at the exact spot; importers throw it before returning anything,
 * so a bad file never yields a half-built dataset.
 */
export class DatasetParseError extends Error {
  override readonly name = 'DatasetParseError';

  constructor(
    /** 1-based line number of the offending line; 0 when the problem is the file as a whole. */
    readonly lineNumber: number,
    /** what is wrong, in words (without the line prefix) */
    readonly problem: string,
  ) {
    super(lineNumber > 0 ? `line ${lineNumber}: ${problem}` : problem);
  }
}

/** Throws the signal's reason (an AbortError by default) when the caller has cancelled. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
}

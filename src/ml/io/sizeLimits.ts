// The largest file each importer accepts, checked against the size the browser declares before a
// byte is read: a 40 GB file picked by mistake is refused at once instead of filling memory.
// Each limit is several times the largest real file of its kind.

const MiB = 1024 * 1024;

export const importSizeLimits = {
  /**
   * Datasets stream, but every row is held while the file is read (about 40 bytes a row) and the
   * result is stored whole; MovieLens 25M's ratings.csv, the largest we know, is 678 MB.
   */
  dataset: 1024 * MiB,
  /** negatives and item attributes files are read whole (LastFM's: 0.9 MB and 0.5 MB) */
  sideFile: 128 * MiB,
  /** a "Your data" export: about 200 bytes an event, so some 300,000 events */
  yourData: 64 * MiB,
  /**
   * a community model's file (Parquet part, .npz, safetensors), read whole: 1M items × 128 float32
   * factors is 512 MB, past what a tab should hold
   */
  modelFile: 512 * MiB,
} as const;

export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';
}

/** "1.5 GB", "64 MB", "900 bytes": sizes as a file manager shows them (powers of 1024). */
export function describeBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded = unit === 0 ? String(value) : value.toFixed(value < 10 ? 1 : 0);
  return `${rounded} ${units[unit]}`;
}

/** Throws FileTooLargeError, naming the file, its size and the limit, when it is over the limit. */
export function refuseOversized(
  file: { name?: string; size: number },
  limitBytes: number,
  what: string,
): void {
  if (file.size <= limitBytes) return;
  const named = file.name ? ` "${file.name}"` : '';
  throw new FileTooLargeError(
    `The ${what}${named} is ${describeBytes(file.size)}; Aisle reads ${what}s of at most ` +
      `${describeBytes(limitBytes)}, so nothing of it was read.`,
  );
}

/** The file's text, read only once its declared size is within the limit. */
export async function readTextWithin(
  file: Blob & { name?: string },
  limitBytes: number,
  what: string,
): Promise<string> {
  refuseOversized(file, limitBytes, what);
  return file.text();
}

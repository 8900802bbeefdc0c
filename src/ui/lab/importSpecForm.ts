// From the import choices (the lab page's import form, or `npm run eval`'s --format and --csv-*
// flags) to the LabImportSpec the lab worker parses a file with. Pure, shared by both.
import type { LabDatasetFormat, LabImportSpec } from '../../worker/lab/protocol';

/** Column entries as typed: a header name, or a 0-based index written in digits. */
export interface CsvMappingFields {
  user: string;
  item: string;
  /** blank: no times */
  time: string;
  /** blank: no ratings */
  rating: string;
  /** blank: keep every row */
  minRating: string;
  /** blank: ','; the two characters \t mean a tab */
  delimiter: string;
  hasHeader: boolean;
}

export interface ImportFormFields {
  format: LabDatasetFormat;
  csv: CsvMappingFields;
  /** .inter only; blank: keep every row */
  interMinRating: string;
}

export const blankCsvMapping: CsvMappingFields = {
  user: '',
  item: '',
  time: '',
  rating: '',
  minRating: '',
  delimiter: '',
  hasHeader: true,
};

/** An import entry the spec cannot be built from. */
export class ImportSpecError extends Error {
  override name = 'ImportSpecError';
}

const column = (text: string): string | number => (/^\d+$/.test(text.trim()) ? Number(text) : text.trim());

function minRating(text: string): number | undefined {
  if (!text.trim()) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value))
    throw new ImportSpecError(`the minimum rating must be a number, got "${text}"`);
  return value;
}

/** How the file named `name` is parsed, or an ImportSpecError naming the missing or bad entry. */
export function toImportSpec(fields: ImportFormFields, name: string): LabImportSpec {
  const spec: LabImportSpec = { format: fields.format, name };
  if (fields.format === 'csv') {
    const { csv } = fields;
    if (!csv.user.trim() || !csv.item.trim()) {
      throw new ImportSpecError(
        'a CSV file needs its user and item columns (header names or 0-based indices)',
      );
    }
    spec.csv = {
      user: column(csv.user),
      item: column(csv.item),
      delimiter: csv.delimiter === '\\t' ? '\t' : csv.delimiter || ',',
      hasHeader: csv.hasHeader,
    };
    if (csv.time.trim()) spec.csv.time = column(csv.time);
    if (csv.rating.trim()) spec.csv.rating = column(csv.rating);
    const least = minRating(csv.minRating);
    if (least !== undefined) spec.csv.minRating = least;
  }
  if (fields.format === 'inter') {
    const least = minRating(fields.interMinRating);
    if (least !== undefined) spec.minRating = least;
  }
  return spec;
}

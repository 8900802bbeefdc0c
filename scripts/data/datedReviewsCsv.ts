// Reading user_reviews_dated.maga86.csv: the only file with exact review dates.
import { isoDateToDay, type DatedReviewRow } from './joinInteractions';

/**
 * Splits CSV text into rows of fields (RFC 4180: quoted fields may hold commas, quotes
 * doubled, CRLF or LF line ends). A trailing newline does not make an empty last row.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inQuotes) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') inQuotes = false;
      else field += char;
    } else if (char === '"') inQuotes = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export interface DatedReviewsRead {
  rows: DatedReviewRow[];
  /** rows with a missing user or item, a non-date or a recommend that is not True/False */
  unusableRows: number;
}

const requiredColumns = ['User_Id', 'Posted', 'Item_Id', 'Recommend'] as const;

/** The dated review rows, by header name; throws if a needed column is missing. */
export function datedReviewsFromCsv(text: string): DatedReviewsRead {
  const [header, ...records] = parseCsv(text);
  const column = Object.fromEntries(
    requiredColumns.map((name) => {
      const index = header?.indexOf(name) ?? -1;
      if (index < 0) throw new Error(`dated reviews CSV has no ${name} column`);
      return [name, index];
    }),
  ) as Record<(typeof requiredColumns)[number], number>;

  const rows: DatedReviewRow[] = [];
  let unusableRows = 0;
  for (const record of records) {
    const userId = (record[column.User_Id] ?? '').trim();
    const appId = (record[column.Item_Id] ?? '').trim();
    const day = isoDateToDay(record[column.Posted] ?? '');
    const recommend = (record[column.Recommend] ?? '').trim();
    if (!userId || !/^\d+$/.test(appId) || day === null || !/^(True|False)$/.test(recommend)) {
      unusableRows++;
      continue;
    }
    rows.push({ userId, appId, day, recommend: recommend === 'True' });
  }
  return { rows, unusableRows };
}

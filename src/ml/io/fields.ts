import { DatasetParseError } from './errors';

/** Whitespace-separated fields (any run of spaces or tabs), ignoring leading/trailing blanks. */
export function splitOnWhitespace(line: string): string[] {
  const trimmed = line.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

/**
 * One delimited line into fields, honouring double quotes the way RFC 4180 does: a quoted field
 * may contain the delimiter, and "" inside it is a literal quote. A field cannot span lines here;
 * an unclosed quote is reported rather than silently swallowing the rest of the file.
 */
export function splitDelimited(line: string, delimiter: string, lineNumber: number): string[] {
  if (!line.includes('"')) return line.split(delimiter);
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new DatasetParseError(lineNumber, 'unterminated quoted field');
        if (line[i] === '"') {
          if (line[i + 1] !== '"') break;
          i++; // the first of a doubled quote
        }
        field += line[i++];
      }
      i++; // the closing quote
    }
    const end = line.indexOf(delimiter, i);
    if (end === -1) {
      fields.push(field + line.slice(i));
      return fields;
    }
    fields.push(field + line.slice(i, end));
    i = end + delimiter.length;
  }
}

/** A finite number, or a parse error naming what the field was meant to be. */
export function parseNumberField(text: string, lineNumber: number, what: string): number {
  const trimmed = text.trim();
  const value = trimmed === '' ? NaN : Number(trimmed);
  if (!Number.isFinite(value)) {
    throw new DatasetParseError(lineNumber, `non-numeric ${what} "${text}"`);
  }
  return value;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A time as a number: numeric text as it is (e.g. Unix seconds), an ISO date as milliseconds
 * since the epoch (UTC for a bare date). Anything else is a parse error.
 */
export function parseTimeField(text: string, lineNumber: number, what = 'timestamp'): number {
  const trimmed = text.trim();
  const numeric = trimmed === '' ? NaN : Number(trimmed);
  if (Number.isFinite(numeric)) return numeric;
  if (ISO_DATE.test(trimmed)) {
    const ms = Date.parse(trimmed);
    if (Number.isFinite(ms)) return ms;
  }
  throw new DatasetParseError(lineNumber, `${what} "${text}" is neither a number nor an ISO date`);
}

const userHeaderName = /^(user|session|uid)([ _-]?ids?)?(:\w+)?$/i;
const itemHeaderName = /^(item|items|iid)([ _-]?ids?)?(:\w+(_seq)?)?$/i;

/**
 * Whether whitespace-separated fields are a column header ("user_id item_ids", "userId itemId")
 * rather than data: a user-like name first and an item-like name after it. Real ids such as
 * "user_000001" do not match, since the names must end where the pattern does.
 */
export function looksLikeHeader(fields: readonly string[]): boolean {
  return (
    fields.length >= 2 &&
    userHeaderName.test(fields[0]) &&
    fields.slice(1).some((field) => itemHeaderName.test(field))
  );
}

/** The refusal for a header line in a format that has none. */
export function headerLineError(
  fields: readonly string[],
  lineNumber: number,
  format: string,
): DatasetParseError {
  return new DatasetParseError(
    lineNumber,
    `"${fields.join(' ')}" looks like a header line, but a ${format} file has none: remove that line`,
  );
}

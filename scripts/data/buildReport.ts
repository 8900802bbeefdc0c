// The build report: every count the pipeline read, dropped (and why) and kept, written as
// JSON for the record and printed as a table for the person running `npm run data`.

/** A nested object of counts (and a few labels) as produced by the build. */
export type ReportValue = number | string | null | ReportValue[] | { [key: string]: ReportValue };

/** "gameNotInCatalog" -> "game not in catalog". */
export function humanise(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([a-zA-Z])(\d)/g, '$1 $2')
    .toLowerCase();
}

function formatValue(value: number | string | null): string {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? value.toLocaleString('en-US') : String(value);
  }
  return value === null ? '-' : value;
}

/** Flattens the report into indented label/value lines: sections as headings, leaves aligned. */
export function reportTable(report: { [key: string]: ReportValue }): string {
  const lines: [label: string, value: string][] = [];
  const walk = (value: ReportValue, label: string, depth: number): void => {
    const indent = '  '.repeat(depth);
    if (value !== null && typeof value === 'object') {
      lines.push([indent + label, '']);
      const entries = Array.isArray(value)
        ? value.map((item, index) => [String(index + 1), item] as const)
        : Object.entries(value);
      for (const [key, child] of entries) walk(child, Array.isArray(value) ? key : humanise(key), depth + 1);
    } else {
      lines.push([indent + label, formatValue(value)]);
    }
  };
  for (const [key, value] of Object.entries(report)) walk(value, humanise(key), 0);
  const width = Math.max(...lines.map(([label]) => label.length));
  return lines.map(([label, value]) => (value ? `${label.padEnd(width)}  ${value}` : label)).join('\n');
}

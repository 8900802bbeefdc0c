import { asyncBufferFromFile, parquetReadObjects, parquetMetadataAsync, parquetSchema } from 'hyparquet';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
const dir = '/work/shared/datasets/steam/';
for (const f of ['user_items.luciaescobedo.parquet', 'user_reviews_all.ram1rofalcon.parquet']) {
  const file = await asyncBufferFromFile(dir + f);
  const md = await parquetMetadataAsync(file);
  console.log(
    f,
    md.num_rows,
    parquetSchema(md).children.map((c) => [
      c.element.name,
      c.element.type,
      c.element.converted_type,
      c.element.logical_type,
    ]),
  );
  const rows = await parquetReadObjects({ file });
  console.log(rows.slice(0, 3));
}
const lines = gunzipSync(readFileSync(dir + 'steam_games.json.gz'))
  .toString('utf8')
  .split('\n');
const priceStrings = new Map<string, number>();
const dates = new Map<string, number>();
const ids = new Map<string, number>();
const ea = new Map<string, number>();
let n = 0;
for (const l of lines) {
  if (!l.trim()) continue;
  const o = JSON.parse(l.replace(/\bNaN\b/g, 'null'));
  if (o.id == null) continue;
  n++;
  ids.set(o.id, (ids.get(o.id) ?? 0) + 1);
  if (typeof o.price === 'string') priceStrings.set(o.price, (priceStrings.get(o.price) ?? 0) + 1);
  const d = o.release_date == null ? 'null' : String(o.release_date).replace(/\d/g, '9');
  dates.set(d, (dates.get(d) ?? 0) + 1);
  ea.set(String(o.early_access) + typeof o.id, (ea.get(String(o.early_access) + typeof o.id) ?? 0) + 1);
}
console.log(
  n,
  [...priceStrings].sort((a, b) => b[1] - a[1]),
);
console.log([...dates].sort((a, b) => b[1] - a[1]).slice(0, 40));
console.log(
  [...ids].filter(([, c]) => c > 1),
  ea,
);
for (const l of lines) if (l.includes('"id": "' + [...ids].find(([, c]) => c > 1)![0] + '"')) console.log(l);

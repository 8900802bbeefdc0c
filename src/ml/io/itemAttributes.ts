// Item attributes (tags, genres, brands): side information some published models train with —
// S3-Rec pre-trains on Last.fm's tags (LastFM_item2attributes.json). Two layouts are read:
//   - S3-Rec's JSON object, item id → list of attribute ids, an id repeated once per time it was
//     given (on Last.fm, once per listener who tagged the artist so), e.g. {"1": [1, 2, 1, 4]};
//   - lines `itemId attr1 attr2 …`, whitespace-separated, repeats allowed as above.
// Ids stay external until aligned with a dataset, as negatives files do.
import type { ImportedDataset } from './dataset';
import { DatasetParseError, throwIfAborted } from './errors';
import { splitOnWhitespace } from './fields';
import { ContentHasher } from './hash';
import { jsonErrorPlace, positionAt } from './jsonSyntax';
import { chunksOf, readLines } from './lines';
import type { ImportOptions } from './parsers';

export interface ItemAttributesFile {
  /** external item id → its attribute ids, repeats kept (they count) */
  attributesByItem: Map<string, string[]>;
  contentHash: string;
}

/** A dataset's items' attributes as dense indices, in CSR form, with each pair's count. */
export interface ItemAttributes {
  /** item i's attributes are attributeIds[offsets[i] .. offsets[i + 1]), each listed once */
  offsets: Uint32Array;
  attributeIds: Int32Array;
  /** how many times item i was given that attribute (≥ 1), aligned with attributeIds */
  counts: Float32Array;
  /** external id of each dense attribute index */
  attributeNames: string[];
  /** dataset items with at least one attribute */
  itemsCovered: number;
  /** items of the file that the dataset does not have (a file often covers a larger catalogue) */
  itemsUnknown: number;
}

export async function parseItemAttributesFile(
  chunks: AsyncIterable<string>,
  options: ImportOptions = {},
): Promise<ItemAttributesFile> {
  const hasher = new ContentHasher();
  // attribute files are small next to interaction files (Last.fm's: 0.5 MB), so the text is kept
  // whole: JSON needs it, and the layout is known from its first non-blank character
  const parts: string[] = [];
  for await (const chunk of chunks) {
    throwIfAborted(options.signal);
    hasher.update(chunk);
    parts.push(chunk);
  }
  const text = parts.join('');
  const attributesByItem = /^\s*[{[]/.test(text) ? readJson(text) : await readAttributeLines(text, options);
  if (attributesByItem.size === 0) throw new DatasetParseError(0, 'empty file: no item attributes found');
  return { attributesByItem, contentHash: hasher.digest() };
}

function readJson(text: string): Map<string, string[]> {
  let parsed: unknown;
  try {
    // a byte order mark is not JSON (TextDecoder drops it, but a string handed in may carry one)
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    const broken = jsonErrorPlace(text);
    if (!broken) throw new DatasetParseError(0, `the file is not valid JSON (${problem})`);
    throw new DatasetParseError(broken.position.line, `not valid JSON at ${broken.place} (${problem})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DatasetParseError(1, 'expected a JSON object of item id → list of attribute ids');
  }
  const byItem = new Map<string, string[]>();
  for (const [itemId, value] of Object.entries(parsed)) {
    const valid = Array.isArray(value) && value.every((v) => typeof v === 'number' || typeof v === 'string');
    if (!valid) {
      throw new DatasetParseError(
        lineAt(text, text.indexOf(JSON.stringify(itemId))),
        `item "${itemId}": attributes must be a list of ids, got ${described(value)}`,
      );
    }
    byItem.set(
      itemId,
      (value as (number | string)[]).map((v) => String(v)),
    );
  }
  return byItem;
}

async function readAttributeLines(whole: string, options: ImportOptions): Promise<Map<string, string[]>> {
  const byItem = new Map<string, string[]>();
  for await (const { text, lineNumber } of readLines(chunksOf(whole, 1 << 16), { signal: options.signal })) {
    const [itemId, ...attributes] = splitOnWhitespace(text);
    if (itemId === undefined) continue;
    if (byItem.has(itemId)) {
      throw new DatasetParseError(lineNumber, `item "${itemId}" appears on more than one line`);
    }
    byItem.set(itemId, attributes);
  }
  return byItem;
}

/**
 * A value for a refusal, without serialising it: JSON.stringify recurses, and a value nested a
 * hundred thousand deep (JSON.parse reads it) would overflow the stack instead of being refused.
 */
function described(value: unknown): string {
  if (Array.isArray(value)) return 'a list holding other things';
  if (typeof value === 'object' && value !== null) return 'an object';
  return JSON.stringify(value).slice(0, 40);
}

/** 1-based line of a character offset; 0 (the whole file) when the offset is not found. */
const lineAt = (text: string, offset: number): number => (offset < 0 ? 0 : positionAt(text, offset).line);

/**
 * The file's attributes for the dataset's items. Items the dataset lacks are skipped and counted;
 * a file that covers none of the dataset's items belongs to other data and is refused.
 */
export function alignItemAttributes(
  file: ItemAttributesFile,
  dataset: Pick<ImportedDataset, 'itemIds'>,
): ItemAttributes {
  const itemIndex = new Map(dataset.itemIds.map((id, index) => [id, index]));
  const perItem: Map<number, number>[] = dataset.itemIds.map(() => new Map());
  const attributeIndex = new Map<string, number>();
  const attributeNames: string[] = [];
  let itemsUnknown = 0;
  for (const [itemId, attributes] of file.attributesByItem) {
    const item = itemIndex.get(itemId);
    if (item === undefined) {
      itemsUnknown++;
      continue;
    }
    for (const name of attributes) {
      let attribute = attributeIndex.get(name);
      if (attribute === undefined) {
        attribute = attributeNames.length;
        attributeIndex.set(name, attribute);
        attributeNames.push(name);
      }
      perItem[item].set(attribute, (perItem[item].get(attribute) ?? 0) + 1);
    }
  }
  const offsets = new Uint32Array(dataset.itemIds.length + 1);
  perItem.forEach((attributes, item) => (offsets[item + 1] = offsets[item] + attributes.size));
  const attributeIds = new Int32Array(offsets[dataset.itemIds.length]);
  const counts = new Float32Array(attributeIds.length);
  let itemsCovered = 0;
  perItem.forEach((attributes, item) => {
    if (attributes.size > 0) itemsCovered++;
    let at = offsets[item];
    for (const [attribute, count] of [...attributes].sort((a, b) => a[0] - b[0])) {
      attributeIds[at] = attribute;
      counts[at++] = count;
    }
  });
  if (itemsCovered === 0) {
    throw new DatasetParseError(
      0,
      `the attributes file names none of this dataset's items (it has ${file.attributesByItem.size} other items)`,
    );
  }
  return { offsets, attributeIds, counts, attributeNames, itemsCovered, itemsUnknown };
}

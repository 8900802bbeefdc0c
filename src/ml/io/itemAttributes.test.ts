import { describe, expect, it } from 'vitest';
import { DatasetParseError } from './errors';
import { alignItemAttributes, parseItemAttributesFile } from './itemAttributes';
import { chunksOf } from './lines';

const parse = (text: string, chunkSize = 7) => parseItemAttributesFile(chunksOf(text, chunkSize));

describe('item attributes files', () => {
  it("reads S3-Rec's JSON, repeats kept, ids as strings", async () => {
    const file = await parse('{"10": [1, 2, 1], "11": [3]}');
    expect([...file.attributesByItem]).toEqual([
      ['10', ['1', '2', '1']],
      ['11', ['3']],
    ]);
    expect(file.contentHash).toMatch(/^[0-9a-f]{16}$/);
    // a byte order mark before the JSON is not an error
    expect((await parse('\ufeff{"1": [2]}')).attributesByItem.get('1')).toEqual(['2']);
  });

  it('reads lines `itemId attr …`, with the same hash however the text is cut', async () => {
    const text = 'a rock pop rock\n\nb jazz\r\n';
    const file = await parse(text);
    expect(file.attributesByItem.get('a')).toEqual(['rock', 'pop', 'rock']);
    expect(file.attributesByItem.get('b')).toEqual(['jazz']);
    expect((await parse(text, 3)).contentHash).toBe(file.contentHash);
  });

  it('names the line of a problem', async () => {
    await expect(parse('a x\nb y\na z\n')).rejects.toThrow('line 3: item "a" appears on more than one line');
    const broken = parse('{\n"1": [1],\n"2": [2,,]\n}');
    await expect(broken).rejects.toBeInstanceOf(DatasetParseError);
    // V8 names no position for "Unexpected token": the scanner finds the second comma, line 3 column 9
    await expect(broken).rejects.toThrow(/^line 3: not valid JSON at line 3, column 9 \(/);
    await expect(parse('{"1": [1')).rejects.toThrow(
      /^line 1: not valid JSON at the end of the file \(line 1\)/,
    );
    await expect(parse('{\n"1": [1],\n"2": {"x": 1}\n}')).rejects.toThrow(
      /line 3: item "2": attributes must be a list of ids/,
    );
    await expect(parse('[1, 2]')).rejects.toThrow(/expected a JSON object/);
    await expect(parse('  \n')).rejects.toThrow(/empty file/);
  });

  it('aligns with a dataset: dense ids, counts, unknown items skipped and counted', async () => {
    const file = await parse('{"10": [5, 7, 5], "12": [7], "99": [1]}');
    const aligned = alignItemAttributes(file, { itemIds: ['12', '10', '11'] });
    // attributes get dense ids in order of first appearance: "5" → 0, "7" → 1
    expect(aligned.attributeNames).toEqual(['5', '7']);
    expect(Array.from(aligned.offsets)).toEqual([0, 1, 3, 3]);
    expect(Array.from(aligned.attributeIds)).toEqual([1, 0, 1]);
    expect(Array.from(aligned.counts)).toEqual([1, 2, 1]);
    expect(aligned.itemsCovered).toBe(2);
    expect(aligned.itemsUnknown).toBe(1);
  });

  it("refuses a file that names none of the dataset's items", async () => {
    const file = await parse('x 1\ny 2\n');
    expect(() => alignItemAttributes(file, { itemIds: ['a', 'b'] })).toThrow(
      /names none of this dataset's items/,
    );
  });
});

describe('parseItemAttributesFile: regressions found by fuzzing', () => {
  it('refuses an item whose attributes nest 100,000 deep, naming it, instead of overflowing the stack', async () => {
    // JSON.parse reads the nesting; describing it with JSON.stringify overflowed
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    await expect(parseItemAttributesFile(chunksOf(`{"7": ${deep}}`))).rejects.toThrow(
      'line 1: item "7": attributes must be a list of ids, got a list holding other things',
    );
  });
});

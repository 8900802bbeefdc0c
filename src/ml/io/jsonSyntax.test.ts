import { describe, expect, it } from 'vitest';
import { firstJsonSyntaxError, jsonErrorPlace, positionAt } from './jsonSyntax';

describe('firstJsonSyntaxError', () => {
  it('finds nothing wrong in valid JSON of every kind', () => {
    for (const text of [
      '{}',
      '[]',
      ' 1 ',
      '-0.5e+3',
      '"a\\u00e9\\n"',
      'true',
      'null',
      '{"a":[1,{"b":false}],"c":""}',
    ])
      expect(firstJsonSyntaxError(text), text).toBeUndefined();
  });

  it('points at the first offending character', () => {
    // {"a":x}   x is at offset 5
    expect(firstJsonSyntaxError('{"a":x}')).toBe(5);
    // [1,2,]    the ] where a value was due is at offset 5
    expect(firstJsonSyntaxError('[1,2,]')).toBe(5);
    // {"a":1}}  the extra } at offset 7
    expect(firstJsonSyntaxError('{"a":1}}')).toBe(7);
    // a raw tab inside a string (offset 7), a bad escape (offset 6)
    expect(firstJsonSyntaxError('{"a":"b\tc"}')).toBe(7);
    expect(firstJsonSyntaxError('{"a":"\\x"}')).toBe(6);
    // {"a" 1}   the 1 where the colon was due, offset 5
    expect(firstJsonSyntaxError('{"a" 1}')).toBe(5);
    // NaN and Infinity are not JSON
    expect(firstJsonSyntaxError('[NaN]')).toBe(1);
    expect(firstJsonSyntaxError('[1,Infinity]')).toBe(3);
  });

  it('puts truncated text at its end, and a byte order mark at its start', () => {
    expect(firstJsonSyntaxError('{"a":[1,2')).toBe(9);
    // an unterminated string breaks at the end, not where it began
    expect(firstJsonSyntaxError('{"a":"bc')).toBe(8);
    expect(firstJsonSyntaxError('')).toBe(0);
    expect(firstJsonSyntaxError('\ufeff{}')).toBe(0);
  });

  it('agrees with JSON.parse on a nesting 200,000 deep without overflowing the stack', () => {
    const depth = 200_000;
    expect(firstJsonSyntaxError('['.repeat(depth) + ']'.repeat(depth))).toBeUndefined();
    expect(firstJsonSyntaxError('['.repeat(depth) + ']'.repeat(depth - 1))).toBe(2 * depth - 1);
  });
});

describe('positionAt and jsonErrorPlace', () => {
  it('counts lines and columns from 1', () => {
    // "ab\ncd": offset 4 is the d, line 2 column 2
    expect(positionAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(positionAt('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
  });

  it('names the line and column, or the end of a truncated file', () => {
    expect(jsonErrorPlace('{\n"a": 1,\n"b": tru\n}')?.place).toBe('line 3, column 6');
    expect(jsonErrorPlace('{\n"a": [1,')?.place).toBe('the end of the file (line 2)');
    expect(jsonErrorPlace('{"a": 1}')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { pageErrorMessage } from './pageError';

const privatePath = '/__aisle-eval__/';
const files = new Map([
  ['data', 'Beauty.txt'],
  ['negatives', 'Beauty_sample.txt'],
]);

/** The message the page shows for `error`, the eval script's files named as the test's `files`. */
const shown = (error: Parameters<typeof pageErrorMessage>[0]) => pageErrorMessage(error, files, privatePath);

describe('pageErrorMessage', () => {
  it('names the data file for an empty file, which has no line to name', () => {
    // the parser's message for a file with no interactions, line 0: the file as a whole
    expect(
      shown({ stage: 'import', message: 'empty file: no interactions found (0 lines read)', lineNumber: 0 }),
    ).toBe('Beauty.txt: empty file: no interactions found (0 lines read)');
  });

  it('names the data file and keeps the line for a malformed line', () => {
    expect(shown({ stage: 'import', message: 'line 2: user "7" has no items', lineNumber: 2 })).toBe(
      'Beauty.txt: line 2: user "7" has no items',
    );
  });

  it('shows side files by their own names and does not blame the data file for them', () => {
    expect(
      shown({
        stage: 'run',
        message: 'negatives file /__aisle-eval__/negatives: line 4: user "x" is not in the dataset',
        lineNumber: 4,
      }),
    ).toBe('negatives file Beauty_sample.txt: line 4: user "x" is not in the dataset');
  });

  it('leaves a run failure that is not about a file as it is', () => {
    expect(shown({ stage: 'run', message: 'no user could be evaluated: …' })).toBe(
      'no user could be evaluated: …',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { asSentence, sentences } from './sentences';

describe('sentences', () => {
  it('joins a reason that already ends in a full stop without doubling it', () => {
    // the "Your data" import refusal: the reader's reason ends in "." already
    expect(
      sentences(
        'This file was not imported: events[0].at: must be a date from 2000-01-01 to 2026-12-02 (got 1e+20).',
        'Nothing was changed.',
      ),
    ).toBe(
      'This file was not imported: events[0].at: must be a date from 2000-01-01 to 2026-12-02 (got 1e+20). Nothing was changed.',
    );
  });

  it('adds the missing full stop and collapses repeated ones', () => {
    expect(sentences('Saved', 'Done..')).toBe('Saved. Done.');
    expect(asSentence('  trailing space. ')).toBe('trailing space.');
  });

  it('keeps a question, an exclamation or an ellipsis as it is', () => {
    expect(sentences('Really?', 'Yes!', 'Loading…')).toBe('Really? Yes! Loading…');
  });

  it('leaves empty parts out', () => {
    expect(sentences('', 'One', '  ')).toBe('One.');
    expect(asSentence('...')).toBe('');
  });
});

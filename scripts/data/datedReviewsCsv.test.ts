import { describe, expect, it } from 'vitest';
import { datedReviewsFromCsv, parseCsv } from './datedReviewsCsv';

describe('parseCsv', () => {
  it('handles CRLF, quoted commas, doubled quotes and a trailing newline', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n,last\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['', 'last'],
    ]);
  });

  it('keeps a last row without a newline', () => {
    expect(parseCsv('a\n1')).toEqual([['a'], ['1']]);
  });
});

describe('datedReviewsFromCsv', () => {
  const header = 'User_Id,Posted,Item_Id,Recommend,Year,Sentiment_Analysis';

  it('reads columns by name and skips unusable rows', () => {
    const text = [
      header,
      '76561197970982479,2011-11-05,1250,True,2011,1',
      'js41637,2014-06-24,251610,False,2014,0',
      ',2014-06-24,251610,True,2014,0', // no user
      'kim,Posted June 24,251610,True,2014,0', // not a date
      'kim,2014-06-24,abc,True,2014,0', // not an app id
      'kim,2014-06-24,10,maybe,2014,0', // not a boolean
    ].join('\r\n');
    expect(datedReviewsFromCsv(text)).toEqual({
      rows: [
        { userId: '76561197970982479', appId: '1250', day: 15283, recommend: true },
        { userId: 'js41637', appId: '251610', day: 16245, recommend: false },
      ],
      unusableRows: 4,
    });
  });

  it('throws when a needed column is missing', () => {
    expect(() => datedReviewsFromCsv('User_Id,Item_Id,Recommend\n')).toThrow(/Posted/);
  });
});

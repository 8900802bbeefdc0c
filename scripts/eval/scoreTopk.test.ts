import { describe, expect, it } from 'vitest';
import { UsageError } from './args';
import { formatTopkTable, scoreTopkFile } from './scoreTopk';

// ours: a at 1, b at 2; theirs: a at 2, b at 1 — HR@1 1,0 against 0,1
const ours = 'u1\ta\ta x\nu2\tb\tx b\n';
const theirs = 'u1\ta\tx a\nu2\tb\tb x\n';

describe('scoreTopkFile', () => {
  it('prints both systems’ rows and the paired lines', () => {
    const scoring = scoreTopkFile(
      ours,
      theirs,
      { ours: 'itemknn', theirs: 'recbole.tsv' },
      { ks: [1], seed: 0, bootstrapResamples: 20 },
    );
    const table = formatTopkTable(scoring);
    const rows = table.split('\n');
    expect(rows[2]).toMatch(/^system\s+HR@1\s+NDCG@1\s+MRR/);
    // each system: one hit at 1 of two users -> HR@1 .5; MRR (1 + 1/2) / 2 = .75
    expect(rows[3]).toMatch(/^itemknn\s+0\.5000 \[\S+, \S+\]\s+0\.5000 \[\S+, \S+\]\s+0\.7500/);
    expect(rows[4]).toMatch(/^recbole\.tsv\s+0\.5000/);
    // differences −1 and +1: mean 0; all four sign flips are as extreme, so p = 1
    expect(table).toContain(
      'paired    HR@1 +0.0000 (theirs − ours) over 2 users; paired t-test p 1.0000, permutation p 1.0000',
    );
  });

  it('refuses a file naming it and its first bad line', () => {
    expect(() =>
      scoreTopkFile(
        ours,
        'u1\ta\tx a\nu7\tb\tb\n',
        { ours: 'itemknn', theirs: 'r.tsv' },
        { ks: [1], seed: 0 },
      ),
    ).toThrow(
      new UsageError('top-k file r.tsv: line 2: user "u7" is not one of the split\'s 2 evaluated users'),
    );
  });
});

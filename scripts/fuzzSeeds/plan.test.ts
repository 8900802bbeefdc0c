import { describe, expect, it } from 'vitest';
import { parseFuzzArgs, replayCommand, summarise, UsageError } from './plan';

describe('parseFuzzArgs', () => {
  it('defaults to 30 seeds from the random first one, the suites’ own size and every fuzz file', () => {
    const plan = parseFuzzArgs([], 500);
    expect(plan.seeds).toHaveLength(30);
    expect(plan.seeds.slice(0, 3)).toEqual([500, 501, 502]);
    expect(plan.seeds[29]).toBe(529);
    expect(plan.runs).toBeNull();
    expect(plan.files).toEqual([]);
  });

  it('reads seeds, the first seed, the size and the files in any order', () => {
    expect(
      parseFuzzArgs(
        ['src/a.fuzz.test.ts', '--seeds', '3', '--runs', '100000', '--from', '7', 'src/b.fuzz.test.ts'],
        1,
      ),
    ).toEqual({ seeds: [7, 8, 9], runs: 100_000, files: ['src/a.fuzz.test.ts', 'src/b.fuzz.test.ts'] });
  });

  it('refuses what it cannot run, saying why', () => {
    expect(() => parseFuzzArgs(['--seeds', '0'], 1)).toThrow(
      '--seeds needs a whole number from 1 to 10000, got "0"',
    );
    expect(() => parseFuzzArgs(['--runs', '1.5'], 1)).toThrow(UsageError);
    expect(() => parseFuzzArgs(['--from'], 1)).toThrow('--from needs a value');
    expect(() => parseFuzzArgs(['--seed', '4'], 1)).toThrow('unknown option --seed');
    // 2^31 − 1 is fast-check's largest seed: 2147483646 and 2147483647 fit, a third does not
    expect(parseFuzzArgs(['--from', '2147483646', '--seeds', '2'], 1).seeds).toEqual([
      2147483646, 2147483647,
    ]);
    expect(() => parseFuzzArgs(['--from', '2147483646', '--seeds', '3'], 1)).toThrow(
      "--from 2147483646 with 3 seeds passes fast-check's largest seed, 2147483647",
    );
  });
});

describe('the outcome', () => {
  it('replays a run with its seed, and its size when one was asked', () => {
    expect(replayCommand('src/x.fuzz.test.ts', 42, null)).toBe(
      'AISLE_FUZZ_SEED=42 npx vitest run src/x.fuzz.test.ts',
    );
    expect(replayCommand('src/x.fuzz.test.ts', 42, 1000)).toBe(
      'AISLE_FUZZ_SEED=42 AISLE_FUZZ_RUNS=1000 npx vitest run src/x.fuzz.test.ts',
    );
  });

  it('says per file how many seeds ran and which failed, then how to replay each failure', () => {
    const summary = summarise(
      [
        { file: 'a', seed: 1, passed: true, seconds: 2.4 },
        { file: 'a', seed: 2, passed: false, seconds: 3.3 },
        { file: 'b', seed: 1, passed: true, seconds: 10 },
        { file: 'a', seed: 3, passed: false, seconds: 1 },
      ],
      null,
    );
    // a: 2.4 + 3.3 + 1 = 6.7 s, shown as 7
    expect(summary).toBe(
      [
        'a: 3 seeds, 2 failed: seeds 2, 3 (7 s)',
        'b: 1 seeds, no failure (10 s)',
        'Replay:',
        '  AISLE_FUZZ_SEED=2 npx vitest run a',
        '  AISLE_FUZZ_SEED=3 npx vitest run a',
      ].join('\n'),
    );
    expect(summarise([{ file: 'b', seed: 9, passed: true, seconds: 0.4 }], 5)).toBe(
      'b: 1 seeds, no failure (0 s)',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { paintSourceOf, summariseVisits, type StartupVisit } from './startup';
import { parseBenchArgs } from './options';
import { startupLines } from './table';

describe('the startup section', () => {
  const visits: StartupVisit[] = [
    { firstCardMs: 900, marks: { 'worker-started': 100, 'first-rows-posted': 800 } },
    { firstCardMs: 1100, marks: { 'worker-started': 300, 'first-rows-posted': 1000 } },
    // a visit whose worker never said it started (an older build): the phase counts 2 of 3 visits
    { firstCardMs: 1300, marks: { 'first-rows-posted': 1200 } },
  ];

  it('orders the marks by when they happened and gives p50/p95 and the step from the mark before', () => {
    const summary = summariseVisits(visits);
    expect(summary.visits).toBe(3);
    // first card: 900, 1100, 1300 -> p50 1100; p95 at position 1.9 = 1100 + 0.9 * 200 = 1280
    expect(summary.firstCardP50Ms).toBe(1100);
    expect(summary.firstCardP95Ms).toBeCloseTo(1280, 9);
    expect(summary.phases.map((phase) => phase.name)).toEqual([
      'worker-started',
      'first-rows-posted',
      'first-card',
    ]);
    const [started, posted, card] = summary.phases;
    // worker-started: 100, 300 -> p50 200, p95 100 + 0.95 * 200 = 290; no mark before it
    expect(started).toMatchObject({ visits: 2, atP50Ms: 200, stepP50Ms: 200 });
    expect(started.atP95Ms).toBeCloseTo(290, 9);
    // rows posted after the start: 700, 700, and 1200 (no start mark: counted from navigation)
    expect(posted).toMatchObject({ visits: 3, atP50Ms: 1000, stepP50Ms: 700 });
    // the card 100 ms after the rows in every visit
    expect(card).toMatchObject({ visits: 3, atP50Ms: 1100, stepP50Ms: 100 });
  });

  it("counts which source painted each first card, by the page's paint-source mark", () => {
    const painted: StartupVisit[] = [
      { firstCardMs: 300, marks: { 'paint-source-build': 290 } },
      { firstCardMs: 310, marks: { 'paint-source-build': 300 } },
      { firstCardMs: 900, marks: { 'paint-source-worker': 880, 'rows-received': 870 } },
    ];
    const summary = summariseVisits(painted);
    expect(summary.paintSources).toEqual({ build: 2, worker: 1 });
    expect(summariseVisits(visits).paintSources).toEqual({ unmarked: 3 });
    expect(paintSourceOf({ 'paint-source-saved': 10 })).toBe('saved');
    expect(paintSourceOf({ 'paint-source-elsewhere': 10 })).toBe('unmarked');
    const lines = startupLines({ ok: true, runs: 3, trainMode: 'full', cold: summary, warm: summary });
    expect(lines[2]).toBe("    painted from: the build's rows 2/3, the worker's answer 1/3");
  });

  it('prints cold and warm against their goals, and a phase that not every visit reached', () => {
    const summary = summariseVisits(visits);
    const lines = startupLines({ ok: true, runs: 3, trainMode: 'full', cold: summary, warm: summary });
    expect(lines[0]).toBe(
      'startup (#/?train=full, production build, 3 runs; cold: a new browser profile, warm: a second visit in it):',
    );
    expect(lines[1]).toBe(
      '  cold: first filled "For you" card p50 1,100 ms, p95 1,280 ms over 3 visits (goal p95 <= 1500 ms)',
    );
    expect(lines[2]).toBe('    painted from: no paint-source mark 3/3');
    expect(lines[3]).toContain('worker-started');
    expect(lines[3]).toContain('[2/3 visits]');
    expect(lines).toContainEqual(expect.stringContaining('warm: first filled "For you" card p50 1,100 ms'));
    expect(lines).toContainEqual(expect.stringContaining('(goal p95 <= 800 ms)'));
    expect(startupLines({ ok: false, error: 'no cards' })).toEqual([
      'startup: could not be measured: no cards',
    ]);
  });

  it('is asked for on the command line, and can run alone', () => {
    expect(parseBenchArgs([], 'x')).toMatchObject({ startupRuns: 5, startupOnly: false });
    expect(parseBenchArgs(['--quick'], 'x').startupRuns).toBe(3);
    expect(parseBenchArgs(['--startup-runs', '0', '--startup-only'], 'x')).toMatchObject({
      startupRuns: 0,
      startupOnly: true,
    });
  });
});

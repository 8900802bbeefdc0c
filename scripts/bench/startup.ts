// Startup: how long a shopper looks at grey placeholders. Each run opens #/ in a new browser
// profile (cold: nothing cached, nothing stored), lets that first visit finish choosing its
// backend, then opens #/ again in the same profile (warm: HTTP cache, IndexedDB and the
// remembered backend in place). Timed from navigation to the first filled "For you" card, seen by
// a MutationObserver in the page. The breakdown is the `aisle:*` performance marks the page sets,
// the store worker's included (it posts each mark's time and the page records it on its own
// timeline), so every phase is measured where it happens.
import type { Browser, Page } from '@playwright/test';
import { quantile } from '../../src/worker/bench/measure';
import { newBenchContext } from './browser';

/** One visit: ms after navigation start. */
export interface StartupVisit {
  firstCardMs: number;
  /** mark name (without the `aisle:` prefix) -> ms after navigation start, first occurrence */
  marks: Record<string, number>;
}

export interface StartupPhase {
  name: string;
  /** how many visits reached this mark */
  visits: number;
  /** when it happened, ms after navigation start */
  atP50Ms: number;
  atP95Ms: number;
  /** time since the mark before it in the same visit (p50 of the per-visit differences) */
  stepP50Ms: number;
}

/** What painted the first card: the build's rows, the last visit's kept rows, or the worker's answer. */
export type PaintSourceSeen = 'build' | 'saved' | 'worker' | 'unmarked';

export interface StartupSummary {
  visits: number;
  /** how many visits each source painted first (the page's `paint-source-*` mark; 'unmarked': an older build) */
  paintSources: Partial<Record<PaintSourceSeen, number>>;
  firstCardMs: number[];
  firstCardP50Ms: number;
  firstCardP95Ms: number;
  /** marks in the order they happened (by p50), the first card last among those before it */
  phases: StartupPhase[];
}

export interface StartupResult {
  ok: true;
  runs: number;
  /** the ?train= mode the store was opened with */
  trainMode: string;
  cold: StartupSummary;
  warm: StartupSummary;
}

export type StartupOutcome = StartupResult | { ok: false; error: string };

const firstCardMark = 'first-card';
const paintSourcePrefix = 'paint-source-';

/** The source a visit's marks name (ui/recsClient.svelte.ts marks one per visit). */
export function paintSourceOf(marks: Record<string, number>): PaintSourceSeen {
  const name = Object.keys(marks).find((mark) => mark.startsWith(paintSourcePrefix));
  const source = name?.slice(paintSourcePrefix.length);
  return source === 'build' || source === 'saved' || source === 'worker' ? source : 'unmarked';
}

/** p50/p95 of the first card and of every mark, phases ordered by when they happen. */
export function summariseVisits(visits: readonly StartupVisit[]): StartupSummary {
  const firstCardMs = visits.map((visit) => visit.firstCardMs);
  const timelines = visits.map((visit): Record<string, number> => ({
    ...visit.marks,
    [firstCardMark]: visit.firstCardMs,
  }));
  const names = [...new Set(timelines.flatMap((marks) => Object.keys(marks)))];
  const atP50 = new Map(
    names.map((name) => [
      name,
      quantile(
        timelines.flatMap((marks) => marks[name] ?? []),
        0.5,
      ),
    ]),
  );
  const ordered = names.sort((a, b) => atP50.get(a)! - atP50.get(b)!);
  const phases = ordered.map((name, position): StartupPhase => {
    const at = timelines.flatMap((marks) => marks[name] ?? []);
    const previous = ordered[position - 1];
    const steps = timelines.flatMap((marks) =>
      marks[name] === undefined ? [] : [marks[name] - (previous ? (marks[previous] ?? 0) : 0)],
    );
    return {
      name,
      visits: at.length,
      atP50Ms: quantile(at, 0.5),
      atP95Ms: quantile(at, 0.95),
      stepP50Ms: quantile(steps, 0.5),
    };
  });
  const paintSources: Partial<Record<PaintSourceSeen, number>> = {};
  for (const visit of visits) {
    const source = paintSourceOf(visit.marks);
    paintSources[source] = (paintSources[source] ?? 0) + 1;
  }
  return {
    visits: visits.length,
    paintSources,
    firstCardMs,
    firstCardP50Ms: quantile(firstCardMs, 0.5),
    firstCardP95Ms: quantile(firstCardMs, 0.95),
    phases,
  };
}

declare global {
  interface Window {
    /** performance.now() when the first "For you" card was in the document */
    __aisleFirstCardAt?: number;
    /** performance.now() at the start of the next frame: the one that draws that card */
    __aisleFirstCardFrameAt?: number;
  }
}

/**
 * Watches the document for the first filled "For you" card, from before the app's first line:
 * a card with its title written (a card is drawn only once its game is known, cover and price with it).
 */
function watchFirstCard(): void {
  const selector = '[data-testid="row-home:forYou"] [data-testid="game-card"] .title';
  const filled = () =>
    [...document.querySelectorAll(selector)].some((title) => (title.textContent ?? '').trim() !== '');
  const observer = new MutationObserver(() => {
    if (window.__aisleFirstCardAt === undefined && filled()) {
      window.__aisleFirstCardAt = performance.now();
      // in the document is not yet on screen: a long task (the bundle running) may come first
      requestAnimationFrame(() => (window.__aisleFirstCardFrameAt = performance.now()));
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
}

async function visit(page: Page, url: string): Promise<StartupVisit> {
  await page.goto(url);
  const firstCard = await page.waitForFunction(() => window.__aisleFirstCardAt, null, {
    // generous: on a loaded machine a cold start has taken minutes
    timeout: 300_000,
    polling: 50,
  });
  const firstCardMs = (await firstCard.jsonValue()) as number;
  const marks = await page.evaluate(() => {
    const found: Record<string, number> = {};
    for (const mark of performance.getEntriesByType('mark')) {
      if (mark.name.startsWith('aisle:') && found[mark.name.slice(6)] === undefined)
        found[mark.name.slice(6)] = mark.startTime;
    }
    // the browser's own steps, so the time before the page script is split too (Navigation and
    // Paint Timing): the HTML received, parsed, and the first frame that drew anything
    const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    if (navigation) {
      found['browser:response-end'] = navigation.responseEnd;
      found['browser:dom-interactive'] = navigation.domInteractive;
    }
    for (const paint of performance.getEntriesByType('paint'))
      found[`browser:${paint.name}`] = paint.startTime;
    // not waited for: in this headless Chromium (SwiftShader compositing beside the WebGPU race and
    // training) a frame has come tens of seconds after the card; only frames already drawn count
    if (window.__aisleFirstCardFrameAt !== undefined)
      found['first-card-frame'] = window.__aisleFirstCardFrameAt;
    return found;
  });
  return { firstCardMs, marks };
}

/** What a first visit does after its rows are on screen and a shopper would still be there for. */
async function letFirstVisitSettle(page: Page, settleMs: number): Promise<void> {
  // the backend is chosen (and remembered) after the first rows; give it the time a shopper would
  await page
    .waitForFunction(() => performance.getEntriesByName('aisle:backend-chosen').length > 0, null, {
      timeout: settleMs,
      polling: 250,
    })
    .catch(() => undefined);
}

export async function measureStartup(
  browser: Browser,
  origin: string,
  runs: number,
  status: (line: string) => void,
  trainMode: string,
  settleMs = 30_000,
): Promise<StartupResult> {
  const url = `${origin}/?train=${trainMode}#/`;
  const cold: StartupVisit[] = [];
  const warm: StartupVisit[] = [];
  for (let run = 0; run < runs; run++) {
    const context = await newBenchContext(browser);
    try {
      await context.addInitScript(watchFirstCard);
      status(`startup: run ${run + 1}/${runs}, cold visit`);
      const first = await context.newPage();
      cold.push(await visit(first, url));
      await letFirstVisitSettle(first, settleMs);
      await first.close();
      status(`startup: run ${run + 1}/${runs}, warm visit`);
      const second = await context.newPage();
      warm.push(await visit(second, url));
      await second.close();
    } finally {
      await context.close();
    }
  }
  return { ok: true, runs, trainMode, cold: summariseVisits(cold), warm: summariseVisits(warm) };
}

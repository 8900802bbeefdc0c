// What the browser does for a click's rows, from Chrome's own trace rather than the bench's stamps:
// opens #/ on the production build (dist/), waits for the store worker's backend, then clicks the
// feedback buttons of "For you" cards N times, GAP ms apart, while tracing, and prints the page's
// main-thread time by event (Paint, Layout, …), the whole-document paints, the raster threads' work
// and how many cards the clicks created. Used for docs/benchmarks.md, 2026-12-02 "Cheaper cards".
// Each figure is the wall time and the thread's CPU time (the trace's tdur): on a loaded machine
// the page's main thread waits for a core most of the wall time, and only the CPU time compares
// builds measured at different loads.
//   node scripts/bench/clickTrace.mjs [clicks=40] [trace.json] (env GAP=400)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { launchChromium, serveBuild } from '../headless.mjs';

const clicks = Number(process.argv[2] ?? 40);
const out = process.argv[3] ?? 'bench-results/click-trace.json';
const gapMs = Number(process.env.GAP ?? 400);
const labels = ['More like', 'Less like', 'Not interested in'];

const served = await serveBuild(new Map(), '/__private/');
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(`${served.origin}/?train=off#/`);
  await page.getByTestId('row-home:forYou').getByTestId('game-card').first().waitFor({ timeout: 120_000 });
  // before the backend is chosen the worker is still starting (and a click would take painted rows down)
  await page.waitForFunction(
    () => {
      const name = document.querySelector('[data-testid=backend-name]')?.textContent?.trim();
      return name && name !== '…';
    },
    null,
    { timeout: 120_000 },
  );
  await page.waitForTimeout(3000);
  await page.evaluate(() => {
    const stats = { added: 0, removed: 0 };
    window.__clickTraceCards = stats;
    const cardsIn = (node) =>
      node.nodeType === 1 ? node.querySelectorAll('.card').length + (node.matches('.card') ? 1 : 0) : 0;
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) stats.added += cardsIn(node);
        for (const node of record.removedNodes) stats.removed += cardsIn(node);
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
  });
  for (let i = 0; i < clicks; i++) {
    await page.evaluate(
      ({ position, label }) => {
        const cards = document.querySelectorAll('[data-testid="row-home:forYou"] [data-testid="game-card"]');
        cards[Math.min(position, cards.length - 1)]?.querySelector(`button[aria-label^="${label}"]`)?.click();
      },
      { position: i % 5, label: labels[i % labels.length] },
    );
    await page.waitForTimeout(gapMs);
  }
  const trace = await browser.stopTracing();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, trace);
  console.log(
    'cards created / removed:',
    JSON.stringify(await page.evaluate(() => window.__clickTraceCards)),
    'elements per "For you" card:',
    await page.evaluate(() => {
      const card = document.querySelector('[data-testid="row-home:forYou"] [data-testid="game-card"]');
      return card ? card.querySelectorAll('*').length + 1 : 0;
    }),
  );
  summarise(JSON.parse(trace.toString()).traceEvents, clicks);
} finally {
  await browser.close();
  served.close();
}

function summarise(events, clickCount) {
  const threadNames = new Map();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args.name);
  const threadOf = (e) => threadNames.get(`${e.pid}:${e.tid}`) ?? '?';
  const totals = new Map();
  const add = (key, e) => {
    const total = totals.get(key) ?? { ms: 0, cpuMs: 0, count: 0 };
    total.ms += e.dur / 1000;
    total.cpuMs += (e.tdur ?? 0) / 1000;
    total.count++;
    totals.set(key, total);
  };
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur) continue;
    const thread = threadOf(e);
    if (thread === 'CrRendererMain') {
      // a frame's paint is one event for #document with its <html> nested inside: count the outer one
      if (e.name === 'Paint' && e.args?.data?.nodeName !== '#document') continue;
      add(`main ${e.name}`, e);
    } else if (e.name === 'RasterTask') add('raster threads RasterTask', e);
  }
  console.log(`over ${clickCount} clicks: wall ms, thread CPU ms, count`);
  const shown = [
    // every task of the main thread (the others are nested in these)
    'RunTask',
    'Paint',
    'PaintImage',
    'Layout',
    'UpdateLayoutTree',
    'PrePaint',
    'Layerize',
    'Commit',
    'FunctionCall',
    'HandlePostMessage',
    'TimerFire',
  ];
  for (const name of [...shown.map((n) => `main ${n}`), 'raster threads RasterTask']) {
    const total = totals.get(name) ?? { ms: 0, cpuMs: 0, count: 0 };
    console.log(`  ${name}: ${total.ms.toFixed(1)} ms, CPU ${total.cpuMs.toFixed(1)} ms, ${total.count}`);
  }
}

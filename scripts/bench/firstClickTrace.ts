// What the browser does between the storefront's first feedback click and the frame that shows
// its rows, from Chrome's own trace: the bench's storefront flow (the same probe, `?train=`, the
// wait for learning to settle) up to its first click, traced with the devtools.timeline
// categories, then every main-thread task and rendering step between the click and the probe's
// "painted" stamp, longest first. PROBE=0 opens the page without the bench's probe (a plain
// Playwright flow), to tell the app's cost from the harness's. TRACE=0 runs it untraced (tracing
// itself keeps the compositor producing frames and hid the stall this was written to find), and
// prints the page's long-animation-frame entries instead. BACKEND=wasm pins the store's backend
// (no race); IDLE_RAF=1 first times a bare requestAnimationFrame on the idle page, no click.
//   npx tsx scripts/bench/firstClickTrace.ts [trace.json]  (env TRACE=0, PROBE=0, BACKEND=, IDLE_RAF=1, NO_WEBGPU=1, TRAIN=off)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium } from '@playwright/test';
import { findChromium, quietArgs, webgpuArgs } from '../ensureChromium.mjs';
import { serveBuild } from '../headless.mjs';
import { installStorefrontProbe } from './storefrontProbe';

const out = process.argv[2] ?? 'bench-results/first-click-trace.json';
const withProbe = process.env.PROBE !== '0';
const train = process.env.TRAIN ?? 'off';
const traced = process.env.TRACE !== '0';
// `?backend=` pins the store's backend (no race); unset, the store races as the bench's page does
const backendQuery = process.env.BACKEND ? `&backend=${process.env.BACKEND}` : '';

interface TraceEvent {
  ph: string;
  name: string;
  cat: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: Record<string, unknown> };
}

const served = await serveBuild(new Map(), '/__private/');
// NO_WEBGPU=1: no WebGPU adapter, so the store's backend race measures wasm and webgl only
const browser = await chromium.launch({
  executablePath: findChromium(),
  args: [...(process.env.NO_WEBGPU === '1' ? [] : webgpuArgs), ...quietArgs],
});
try {
  const page = await browser.newPage();
  if (withProbe) {
    await page.addInitScript({ content: 'globalThis.__name ??= (target) => target;' });
    await page.addInitScript(installStorefrontProbe);
  }
  await page.goto(`${served.origin}/?train=${train}${backendQuery}#/`);
  await page.getByTestId('row-home:forYou').getByTestId('game-card').first().waitFor({ timeout: 120_000 });
  if (withProbe)
    await page.waitForFunction(
      () => ['ready', 'failed', 'off'].includes(window.__aisleBenchLearning ?? ''),
      null,
      { timeout: 120_000, polling: 500 },
    );
  else await page.waitForTimeout(3_000);
  await page.waitForTimeout(500);
  if (traced)
    await browser.startTracing(page, {
      categories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'disabled-by-default-devtools.timeline.frame',
        'blink.user_timing',
        'v8.execute',
      ],
    });
  if (process.env.IDLE_RAF === '1')
    for (let i = 0; i < 3; i++) {
      const idleFrame = await page.evaluate(async () => {
        const asked = performance.now();
        const ran = await new Promise<number>((resolve) =>
          requestAnimationFrame(() => resolve(performance.now())),
        );
        // a DOM change that needs a new frame, with nothing of the app's in it
        document.body.style.outline = document.body.style.outline ? '' : '1px solid transparent';
        const ranAfterChange = await new Promise<number>((resolve) =>
          requestAnimationFrame(() => resolve(performance.now())),
        );
        return { rafMs: ran - asked, rafAfterChangeMs: ranAfterChange - ran };
      });
      console.log(
        `idle page, no click: rAF after ${idleFrame.rafMs.toFixed(1)} ms, again after a style change ${idleFrame.rafAfterChangeMs.toFixed(1)} ms`,
      );
      await page.waitForTimeout(1_000);
    }
  const stamps = await page.evaluate(async () => {
    const long: unknown[] = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) long.push(e.toJSON());
    }).observe({ type: 'long-animation-frame' });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) long.push(e.toJSON());
    }).observe({ type: 'longtask' });
    (window as unknown as { __long: unknown[] }).__long = long;
    performance.mark('trace:clicked');
    const clicked = performance.now();
    const card = document.querySelector('[data-testid="row-home:forYou"] [data-testid="game-card"]');
    card?.querySelector<HTMLButtonElement>('button[aria-label^="More like"]')?.click();
    // a frame of our own, as the probe does: rAF, then the first task after that frame's rendering
    const painted = await new Promise<number>((resolve) => {
      const start = performance.now();
      const poll = () => {
        const reply = (window.__aisleBenchRanked ?? []).findLast((r) => r.at >= clicked);
        if (reply?.painted !== undefined || performance.now() - start > 10_000) {
          resolve(reply?.painted ?? NaN);
          return;
        }
        setTimeout(poll, 5);
      };
      poll();
    });
    const reply = (window.__aisleBenchRanked ?? []).findLast((r) => r.at >= clicked);
    return {
      clicked,
      received: reply?.at ?? NaN,
      rendered: reply?.rendered ?? NaN,
      nextFrame: reply?.nextFrame ?? NaN,
      painted,
    };
  });
  const rel = (t: number) => (Number.isNaN(t) ? 'n/a' : `${(t - stamps.clicked).toFixed(1)} ms`);
  console.log(
    `backend ${process.env.BACKEND ?? 'raced'}, probe ${withProbe}, traced ${traced}: rows back ${rel(stamps.received)}, in DOM ${rel(stamps.rendered)}, ` +
      `rAF ${rel(stamps.nextFrame)}, painted ${rel(stamps.painted)}`,
  );
  await page.waitForTimeout(500);
  const long = (await page.evaluate(() => (window as unknown as { __long: unknown[] }).__long)) as {
    entryType: string;
    startTime: number;
    duration: number;
    renderStart?: number;
    styleAndLayoutStart?: number;
    blockingDuration?: number;
    scripts?: {
      invoker: string;
      duration: number;
      startTime: number;
      sourceURL: string;
      sourceFunctionName: string;
    }[];
  }[];
  for (const e of long)
    console.log(
      `  ${e.entryType} +${(e.startTime - stamps.clicked).toFixed(1)} dur ${e.duration.toFixed(1)}` +
        (e.renderStart
          ? ` renderStart +${(e.renderStart - stamps.clicked).toFixed(1)} styleLayout +${((e.styleAndLayoutStart ?? 0) - stamps.clicked).toFixed(1)}`
          : '') +
        (e.scripts ?? [])
          .map(
            (x) =>
              `\n      script ${x.invoker} +${(x.startTime - stamps.clicked).toFixed(1)} ${x.duration.toFixed(1)} ms ${x.sourceFunctionName}`,
          )
          .join(''),
    );
  if (traced) {
    await page.waitForTimeout(2_000);
    const trace = await browser.stopTracing();
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, trace);
    summarise((JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] }).traceEvents);
  }
} finally {
  await browser.close();
  served.close();
}

function summarise(events: TraceEvent[]) {
  const threads = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
  const mark = events.find((e) => e.name === 'trace:clicked');
  if (!mark) return console.log('no click mark in the trace');
  const main = (e: TraceEvent) => e.pid === mark.pid && e.tid === mark.tid;
  const from = mark.ts;
  const until = from + 3_000_000;
  const inWindow = events.filter((e) => e.ts >= from - 1000 && e.ts <= until && e.ph === 'X');
  console.log('main-thread events over 2 ms in the 3 s after the click (start, wall, cpu, name, detail):');
  for (const e of inWindow.filter((x) => main(x) && (x.dur ?? 0) > 2000))
    console.log(
      `  +${((e.ts - from) / 1000).toFixed(1)} ${((e.dur ?? 0) / 1000).toFixed(1)} ` +
        `${((e.tdur ?? 0) / 1000).toFixed(1)} ${e.name} ${JSON.stringify(e.args?.data ?? {}).slice(0, 160)}`,
    );
  console.log('frame pipeline events in the window (any thread):');
  for (const e of events
    .filter(
      (x) =>
        x.ts >= from &&
        x.ts <= until &&
        /BeginFrame|DrawFrame|Commit|ActivateLayerTree|NeedsBeginFrameChanged|DroppedFrame|Screenshot|RequestMainThreadFrame|BeginMainThreadFrame/.test(
          x.name,
        ),
    )
    .slice(0, 60))
    console.log(
      `  +${((e.ts - from) / 1000).toFixed(1)} ${e.ph} ${((e.dur ?? 0) / 1000).toFixed(1)} ` +
        `${threads.get(`${e.pid}:${e.tid}`) ?? e.tid} ${e.name}`,
    );
}

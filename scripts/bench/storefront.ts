// Storefront latency: the store's own worker on the real Steam data, driven through #/ like a
// shopper. Each event is a click on a "For you" card's feedback button (more / less / hide),
// which records a shopper event and makes Home ask the worker for fresh rows. A probe in the page
// (storefrontProbe.ts) stamps each hop of the round trip off the wire, so the store's code is
// measured exactly as it ships.
import { writeFile } from 'node:fs/promises';
import type { StoreTrainMode } from './options';
import type { BrowserContext, Page } from '@playwright/test';
import type { BackendName } from '../../src/data/records';
import type { ForYouQuality } from '../../src/recs/forYouQuality';
import { mean, quantile } from '../../src/worker/bench/measure';
import { summariseClicks, type ClickProfile, type ClickStamps } from './clickHops';
import { frameWaitMs, type LongFrame } from './frameWait';
import { installStorefrontProbe, type PostedRecord } from './storefrontProbe';

export interface StorefrontResult {
  ok: true;
  dataset: string;
  backend: BackendName | string;
  events: number;
  /** events after which no new home ranking arrived within the wait */
  unanswered: number;
  /** the store worker's background-learning phase when the events began */
  learningPhase: string;
  /** false when learning was still running (in the trainer worker) during the events */
  learningSettled: boolean;
  /** the ?train= mode the store was opened with */
  trainMode: StoreTrainMode;
  /** whether "For you" was the learned hybrid blend (true) or the baseline blend while timed */
  learnedBlend: boolean;
  /** the store's own measurement of "For you" on held-out players; null when learning had not finished */
  forYou: ForYouQuality | null;
  /** `ranked.ms`: the worker's own time from request to rows */
  workerP50Ms: number;
  workerP95Ms: number;
  workerMeanMs: number;
  /** click -> the `ranked` message reaching the page (event log, Svelte effect, postMessage both ways) */
  roundTripP50Ms: number;
  roundTripP95Ms: number;
  /** the round trip hop by hop (clickHops.ts), up to the DOM update, the next frame and its rendering */
  hops: ClickProfile;
  /** every timed click's stamps in order (the JSON report only): when in a run its slow hops fell */
  clickStamps?: ClickStamps[];
  /** clicks after which the page's DOM had changed by the time the rows were handled */
  domUpdates: number;
  /** click -> the event stored in IndexedDB (off the rows' path: the log writes in batches) */
  storedP50Ms: number;
  storedP95Ms: number;
  /** the run's first click on its own (in every run the slowest candidate), and its warm-up */
  firstClick?: FirstClick;
  /** the worker's profile: time to fold one stored event in (its `profile` statuses' updateMsPerEvent) */
  profile?: ProfileLatency;
}

export interface FirstClick {
  roundTripMs: number;
  toDomMs: number;
  /** null when no frame came within the wait */
  paintedMs: number | null;
  /** how long before the first click the store worker's first-click warm-up ended (mark
   * `aisle:first-click-warmed`); negative: after it; null: none ran (a build without it) */
  warmedBeforeMs: number | null;
  /**
   * of the time to painted, how long the frame that drew the rows waited after the DOM update and
   * the last script of 5 ms or more (frameWait.ts): the browser's own wait; null when that frame was
   * under 50 ms or the browser has no long-animation-frame entries. Absent in older reports.
   */
  frameWaitMs?: number | null;
}

export interface ProfileLatency {
  updates: number;
  updateP50Ms: number;
  updateP95Ms: number;
  /** a shopper's edit (the niche ↔ popular control: the preferences path mutes and boosts take) -> fresh rows */
  edits: number;
  editWorkerP50Ms: number;
  editWorkerP95Ms: number;
  editRoundTripP50Ms: number;
  editRoundTripP95Ms: number;
  /** edit -> the DOM updated with the rows */
  editToDomP50Ms: number;
  editToDomP95Ms: number;
}

export type StorefrontOutcome = StorefrontResult | { ok: false; error: string };

/** Phases after which the store worker has stopped training in the background. */
const settledPhases = ['ready', 'failed', 'off'];

const feedbackButtons = ['More like', 'Less like', 'Not interested in'];
const replyWaitMs = 10_000;

export async function measureStorefront(
  context: BrowserContext,
  origin: string,
  events: number,
  status: (line: string) => void,
  learningWaitMs: number,
  trainMode: StoreTrainMode,
  cpuProfilePath?: string,
): Promise<StorefrontResult> {
  const page = await context.newPage();
  try {
    // tsx (esbuild, keepNames) names the probe's functions with a helper of its own: the page needs it too
    await page.addInitScript({ content: 'globalThis.__name ??= (target) => target;' });
    await page.addInitScript(installStorefrontProbe);
    status('storefront: opening #/');
    await page.goto(`${origin}/?train=${trainMode}#/`);
    const forYou = page.getByTestId('row-home:forYou').getByTestId('game-card');
    await forYou.first().waitFor({ timeout: 180_000 });
    // The store worker trains its models in the background after a first visit, and a ranking
    // request waits behind a training step: measure the steady state once learning has settled,
    // and say so when it had not settled within the wait.
    status('storefront: waiting for background learning to settle');
    const learningSettled = await page
      .waitForFunction(
        (settled) => {
          const phase = window.__aisleBenchLearning;
          return phase !== undefined && settled.includes(phase);
        },
        settledPhases,
        { timeout: learningWaitMs, polling: 500 },
      )
      .then(() => true)
      .catch(() => false);
    const learningPhase = (await page.evaluate(() => window.__aisleBenchLearning)) ?? 'none reported';
    // the backend starts after the first rows: by now it has been chosen (or '…' says it has not)
    const backend = (await page.getByTestId('backend-name').textContent())?.trim() ?? '?';
    const learnedBlend = (await page.evaluate(() => window.__aisleBenchLearnedBlend)) === true;
    const forYouQuality = (await page.evaluate(() => window.__aisleBenchForYou)) ?? null;
    // the first rankings after the swap pay for warm-up; start timing from a settled page
    await page.waitForTimeout(500);

    const profiler = cpuProfilePath ? await startCpuProfile(page) : null;
    const clicks: ClickStamps[] = [];
    let unanswered = 0;
    let domUpdates = 0;
    for (let i = 0; i < events; i++) {
      status(`storefront: event ${i + 1}/${events}`);
      const action: ShopperAction = {
        kind: 'click',
        position: i % 5,
        label: feedbackButtons[i % feedbackButtons.length],
      };
      const outcome = await page.evaluate(actAndTime, { action, waitMs: replyWaitMs });
      if ('error' in outcome) throw new Error(`storefront: ${outcome.error}`);
      if ('unanswered' in outcome) {
        unanswered++;
        continue;
      }
      clicks.push(outcome.stamps);
      if (outcome.mutations > 0) domUpdates++;
      // let the page settle (render, IndexedDB write) before the next event, as a shopper would
      await page.waitForTimeout(50);
    }
    if (profiler) await writeFile(cpuProfilePath!, JSON.stringify(await profiler.stop()));
    const longFrames = await page.evaluate(() => window.__aisleBenchFrames ?? []);
    const warmedAt = await page.evaluate(
      () => performance.getEntriesByName('aisle:first-click-warmed')[0]?.startTime ?? null,
    );
    // the last batch of events is stored after the event log's batch delay
    await page.waitForTimeout(1_000);
    const stored = storedAfter(
      clicks.map((click) => click.clicked),
      await page.evaluate(() => window.__aisleBenchPosted ?? []),
    );
    const profile = await measureProfile(page, events, status);
    const workerMs = clicks.map((click) => click.rowsPosted - click.rankStarted);
    const roundTripMs = clicks.map((click) => click.pageReceived - click.clicked);
    return {
      ok: true,
      profile,
      dataset: 'steam (public/data: catalog.json + community.bin)',
      backend,
      events,
      unanswered,
      learningPhase,
      learningSettled,
      trainMode,
      learnedBlend,
      forYou: forYouQuality,
      workerP50Ms: quantile(workerMs, 0.5),
      workerP95Ms: quantile(workerMs, 0.95),
      workerMeanMs: mean(workerMs),
      roundTripP50Ms: quantile(roundTripMs, 0.5),
      roundTripP95Ms: quantile(roundTripMs, 0.95),
      hops: summariseClicks(clicks),
      clickStamps: clicks,
      domUpdates,
      firstClick: clicks[0] && firstClickOf(clicks[0], warmedAt, longFrames),
      storedP50Ms: quantile(stored, 0.5),
      storedP95Ms: quantile(stored, 0.95),
    };
  } finally {
    await page.close();
  }
}

/** Samples the page's main thread (Chrome DevTools' profiler) until stop() returns the profile. */
async function startCpuProfile(page: Page): Promise<{ stop: () => Promise<unknown> }> {
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 200 });
  await session.send('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.send('Profiler.stop');
      await session.detach();
      return profile;
    },
  };
}

function firstClickOf(click: ClickStamps, warmedAt: number | null, frames: readonly LongFrame[]): FirstClick {
  return {
    frameWaitMs: frameWaitMs(click, frames),
    roundTripMs: click.pageReceived - click.clicked,
    toDomMs: click.rendered - click.clicked,
    paintedMs: click.painted === null ? null : click.painted - click.clicked,
    warmedBeforeMs: warmedAt === null ? null : click.clicked - warmedAt,
  };
}

/** For each click, the time until the event log had stored it (its batch's `profileSync` posted). */
function storedAfter(clickTimes: readonly number[], posted: readonly PostedRecord[]): number[] {
  const syncs = posted.filter((record) => record.type === 'profileSync').map((record) => record.at);
  return clickTimes.flatMap((clicked) => {
    const sync = syncs.find((at) => at >= clicked);
    return sync === undefined ? [] : [sync - clicked];
  });
}

/** What the shopper does: a feedback button on a "For you" card, or the niche ↔ popular control. */
type ShopperAction = { kind: 'click'; position: number; label: string } | { kind: 'edit'; value: number };

type ActOutcome = { error: string } | { unanswered: true } | { stamps: ClickStamps; mutations: number };

/**
 * Runs in the page: does the action, then waits (on the probe's frame event, not by polling)
 * for the frame after the first home reply, and returns that round trip's stamps.
 */
async function actAndTime({
  action,
  waitMs,
}: {
  action: ShopperAction;
  waitMs: number;
}): Promise<ActOutcome> {
  const records = window.__aisleBenchRanked!;
  const posted = window.__aisleBenchPosted!;
  let act: () => void;
  if (action.kind === 'click') {
    const cards = document.querySelectorAll('[data-testid="row-home:forYou"] [data-testid="game-card"]');
    const card = cards[Math.min(action.position, cards.length - 1)];
    const button = card?.querySelector<HTMLButtonElement>(`button[aria-label^="${action.label}"]`);
    if (!button) return { error: `no "${action.label}" button on a For you card` };
    act = () => button.click();
  } else {
    const slider = document.querySelector<HTMLInputElement>('[data-testid="popularity"]');
    if (!slider) return { error: 'no niche ↔ popular control on #/' };
    act = () => {
      slider.value = String(action.value);
      slider.dispatchEvent(new Event('input', { bubbles: true }));
    };
  }
  const before = records.length;
  const postedBefore = posted.length;
  const clicked = performance.now();
  act();
  let deadline = clicked + waitMs;
  for (;;) {
    const reply = records.slice(before).find((record) => record.channel === 'home');
    const now = performance.now();
    // a frame can be slow to come on a loaded machine: the rows are counted without it after a second
    if (reply?.rendered !== undefined && reply.painted === undefined)
      deadline = Math.min(deadline, reply.at + 1_000);
    if (reply?.rendered !== undefined && (reply.painted !== undefined || now >= deadline)) {
      const request = posted
        .slice(postedBefore)
        .find((record) => record.type === 'rank' && record.id === reply.id);
      return {
        mutations: reply.mutations ?? 0,
        stamps: {
          clicked,
          // a reply to a request from before the action has no hop of its own before the worker
          requestPosted: request?.at ?? NaN,
          workerReceived: reply.workerReceived,
          rankStarted: reply.rowsPosted - reply.ms,
          rowsPosted: reply.rowsPosted,
          pageReceived: reply.at,
          rendered: reply.rendered,
          nextFrame: reply.nextFrame ?? null,
          painted: reply.painted ?? null,
        },
      };
    }
    if (now >= deadline) return { unanswered: true };
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(1, deadline - performance.now()));
      addEventListener(
        'aisle-bench-frame',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}

/**
 * The profile's figures: the per-event update times the worker reported while the events
 * above were stored, then `edits` moves of the niche ↔ popular control, each timed from the
 * input to the home rows ranked under the new preferences.
 */
async function measureProfile(
  page: Page,
  edits: number,
  status: (line: string) => void,
): Promise<ProfileLatency> {
  const updates = (await page.evaluate(() => window.__aisleBenchProfileUpdates ?? [])).slice();
  const timed: ClickStamps[] = [];
  for (let i = 0; i < edits; i++) {
    status(`storefront: profile edit ${i + 1}/${edits}`);
    const action: ShopperAction = { kind: 'edit', value: i % 2 === 0 ? 0.2 : 0.8 };
    const outcome = await page.evaluate(actAndTime, { action, waitMs: replyWaitMs });
    if ('error' in outcome) throw new Error(`storefront: ${outcome.error}`);
    if ('unanswered' in outcome) continue;
    timed.push(outcome.stamps);
    await page.waitForTimeout(50);
  }
  const workerMs = timed.map((edit) => edit.rowsPosted - edit.rankStarted);
  const roundTripMs = timed.map((edit) => edit.pageReceived - edit.clicked);
  const toDomMs = timed.map((edit) => edit.rendered - edit.clicked);
  return {
    updates: updates.length,
    updateP50Ms: quantile(updates, 0.5),
    updateP95Ms: quantile(updates, 0.95),
    edits: timed.length,
    editWorkerP50Ms: quantile(workerMs, 0.5),
    editWorkerP95Ms: quantile(workerMs, 0.95),
    editRoundTripP50Ms: quantile(roundTripMs, 0.5),
    editRoundTripP95Ms: quantile(roundTripMs, 0.95),
    editToDomP50Ms: quantile(toDomMs, 0.5),
    editToDomP95Ms: quantile(toDomMs, 0.95),
  };
}

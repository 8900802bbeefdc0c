// Storefront latency: the store's own worker on the real Steam data, driven through #/ like a
// shopper. Each event is a click on a "For you" card's feedback button (more / less / hide),
// which records a shopper event and makes Home ask the worker for fresh rows. We read the
// worker's `ranked` statuses off the wire (a listener added to every Worker the page creates),
// so the store's code is measured exactly as it ships.
import type { StoreTrainMode } from './options';
import type { BrowserContext, Page } from '@playwright/test';
import type { BackendName } from '../../src/data/records';
import type { ForYouQuality } from '../../src/recs/forYouQuality';
import { mean, quantile } from '../../src/worker/bench/measure';

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
  /** the worker's profile: time to fold one stored event in (its `profile` statuses' updateMsPerEvent) */
  profile?: ProfileLatency;
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
}

export type StorefrontOutcome = StorefrontResult | { ok: false; error: string };

interface RankedRecord {
  channel: string;
  ms: number;
  at: number;
}

declare global {
  interface Window {
    __aisleBenchRanked?: RankedRecord[];
    /** the store worker's latest background-learning phase ('checking', 'training', 'ready', …) */
    __aisleBenchLearning?: string;
    /** true once the worker has announced a fitted hybrid blend (the learned "For you") */
    __aisleBenchLearnedBlend?: boolean;
    /** updateMsPerEvent of each 'profile' status after an incremental update */
    __aisleBenchProfileUpdates?: number[];
    /** the store worker's measurement of "For you", from its last `models` status */
    __aisleBenchForYou?: ForYouQuality;
  }
}

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
): Promise<StorefrontResult> {
  const page = await context.newPage();
  try {
    await page.addInitScript(() => {
      const records: RankedRecord[] = [];
      window.__aisleBenchRanked = records;
      const profileUpdates: number[] = [];
      window.__aisleBenchProfileUpdates = profileUpdates;
      const NativeWorker = window.Worker;
      window.Worker = class extends NativeWorker {
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          this.addEventListener('message', (event: MessageEvent) => {
            const data = event.data as {
              type?: string;
              channel?: string;
              ms?: number;
              phase?: string;
              hybrid?: unknown;
              profile?: { updateMsPerEvent: number | null };
              forYou?: ForYouQuality | null;
            } | null;
            if (data?.type === 'ranked')
              records.push({ channel: data.channel!, ms: data.ms!, at: performance.now() });
            if (data?.type === 'learning') window.__aisleBenchLearning = data.phase;
            if (data?.type === 'models' && data.hybrid) window.__aisleBenchLearnedBlend = true;
            const perEvent = data?.type === 'profile' ? data.profile?.updateMsPerEvent : null;
            if (perEvent !== null && perEvent !== undefined) profileUpdates.push(perEvent);
            if (data?.type === 'models' && data.forYou) window.__aisleBenchForYou = data.forYou;
          });
        }
      };
    });
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

    const workerMs: number[] = [];
    const roundTripMs: number[] = [];
    let unanswered = 0;
    for (let i = 0; i < events; i++) {
      status(`storefront: event ${i + 1}/${events}`);
      const outcome = await page.evaluate(
        async ({ position, label, waitMs }) => {
          const records = window.__aisleBenchRanked!;
          const cards = document.querySelectorAll(
            '[data-testid="row-home:forYou"] [data-testid="game-card"]',
          );
          const card = cards[Math.min(position, cards.length - 1)];
          const button = card?.querySelector<HTMLButtonElement>(`button[aria-label^="${label}"]`);
          if (!button) return { error: `no "${label}" button on a For you card` };
          const before = records.length;
          const clicked = performance.now();
          button.click();
          const deadline = clicked + waitMs;
          while (performance.now() < deadline) {
            const reply = records.slice(before).find((record) => record.channel === 'home');
            if (reply) return { workerMs: reply.ms, roundTripMs: reply.at - clicked };
            await new Promise((resolve) => setTimeout(resolve, 2));
          }
          return { unanswered: true };
        },
        { position: i % 5, label: feedbackButtons[i % feedbackButtons.length], waitMs: replyWaitMs },
      );
      if ('error' in outcome) throw new Error(`storefront: ${outcome.error}`);
      if ('unanswered' in outcome) {
        unanswered++;
        continue;
      }
      workerMs.push(outcome.workerMs);
      roundTripMs.push(outcome.roundTripMs);
      // let the page settle (render, IndexedDB write) before the next event, as a shopper would
      await page.waitForTimeout(50);
    }
    const profile = await measureProfile(page, events, status);
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
    };
  } finally {
    await page.close();
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
  // the last batch of events reaches the worker after the event log's batch delay
  await page.waitForTimeout(1_000);
  const updates = (await page.evaluate(() => window.__aisleBenchProfileUpdates ?? [])).slice();
  const workerMs: number[] = [];
  const roundTripMs: number[] = [];
  for (let i = 0; i < edits; i++) {
    status(`storefront: profile edit ${i + 1}/${edits}`);
    const outcome = await page.evaluate(
      async ({ value, waitMs }) => {
        const records = window.__aisleBenchRanked!;
        const slider = document.querySelector<HTMLInputElement>('[data-testid="popularity"]');
        if (!slider) return { error: 'no niche ↔ popular control on #/' };
        const before = records.length;
        const changed = performance.now();
        slider.value = String(value);
        slider.dispatchEvent(new Event('input', { bubbles: true }));
        const deadline = changed + waitMs;
        while (performance.now() < deadline) {
          const reply = records.slice(before).find((record) => record.channel === 'home');
          if (reply) return { workerMs: reply.ms, roundTripMs: reply.at - changed };
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        return { unanswered: true };
      },
      { value: i % 2 === 0 ? 0.2 : 0.8, waitMs: replyWaitMs },
    );
    if ('error' in outcome) throw new Error(`storefront: ${outcome.error}`);
    if ('unanswered' in outcome) continue;
    workerMs.push(outcome.workerMs);
    roundTripMs.push(outcome.roundTripMs);
    await page.waitForTimeout(50);
  }
  return {
    updates: updates.length,
    updateP50Ms: quantile(updates, 0.5),
    updateP95Ms: quantile(updates, 0.95),
    edits: workerMs.length,
    editWorkerP50Ms: quantile(workerMs, 0.5),
    editWorkerP95Ms: quantile(workerMs, 0.95),
    editRoundTripP50Ms: quantile(roundTripMs, 0.5),
    editRoundTripP95Ms: quantile(roundTripMs, 0.95),
  };
}

// The #/simulate form's entries turned into the simulator's settings, with each problem named.
// Kept apart from the page so it is tested, and so nothing here pulls the simulator itself into
// the main bundle: only types and the defaults' numbers are imported.
import { baseStrategies, type BaseStrategy } from '../../recs/sim/strategies';
import type { SimulationSettings } from '../../recs/sim/settings';
import type { SimulateStage } from '../../worker/sim/protocol';

export interface SimulateFormEntries {
  strategies: Record<BaseStrategy, boolean>;
  offers: boolean;
  shoppers: number;
  seed: number;
  sessions: number;
  budget: number;
  /** the A/B pair, strategy names as listed */
  compareA: string;
  compareB: string;
}

export const maxPageShoppers = 2000;

/** The strategies a form runs, in the fixed order: each selected one, and with offers when on. */
export function formStrategies(entries: Pick<SimulateFormEntries, 'strategies' | 'offers'>): string[] {
  const selected = baseStrategies.filter((base) => entries.strategies[base]);
  return entries.offers ? selected.flatMap((base) => [base, `${base}+offers`]) : selected;
}

export type FormResult = { ok: true; settings: SimulationSettings } | { ok: false; problem: string };

export function toSimulationSettings(entries: SimulateFormEntries, defaults: SimulationSettings): FormResult {
  const strategies = formStrategies(entries);
  if (strategies.length === 0) return { ok: false, problem: 'Choose at least one strategy.' };
  const whole = (value: number, low: number, high: number) =>
    Number.isInteger(value) && value >= low && value <= high;
  if (!whole(entries.shoppers, 1, maxPageShoppers)) {
    return { ok: false, problem: `Shoppers must be a whole number from 1 to ${maxPageShoppers}.` };
  }
  if (!Number.isInteger(entries.seed)) return { ok: false, problem: 'The seed must be a whole number.' };
  if (!whole(entries.sessions, 1, 10))
    return { ok: false, problem: 'Sessions must be a whole number from 1 to 10.' };
  if (!(entries.budget >= 0)) return { ok: false, problem: 'The budget must be 0 dollars or more.' };
  const compare: [string, string] | undefined =
    strategies.includes(entries.compareA) && strategies.includes(entries.compareB)
      ? [entries.compareA, entries.compareB]
      : undefined;
  return {
    ok: true,
    settings: {
      ...defaults,
      strategies,
      shoppers: entries.shoppers,
      seed: entries.seed,
      sessions: entries.sessions,
      offerPolicy: { ...defaults.offerPolicy, budgetPerShopper: entries.budget },
      compare,
    },
  };
}

/** The worker's progress in words for the status line. */
export function describeStage(stage: SimulateStage): string {
  switch (stage.stage) {
    case 'loading':
      return 'Loading the catalog and community data…';
    case 'preparing':
      return `Drawing ${stage.shoppers} shoppers and training the ranker without their later games…`;
    case 'serving':
      return `${stage.strategy}: ${stage.done} of ${stage.total} shoppers`;
    case 'intervals':
      return 'Computing the bootstrap intervals…';
  }
}

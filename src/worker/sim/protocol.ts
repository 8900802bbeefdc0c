// The simulator worker's protocol (worker/sim/simWorker.ts ↔ ui/simulate/Simulate.svelte).
// Plain structured-cloneable values: settings in, progress and the report out.
import type { SimulationSettings } from '../../recs/sim/settings';
import type { SimulationReport } from '../../recs/sim/simulate';

export interface SimulateCommand {
  type: 'simulate';
  id: number;
  /** the folder catalog.json and community.bin are fetched from */
  dataBaseUrl: string;
  settings: SimulationSettings;
}

export type SimulateStage =
  | { stage: 'loading' }
  | { stage: 'preparing'; shoppers: number }
  | { stage: 'serving'; strategy: string; done: number; total: number }
  | { stage: 'intervals' };

export type SimulateStatus =
  | ({ type: 'progress'; id: number } & SimulateStage)
  | { type: 'done'; id: number; report: SimulationReport; assumptions: string[] }
  | { type: 'error'; id: number; message: string };

// The simulator's settings and their defaults, apart from the simulator itself so the page can
// build and check settings without loading the simulator (and the store's ranker) into the page.
import { defaultOfferPolicy, type OfferPolicy } from '../offers/types';
import { defaultChoiceModel, type ChoiceModelParams } from './choiceModel';
import { defaultPopulationSettings } from './population';

export interface SimulationSettings {
  strategies: string[];
  shoppers: number;
  seed: number;
  /** rows each shopper is shown, one per session */
  sessions: number;
  rowLength: number;
  /** MMR's weight for the "diverse" strategy */
  diversity: number;
  offerPolicy: OfferPolicy;
  choice: ChoiceModelParams;
  heldOutFraction: number;
  minGames: number;
  resamples: number;
  /** the two strategies of the A/B comparison (B − A); default the first two listed */
  compare?: [string, string];
}

export const defaultSimulationSettings: SimulationSettings = {
  strategies: ['popularity', 'blend'],
  shoppers: 300,
  seed: 1,
  sessions: 3,
  rowLength: 10,
  diversity: 0.5,
  offerPolicy: defaultOfferPolicy,
  choice: defaultChoiceModel,
  ...defaultPopulationSettings,
  resamples: 1000,
};

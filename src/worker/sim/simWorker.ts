// The simulator's worker: loads the store's data once, then runs each simulation the page asks
// for, so drawing the population, training the ranker and serving every shopper never hold up
// the page. The simulation itself is recs/sim/, the same code `npm run simulate` runs in Node.
// first: no other module of this worker runs before the network guard is in place
import '../guard/installGuard';
import { choiceModelAssumptions } from '../../recs/sim/choiceModel';
import {
  prepareSimulation,
  runSimulation,
  worldFromFiles,
  type SimulationWorld,
} from '../../recs/sim/simulate';
import { fetchStoreFiles } from '../storeFiles';
import type { SimulateCommand, SimulateStatus } from './protocol';

const post = (status: SimulateStatus) => self.postMessage(status);
let world: Promise<SimulationWorld> | null = null;

async function loadWorld(dataBaseUrl: string): Promise<SimulationWorld> {
  const { games, communityBytes } = await fetchStoreFiles(dataBaseUrl);
  return worldFromFiles({ games }, communityBytes);
}

async function simulate({ id, dataBaseUrl, settings }: SimulateCommand): Promise<void> {
  try {
    post({ type: 'progress', id, stage: 'loading' });
    world ??= loadWorld(dataBaseUrl);
    const loaded = await world.catch((error: unknown) => {
      world = null;
      throw error;
    });
    post({ type: 'progress', id, stage: 'preparing', shoppers: settings.shoppers });
    const prepared = await prepareSimulation(loaded, settings);
    const report = await runSimulation(prepared, settings, ({ strategy, done, total }) => {
      if (strategy === 'intervals') post({ type: 'progress', id, stage: 'intervals' });
      else if (done % 10 === 0 || done === total)
        post({ type: 'progress', id, stage: 'serving', strategy, done, total });
    });
    post({ type: 'done', id, report, assumptions: choiceModelAssumptions(settings.choice) });
  } catch (error) {
    post({ type: 'error', id, message: error instanceof Error ? error.message : String(error) });
  }
}

self.onmessage = (message: MessageEvent<SimulateCommand>) => void simulate(message.data);

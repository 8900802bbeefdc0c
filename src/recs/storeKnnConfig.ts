// The store's co-occurrence kNN configuration, in a module of its own: the build fits the store's
// neighbour tables with it (scripts/build/storeNeighbourFiles.ts) without loading the ranking.
import type { ItemKnnConfig } from '../ml/baselines/itemKnn';

/** Each item's best neighbour scores 1, so one history item cannot drown the others. */
export const storeKnnConfig: Partial<ItemKnnConfig> = { normalizeNeighbours: true };

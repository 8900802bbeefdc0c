// Where tests find the public datasets: ../shared/datasets beside the repository (the
// developers' machines and CI lay a copy there), or $AISLE_DATASETS. Node-only, tests only.
import { resolve } from 'node:path';

export const sharedDatasets = process.env.AISLE_DATASETS ?? resolve(process.cwd(), '../shared/datasets');

export const datasetPath = (...parts: string[]): string => resolve(sharedDatasets, ...parts);

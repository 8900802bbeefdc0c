// The learned models behind one factory, for the worker and the benchmark runner.
import type { Recommender } from '../recommender';
import { createGru, type GruConfig } from './gru';
import { createMf, type MfConfig } from './mf';
import { createSasrec, type SasrecConfig } from './sasrec';

export { createGru, defaultGruConfig, GruRecommender, type GruConfig } from './gru';
export { createMf, defaultMfConfig, MfRecommender, type MfConfig, type MfLoss } from './mf';
export { createSasrec, defaultSasrecConfig, SasrecRecommender, type SasrecConfig } from './sasrec';
export type { SequenceLoss, SequentialConfig } from './sequential';

export type LearnedModelName = 'mf' | 'sasrec' | 'gru';

export interface LearnedModelConfigs {
  mf: Partial<MfConfig>;
  sasrec: Partial<SasrecConfig>;
  gru: Partial<GruConfig>;
}

export function createLearnedModel<N extends LearnedModelName>(
  name: N,
  config: LearnedModelConfigs[N] = {},
): Recommender {
  switch (name) {
    case 'mf':
      return createMf(config as Partial<MfConfig>);
    case 'sasrec':
      return createSasrec(config as Partial<SasrecConfig>);
    case 'gru':
      return createGru(config as Partial<GruConfig>);
    default:
      throw new Error(`unknown learned model "${name}"`);
  }
}

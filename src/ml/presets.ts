// Named settings of a model: the published papers' settings, and the settings validated on the
// shared datasets. `npm run eval` runs a model given no config with its validated preset, so a
// first run shows what the model can do here rather than a paper's first setting (docs/lab.md,
// "Presets"). Values are written out in full so a preset does not drift when a default changes.
import type { ModelConfig, ModelName } from './registry';

export interface ModelPreset {
  model: ModelName;
  /** config overrides, as a config file holds them (lab settings such as earlyStoppingPatience included) */
  config: Readonly<ModelConfig>;
  /** where the values come from, and on what they were chosen */
  source: string;
}

export const modelPresets = {
  'sasrec-paper': {
    model: 'sasrec',
    config: {
      maxLen: 50,
      hidden: 50,
      blocks: 2,
      heads: 1,
      dropout: 0.2,
      learningRate: 0.001,
      batchSize: 128,
      loss: 'bce',
    },
    source:
      'SASRec (Kang & McAuley, ICDM 2018): 2 blocks, 1 head, d = 50, dropout 0.2, Adam 0.001, batch 128, one sampled negative (BCE)',
  },
  'gru4rec-paper': {
    model: 'gru',
    config: { maxLen: 50, hidden: 64, dropout: 0.1, learningRate: 0.002, batchSize: 128, loss: 'bce' },
    source:
      "GRU4Rec-style (Hidasi et al., ICLR 2016): one GRU layer, a sampled negative per position; the lab's former GRU defaults, not re-tuned",
  },
  'sasrec-beauty': {
    model: 'sasrec',
    config: {
      loss: 'softmax',
      hidden: 64,
      dropout: 0.5,
      learningRate: 0.003,
      epochs: 12,
      earlyStoppingPatience: 3,
    },
    source:
      'docs/configs/beauty-sasrec.json: full softmax; the epoch kept by validation NDCG@10 on amazon-beauty (hidden, dropout and rate were not swept)',
  },
  'itemknn-beauty': {
    model: 'itemknn',
    config: { neighbours: 50, shrink: 100, proximityDecay: 0.7, historyDecay: 0.5 },
    source:
      'docs/configs/beauty-itemknn.json: the best of a sweep on amazon-beauty’s validation item (docs/lab.md)',
  },
  'itemknn-plain': {
    model: 'itemknn',
    config: { neighbours: 50, shrink: 10, proximityDecay: 1, historyDecay: 1 },
    source:
      'item-kNN without order (the registry defaults): better than itemknn-beauty on Last.fm, where order carries less',
  },
} as const satisfies Record<string, ModelPreset>;

export type PresetName = keyof typeof modelPresets;

export const presetNames = Object.keys(modelPresets) as readonly PresetName[];

/**
 * The preset a model runs with when given no config: the best setting validated on the shared
 * datasets. A model without one here runs with the registry's defaults.
 */
export const validatedPresets: Partial<Record<ModelName, PresetName>> = {
  sasrec: 'sasrec-beauty',
  itemknn: 'itemknn-beauty',
};

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(modelPresets, name);
}

/** The preset by name; an unknown name is an error listing the known ones. */
export function modelPreset(name: string): ModelPreset {
  if (!isPresetName(name))
    throw new RangeError(`unknown preset "${name}"; presets: ${presetNames.join(', ')}`);
  return modelPresets[name];
}

// What the storefront trains, sized for a two-core laptop running WebGPU in software
// (SwiftShader): few epochs, small embeddings, short sequences. 'quick' trains on a sample of
// players for one epoch, so an end-to-end test sees the whole cycle in well under a minute;
// 'tiny' is smaller still, for the fault tests (e2e/faultsTraining.spec.ts), which only need
// training to run its course (two MF epochs, so there is a checkpoint to resume from), not good models.
import type { GruConfig } from '../../ml/models';
import type { StoreTrainingMode } from './protocol';
import type { MfPlan, ProfileEncoderPlan } from './resumableTraining';

export interface StoreTrainingPlan {
  mode: Exclude<StoreTrainingMode, 'off'>;
  /** train on a seeded sample of this many players (all when undefined) */
  maxUsers?: number;
  /**
   * players whose last game is held out: a seeded half fits the blend, the other half measures
   * HR@10 / NDCG@10 and decides what "For you" serves. Of ~16,000 eligible community players,
   * 3,000 keep the fit and the measurement to seconds in the worker (1,500 + 1,500 players: 6.6 s
   * and 18.5 s on a loaded 2-core machine in Node) with intervals of about ±.015 NDCG@10, while
   * every model keeps 98% of the community's games to learn from.
   */
  heldOutPlayers: number;
  mf: MfPlan;
  gru: Partial<GruConfig>;
  /**
   * The learned profile (the GRU with genre-mix and price-band heads), trained last, once "For
   * you" already serves the blend, so it never delays the store. Its heads slow the next-item
   * objective at first (docs/profile-model.md): it gets more steps than the store's GRU (half
   * the batch, three epochs), fewer than the five measured offline.
   */
  profileEncoder: ProfileEncoderPlan;
  seed: number;
}

export const storeTrainingPlans: Record<StoreTrainingPlan['mode'], StoreTrainingPlan> = {
  full: {
    mode: 'full',
    heldOutPlayers: 3000,
    mf: {
      dim: 32,
      epochs: 4,
      batchSize: 2048,
      learningRate: 0.01,
      l2: 1e-4,
      loss: 'bpr',
      foldInL2: 1,
      seed: 42,
    },
    gru: { hidden: 32, maxLen: 20, epochs: 2, batchSize: 256, learningRate: 0.003, dropout: 0.1, seed: 42 },
    profileEncoder: {
      hidden: 32,
      maxLen: 20,
      epochs: 3,
      batchSize: 128,
      learningRate: 0.005,
      dropout: 0.1,
      seed: 42,
    },
    seed: 11,
  },
  quick: {
    mode: 'quick',
    maxUsers: 1500,
    heldOutPlayers: 400,
    mf: {
      dim: 16,
      epochs: 2,
      batchSize: 2048,
      learningRate: 0.02,
      l2: 1e-4,
      loss: 'bpr',
      foldInL2: 1,
      seed: 42,
    },
    gru: { hidden: 16, maxLen: 8, epochs: 1, batchSize: 256, learningRate: 0.005, dropout: 0.1, seed: 42 },
    profileEncoder: {
      hidden: 16,
      maxLen: 8,
      epochs: 1,
      batchSize: 256,
      learningRate: 0.005,
      dropout: 0.1,
      seed: 42,
    },
    seed: 11,
  },
  tiny: {
    mode: 'tiny',
    maxUsers: 300,
    heldOutPlayers: 100,
    mf: {
      dim: 8,
      epochs: 2,
      batchSize: 1024,
      learningRate: 0.02,
      l2: 1e-4,
      loss: 'bpr',
      foldInL2: 1,
      seed: 42,
    },
    gru: { hidden: 8, maxLen: 6, epochs: 1, batchSize: 256, learningRate: 0.005, dropout: 0.1, seed: 42 },
    profileEncoder: {
      hidden: 8,
      maxLen: 6,
      epochs: 1,
      batchSize: 256,
      learningRate: 0.005,
      dropout: 0.1,
      seed: 42,
    },
    seed: 11,
  },
};

/** Any change to a plan changes this, so a model trained under another plan is retrained. */
export function planFingerprint(plan: StoreTrainingPlan, part: 'mf' | 'gru' | 'profileEncoder'): string {
  return JSON.stringify({
    mode: plan.mode,
    maxUsers: plan.maxUsers,
    heldOut: plan.heldOutPlayers,
    config: plan[part],
  });
}

/** The hyperparameters as plain values, for a model card. */
export function plainConfig(config: Record<string, unknown>): Record<string, string | number | boolean> {
  const plain: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      plain[key] = value;
  }
  return plain;
}

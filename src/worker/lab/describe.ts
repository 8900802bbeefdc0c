// Words for a split, shared by the worker and the page. Kept apart from runLab.ts so the page
// can import it without pulling the models (and tfjs) into its bundle.
import type { LabSplitSpec } from './protocol';

/** Leave-one-out reads the last 50 items by default, as SASRec and S3-Rec do. */
export const defaultMaxHistory = 50;

export function describeSplit(split: LabSplitSpec): string {
  switch (split.kind) {
    case 'leave-one-out':
      return `leave-one-out, history up to ${split.maxHistory ?? defaultMaxHistory} items`;
    case 'temporal':
      return `temporal, last ${Math.round(split.testFraction * 100)}% of time for test`;
    case 'random':
      return `random, ${Math.round(split.testFraction * 100)}% of each user for test`;
    case 'k-fold':
      return `${split.folds}-fold over users`;
  }
}

/**
 * The models the lab offers, for the page's checkboxes. The same list as ml/registry's
 * modelNames (a test holds them equal); repeated here so the page does not bundle the models.
 */
export const labModelNames = [
  'popularity',
  'itemknn',
  'ease',
  'mf',
  'sasrec',
  'gru',
  'profileEncoder',
  'imported',
  'hybrid',
] as const;

// The data layer's public API. The Svelte binding (live.svelte.ts) is deliberately not
// re-exported: the worker may import this file, and it must not pull in Svelte.
export type { CartLine, EventKind, Game, SatisfactionAnswer, ShopperEvent } from './types';
export type * from './records';
export type * from './profileTypes';
export { affinityDimensions, profileEditsSchemaVersion, shopperProfileSchemaVersion } from './profileTypes';

export { AisleDb, databaseName, getDb, schemaVersions } from './db';
export {
  EventLog,
  flushOnPageHide,
  functionalEventKinds,
  type EventLogOptions,
  type NewEvent,
  type RecordOptions,
  type WriteFailureListener,
} from './events';
export { createSessionTracker, sessionIdleMs, type SessionTracker } from './session';
export { addToCart, checkout, clearCart, listCart, removeFromCart } from './cart';
export { getSetting, getSettings, resetSetting, setSetting, settingsDefaults } from './settings';
export {
  clearProfile,
  deleteProfileValue,
  getProfileEdits,
  getProfileValue,
  getShopperEmbedding,
  getShopperProfile,
  listProfile,
  profileKeys,
  putProfileEdits,
  putProfileWithEdits,
  putShopperProfile,
  setProfileValue,
  setShopperEmbedding,
} from './profile';
export {
  completeTraining,
  deleteCheckpoint,
  deleteModel,
  getCheckpoint,
  getModel,
  listCheckpoints,
  listModelCards,
  listModels,
  putCheckpoint,
  putModel,
} from './models';
export { addEvalRun, clearEvalRuns, deleteEvalRun, getEvalRun, listEvalRuns } from './evalRuns';
export { deleteDataset, getDataset, listDatasetInfo, putDataset } from './datasets';
export {
  eraseEverything,
  exportAll,
  importAll,
  parseImport,
  type AisleExport,
  type ErasureReport,
  type ImportMode,
  type ImportSummary,
  type ParseResult,
} from './portability';

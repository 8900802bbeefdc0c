// The data layer's public API. The Svelte binding (live.svelte.ts) is deliberately not
// re-exported: the worker may import this file, and it must not pull in Svelte.
export type { CartLine, EventKind, Game, ShopperEvent } from './types';
export type * from './records';

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
  getProfileValue,
  getShopperEmbedding,
  listProfile,
  profileKeys,
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
export { exportAll, importAll, type ImportMode, type ImportSummary } from './portability';
export { parseImport, type AisleExport, type ParseResult } from './exportFormat';
export { eraseEverything, type ErasureReport } from './erase';

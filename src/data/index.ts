// The data layer's public API. It stays free of Svelte: the worker imports this file, and
// a Svelte import here would pull the UI runtime into the worker's bundle.
export type { CartLine, EventKind, Game, SatisfactionAnswer, ShopperEvent } from './types';
export type * from './records';
export { eventRetentionChoices } from './records';
export type * from './profileTypes';
export { affinityDimensions, profileEditsSchemaVersion, shopperProfileSchemaVersion } from './profileTypes';

export { AisleDb, databaseName, getDb, schemaVersions } from './db';
export {
  EventLog,
  deleteEventsOlderThan,
  eventsAfterId,
  functionalEventKinds,
  type EventLogOptions,
  type NewEvent,
  type RecordOptions,
  type StoredListener,
  type WriteFailureListener,
} from './events';
export { createSessionTracker, sessionIdleMs, type SessionTracker } from './session';
export {
  addToCart,
  checkout,
  clearCart,
  listCart,
  purchaseEvents,
  removeFromCart,
  type OfferOf,
} from './cart';
export type { Offer, OfferKind, OfferLine, StoredOffer } from './offerTypes';
export { listOffers, replaceStandingOffers, unreplacedOffers } from './offers';
export { isStorageUnavailable, memoryOnlyNotice, openStorage, type StorageCheck } from './storage';
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
  putCheckpoint,
  putModel,
} from './models';
export { addEvalRun, deleteEvalRun, getEvalRun, listEvalRuns } from './evalRuns';
export { deleteDataset, getDataset, listDatasetInfo, putDataset } from './datasets';
export { exportAll, importAll, type ImportMode, type ImportSummary } from './portability';
export { parseImport, type AisleExport, type ParseResult } from './exportFormat';
export { eraseEverything, onErasedElsewhere, type ErasureReport } from './erase';
export { observeEvents, observeQuery, type Observe } from './live';

// The interpretable shopper profile's public API, for the store worker and the page.
export { applyEvent, computeProfile, emptyProfile, viewProfile } from './profile';
export type { AffinityView, ProfileView, ProfileViewContext } from './profile';
export {
  editsNeedRecompute,
  emptyEdits,
  eventFilter,
  resetEdits,
  setAdjustment,
  setEventExcluded,
  setPriceCeiling,
} from './edits';
export { profileCatalog, type ProfileCatalog } from './catalog';
export {
  communityPurchaseDistributions,
  percentileRank,
  type CommunityPurchaseDistributions,
  type PurchaseSummary,
} from './purchases';
export type { ActivitySummary } from './activity';
export type { ExplorationSummary, PriceSummary } from './priceAndExploration';
export { priceBands, releaseEras, type PriceBand, type ReleaseEra } from './bins';
export { PROFILE_HALF_LIFE_DAYS, eventStrength, eventStrengths } from './weights';

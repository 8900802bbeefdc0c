// Shopping-experience insights: pure functions from the shopper's events to the numbers the
// "Your shopping" page shows. The ratios (rates.ts) take plain counts, for the simulator too.
export { attributePurchases, type PurchaseAttribution } from './attribution';
export {
  computeFunnel,
  type Funnel,
  type FunnelOptions,
  type FunnelStep,
  type FunnelStepName,
} from './funnel';
export { inTimeOrder, pageLabel, rowLabel, rowModel, type RowModel } from './labels';
export { boughtLabel, pathFlows, sessionPath, type PathFlows, type PathLink, type PathNode } from './paths';
export { clickThroughRate, conversionRate, dropOff, median, rate } from './rates';
export {
  recommendationStats,
  unknownModel,
  type RecommendationGrouping,
  type RecommendationStats,
} from './recommendationStats';
export {
  satisfactionByDay,
  satisfactionIntervalMs,
  shouldAskSatisfaction,
  type SatisfactionDay,
} from './satisfaction';
export { sessionsOf, type ShoppingSession } from './sessions';

// How the shopper's stored state becomes the options of their signals (recs/signals.ts): the
// page folds its events with these, and the build folds an empty history with the same, so the
// rows it ranks for a new shopper are asked for exactly as the page asks (worker/store/homeRequest.ts).
import type { ProfileEdits } from '../data/profileTypes';
import { preferencesFromEdits } from './preferences';
import { eventFilter } from './profile/edits';
import type { SignalOptions } from './signals';

export interface ShopperSignalState {
  cart: readonly number[];
  edits: ProfileEdits;
  /** 0 niche … 0.5 as learned … 1 popular */
  popularity: number;
}

export function shopperSignalOptions(
  state: ShopperSignalState,
  usable = eventFilter(state.edits),
): SignalOptions {
  return { cart: state.cart, usable, preferences: preferencesFromEdits(state.edits, state.popularity) };
}

// Domain types shared by every layer. This file imports nothing (no Dexie), so the
// worker, recs/ and ui/ may import it freely.

/** A game in the store. `id` is the dense item index used by every model. */
export interface Game {
  id: number;
  /** Steam app id, kept for credit/links only. */
  appId: string;
  title: string;
  /** Price in US dollars; 0 for free games; null when the source had no usable price. */
  price: number | null;
  genres: string[];
  tags: string[];
  developer: string;
  /** ISO date (YYYY-MM-DD) or null when unknown. */
  released: string | null;
  earlyAccess: boolean;
}

export type EventKind =
  | 'view'
  | 'dwell'
  | 'recClick'
  | 'search'
  | 'cartAdd'
  | 'cartRemove'
  | 'purchase'
  | 'rating'
  | 'notInterested'
  | 'recFeedback'
  | 'impression'
  | 'pageView'
  | 'satisfaction';

/** One thing a shopper did. Stored only on the device. */
export interface ShopperEvent {
  /** Auto-incremented primary key; absent before the event is stored. */
  id?: number;
  kind: EventKind;
  /** Epoch milliseconds. */
  at: number;
  sessionId: string;
  itemId?: number;
  /** Search text ('search'). */
  query?: string;
  /** Where a recommendation was shown ('impression', 'recClick', 'recFeedback', 'notInterested'), e.g. 'home:forYou'. */
  placement?: string;
  /** 0-based position in that row. */
  position?: number;
  /** Time spent on a product page ('dwell'). */
  dwellMs?: number;
  /** 1..5 stars ('rating'). */
  rating?: number;
  /** Thumbs on a recommendation ('recFeedback'). */
  thumbs?: 'up' | 'down';
  /** Price paid ('purchase'): the offered price when an offer applied. */
  price?: number;
  /** The personalised offer that set the price paid ('purchase'), so the insights can measure offers. */
  offerId?: string;
  /**
   * The model whose score contributed most to a recommendation ('impression', 'recClick',
   * 'recFeedback', 'notInterested'), e.g. 'co-occurrence' or 'popularity'.
   */
  model?: string;
  /** The kind of reason the card gave ('impression', 'recClick', ...), e.g. 'becauseYouInteracted'. */
  reason?: string;
  /** The page shown ('pageView'): a route name such as 'home', 'game' or 'cart'. */
  page?: string;
  /** The answer to "Were these picks useful?" ('satisfaction'). */
  answer?: SatisfactionAnswer;
}

/** 'dismissed': the shopper closed the question without answering it. */
export type SatisfactionAnswer = 'useful' | 'notUseful' | 'dismissed';

export interface CartLine {
  itemId: number;
  addedAt: number;
}

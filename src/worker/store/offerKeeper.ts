// The store worker's offers: asked with the shopper's signals, it answers the offers that stand
// for them, made with recs/offers from "For you" and co-ownership, and stored on the device so
// the next visit shows the same ones. Storage failing (no IndexedDB, a full quota) never stops
// the offers: the keeper remembers them for this tab and says why they will not be remembered.
import type { Game } from '../../data/types';
import type { ScoredItem } from '../../ml/recommender';
import { partnerFromNeighbours } from '../../recs/offers/chooseOffers';
import { decideStoreOffers, offerProfileFromSignals, standingOffers } from '../../recs/offers/storeOffers';
import { defaultOfferPolicy, type OfferPolicy, type StoredOffer } from '../../recs/offers/types';
import type { ShopperSignals } from '../../recs/types';

/** Where the keeper reads and writes offers (data/offers.ts in the worker, fakes in tests). */
export interface OfferStore {
  unreplaced(): Promise<StoredOffer[]>;
  replace(offers: readonly StoredOffer[], now: number): Promise<void>;
}

/** The parts of the store's ranking offers are made from. */
export interface OfferSources {
  /** "For you" for these signals, best first */
  forYou(signals: ShopperSignals, k: number, diversity: number): ScoredItem[];
  /** the games most often owned together with `item`, strongest first */
  neighboursOf(item: number): ScoredItem[];
}

export interface OfferKeeperOptions {
  catalog: readonly Game[];
  sources: OfferSources;
  store: OfferStore;
  policy?: OfferPolicy;
  now?: () => number;
}

export interface OfferAnswer {
  offers: StoredOffer[];
  /** why the offers will not be remembered after this tab closes; absent when they were stored */
  problem?: string;
}

/** How many "For you" candidates are asked for: the policy considers only the first few paid ones. */
const candidateCount = 20;

export class OfferKeeper {
  /** the standing offers as last decided, for when storage cannot be read */
  private remembered: StoredOffer[] = [];
  /** How many times forget() was called: an answer begun before the latest one stores nothing. */
  private erasures = 0;
  private readonly prices: Float64Array;
  private readonly policy: OfferPolicy;
  private readonly now: () => number;

  constructor(private readonly options: OfferKeeperOptions) {
    this.prices = Float64Array.from(options.catalog, (game) => game.price ?? 0);
    this.policy = options.policy ?? defaultOfferPolicy;
    this.now = options.now ?? Date.now;
  }

  /**
   * The offers that stand for these signals. If "erase everything" (forget) came while the stored
   * offers were read, the signals are the erased shopper's: nothing is remembered or stored, and
   * the answer is empty (OfferRequests drops it anyway).
   */
  async offersFor(signals: ShopperSignals, diversity: number): Promise<OfferAnswer> {
    const erasure = this.erasures;
    const now = this.now();
    let problem: string | undefined;
    let stored = this.remembered;
    try {
      stored = await this.options.store.unreplaced();
    } catch (error) {
      problem = `Your offers could not be read from this device (${messageOf(error)})`;
    }
    if (erasure !== this.erasures) return { offers: [] };
    const excluded = new Set([...signals.owned, ...signals.hidden]);
    const decision = decideStoreOffers({
      standing: standingOffers(stored, now),
      profile: offerProfileFromSignals(signals, this.prices),
      candidates: this.options.sources.forYou(signals, candidateCount, diversity),
      partnerOf: (item) => partnerFromNeighbours(item, this.options.sources.neighboursOf(item), excluded),
      catalog: this.options.catalog,
      policy: this.policy,
      now,
    });
    this.remembered = decision.offers;
    if (decision.remade && problem === undefined) {
      try {
        await this.options.store.replace(decision.offers, now);
      } catch (error) {
        problem = `Your offers could not be saved on this device (${messageOf(error)})`;
      }
    }
    return problem === undefined
      ? { offers: decision.offers }
      : { offers: decision.offers, problem: `${problem}: they are kept until this tab closes.` };
  }

  /** After "erase everything": nothing of the old offers may come back from memory. */
  forget(): void {
    this.remembered = [];
    this.erasures++;
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

// Offers repository: every personalised offer made to the shopper, kept so two visits show the
// same offers and so the shopper can see every offer ever made to them. Which offers to make is
// decided in recs/offers/; this file only stores them.
import type { AisleDb } from './db';
import type { StoredOffer } from './offerTypes';

/** Every offer made, newest first. */
export async function listOffers(db: AisleDb): Promise<StoredOffer[]> {
  return (await db.offers.toArray()).sort((a, b) => b.madeAt - a.madeAt || a.id.localeCompare(b.id));
}

/** The offers not replaced yet (some may have expired: the caller decides at what time). */
export async function unreplacedOffers(db: AisleDb): Promise<StoredOffer[]> {
  return (await db.offers.toArray()).filter((offer) => offer.withdrawnAt === null);
}

/**
 * The offers that stand from now on. In one transaction, every unreplaced offer not among them is
 * marked replaced at `now` and they are written (an offer made again, say after it expired,
 * overwrites its old row), so a reader never sees two sets standing, or none half-way.
 */
export async function replaceStandingOffers(
  db: AisleDb,
  offers: readonly StoredOffer[],
  now: number,
): Promise<void> {
  const kept = new Set(offers.map((offer) => offer.id));
  await db.transaction('rw', db.offers, async () => {
    const replaced = (await unreplacedOffers(db)).filter((offer) => !kept.has(offer.id));
    await db.offers.bulkPut(replaced.map((offer) => ({ ...offer, withdrawnAt: now })));
    await db.offers.bulkPut([...offers]);
  });
}

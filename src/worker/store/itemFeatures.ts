// The item side of hybrid MF: each game's feature ids (genres, tags, developer — the same ids
// the catalog index uses for content similarity — plus a price band) as the CSR the model
// expects. A game nobody has played yet still gets a vector from what it shares with others.
import type { ItemFeatureCsr } from '../../ml/registry';
import type { CatalogIndex } from '../../recs/catalogIndex';

/** Upper bounds (exclusive) of the price bands, in the catalog's currency; the last band is open. */
export const priceBandLimits = [0.01, 5, 10, 20, 40] as const;
/** unknown price, then one band per limit, then the open top band */
export const priceBandCount = priceBandLimits.length + 2;

export function priceBand(price: number): number {
  if (!Number.isFinite(price)) return 0;
  const band = priceBandLimits.findIndex((limit) => price < limit);
  return 1 + (band < 0 ? priceBandLimits.length : band);
}

export type { ItemFeatureCsr };

export function itemFeatureCsr(index: CatalogIndex): ItemFeatureCsr {
  const catalogFeatures = index.featureNames.length;
  const offsets = new Uint32Array(index.itemCount + 1);
  const ids: number[] = [];
  for (let item = 0; item < index.itemCount; item++) {
    for (const feature of index.itemFeatures[item]) ids.push(feature);
    ids.push(catalogFeatures + priceBand(index.prices[item]));
    offsets[item + 1] = ids.length;
  }
  return { offsets, ids: Int32Array.from(ids), featureCount: catalogFeatures + priceBandCount };
}

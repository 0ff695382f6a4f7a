/**
 * AWS on-demand prices outside us-east-1, from the Spare Cores Navigator database (the SQLite file
 * SpareCores/sc-data shipped until it moved the prices out), merged under the newer karpenter map.
 *
 * Which source wins is decided here and nowhere else (mergeRegionalPrices):
 * - a region the newer source prices keeps the newer price;
 * - the older source fills the regions the newer one lacks, for types both sources know;
 * - except where the two disagree in a region both price (by more than CROSS_CHECK_TOLERANCE):
 *   the list price has moved since the older snapshot (e.g. the 2025 P4/P5 cuts), so its other
 *   regions are stale too and are left out, each named in the catalog's `excluded`.
 */
import type {Catalog, CatalogInstance} from '../../../src/core/catalog/catalog-schema.js'

/** Prices by type, then region (USD per hour). */
export type RegionalPrices = Map<string, Map<string, number>>

/** One row of sc-data's `server_price` table. */
export interface ServerPriceRow {
  vendor_id: string
  datacenter_id: string
  zone_id: string
  server_id: string
  operating_system: string
  allocation: string
  price: number
  price_upfront: number
  price_tiered: string
  currency: string
  duration: string
}

/**
 * The region-wide hourly on-demand Linux prices of one vendor. Rows in another currency (AWS's
 * China regions bill in CNY), with an upfront part, tiers or a zone are not list prices per hour
 * in USD, and are left out.
 */
export function regionalOnDemandPrices(rows: readonly ServerPriceRow[], vendor: string): RegionalPrices {
  const prices: RegionalPrices = new Map()
  for (const row of rows) {
    if (row.vendor_id !== vendor || row.allocation !== 'ONDEMAND' || row.operating_system !== 'Linux') continue
    if (row.currency !== 'USD' || row.duration !== 'HOUR' || row.zone_id !== '') continue
    if (row.price_upfront !== 0 || row.price_tiered !== '[]' || !(row.price > 0)) continue
    let byRegion = prices.get(row.server_id)
    if (!byRegion) prices.set(row.server_id, (byRegion = new Map()))
    byRegion.set(row.datacenter_id, row.price)
  }
  return prices
}

/** Two sources agree on a price when they differ by at most this share of the newer one. */
export const CROSS_CHECK_TOLERANCE = 0.01

export interface CrossCheck {
  type: string
  region: string
  newerUsdPerHour: number
  olderUsdPerHour: number
}

export interface RegionalMerge {
  instances: CatalogInstance[]
  /** Prices the older source added. */
  added: number
  /** Prices both sources have: how many agree, and each that does not. */
  agreed: number
  disagreed: CrossCheck[]
  excluded: NonNullable<Catalog['excluded']>
}

/**
 * The instances of `provider` with the older source's regional prices added under the rule above;
 * each price it adds is credited to `sourceId` in `regionSources`. Other providers pass through.
 */
export function mergeRegionalPrices(
  instances: readonly CatalogInstance[],
  provider: CatalogInstance['provider'],
  older: RegionalPrices,
  sourceId: string,
): RegionalMerge {
  const merge: RegionalMerge = {instances: [], added: 0, agreed: 0, disagreed: [], excluded: []}
  for (const instance of instances) {
    const olderPrices = instance.provider === provider ? older.get(instance.type) : undefined
    if (!olderPrices) {
      merge.instances.push(instance)
      continue
    }
    const disagreements: CrossCheck[] = []
    for (const [region, newerUsdPerHour] of Object.entries(instance.priceUsdPerHour)) {
      const olderUsdPerHour = olderPrices.get(region)
      if (olderUsdPerHour === undefined) continue
      if (Math.abs(olderUsdPerHour - newerUsdPerHour) <= CROSS_CHECK_TOLERANCE * newerUsdPerHour) merge.agreed++
      else disagreements.push({type: instance.type, region, newerUsdPerHour, olderUsdPerHour})
    }
    const missing = [...olderPrices.keys()].filter((region) => instance.priceUsdPerHour[region] === undefined).sort()
    if (disagreements.length > 0) {
      merge.disagreed.push(...disagreements)
      const d = disagreements[0] as CrossCheck
      const reason = `the older source (${sourceId}) has $${d.olderUsdPerHour}/h in ${d.region} against $${d.newerUsdPerHour}/h now: its prices for this type are out of date`
      for (const region of missing) merge.excluded.push({provider, type: instance.type, region, reason})
      merge.instances.push(instance)
      continue
    }
    if (missing.length === 0) {
      merge.instances.push(instance)
      continue
    }
    const priceUsdPerHour = {...instance.priceUsdPerHour}
    const regionSources = {...instance.regionSources}
    for (const region of missing) {
      priceUsdPerHour[region] = olderPrices.get(region) as number
      regionSources[region] = sourceId
    }
    merge.added += missing.length
    merge.instances.push({
      ...instance,
      priceUsdPerHour,
      regionSources,
      sources: instance.sources.includes(sourceId) ? instance.sources : [...instance.sources, sourceId],
    })
  }
  return merge
}

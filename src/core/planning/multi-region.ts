/**
 * Active-active across regions: every region serves its share of the traffic and is sized to
 * absorb its part of the largest other region's when that region is lost (N regions survive the
 * loss of any one). Each region is planned as a single-region plan (computePlan) on its sized
 * share of the demand, at its own prices; replication between regions is priced as transfer.
 */
import {egressFor} from '../catalog/catalog-lookup.js'
import type {Catalog} from '../catalog/catalog-schema.js'
import {HOURS_PER_MONTH, type Provider} from '../catalog/providers.js'
import type {
  CapacityPlanDocument,
  DemandMonth,
  RegionPlan,
  RegionsSection,
  ReplicationMonth,
} from '../../contracts/results/plan-document.js'
import {computePlan, type ComputedPlan} from './compute-plan.js'
import type {PlanOptions} from './plan-settings.js'
import type {Demand, PreparedPlan} from './prepared-plan.js'

export interface RegionShare {
  provider: Provider
  region: string
  /** The region's share of the traffic in normal operation, 0–1; the shares sum to 1. */
  share: number
}

export interface Replication {
  /** Bytes each write sends to every other region. */
  bytesPerWrite: number
  /** Writes per request, e.g. 0.1. */
  writeRatio: number
  /** A price per GB that replaces the catalog's inter-region price (and prices what the catalog lacks). */
  usdPerGB?: number
}

/** Billed GB are 2^30 bytes, as the egress tiers are stated. */
const BYTES_PER_GB = 2 ** 30
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600

/**
 * The share of the whole traffic each region is sized for: its own share plus its part of the
 * largest other region's, spread over the survivors in proportion to their shares,
 * s_i / (1 − max_{f≠i} s_f). Three equal regions: 1/3 / (1 − 1/3) = 1/2 each; two regions: all of
 * it each.
 */
export function failoverShares(shares: readonly number[]): number[] {
  return shares.map((share, i) => {
    const largestOther = Math.max(0, ...shares.filter((_, j) => j !== i))
    return shares.length === 1 ? share : share / (1 - largestOther)
  })
}

/** The demand one region plans for: peaks at its sized share, the mean (traffic, egress) at its normal share. */
export function regionDemand(demand: Demand, sizedShare: number, share: number): Demand {
  const scaleMonth = (m: DemandMonth): DemandMonth => ({
    ...m,
    peakRps: m.peakRps * sizedShare,
    peakHi80: m.peakHi80 * sizedShare,
    peakHi95: m.peakHi95 * sizedShare,
    meanRps: m.meanRps * share,
    ...(m.peakQuantiles
      ? {
          peakQuantiles: Object.fromEntries(
            Object.entries(m.peakQuantiles).map(([k, v]) => [k, v * sizedShare]),
          ) as NonNullable<DemandMonth['peakQuantiles']>,
        }
      : {}),
  })
  const scaled: Demand = {...demand, months: demand.months.map(scaleMonth)}
  if (demand.peakPaths) scaled.peakPaths = demand.peakPaths.map((path) => path.map((v) => v * sizedShare))
  // The autoscaling what-if replays a normal week: the region's own share.
  if (demand.week)
    scaled.week = {
      ...demand.week,
      demand: demand.week.demand.map((v) => v * share),
      planned: demand.week.planned.map((v) => v * share),
    }
  if (demand.historyPeaks) scaled.historyPeaks = demand.historyPeaks.map((p) => ({t: p.t, peak: p.peak * share}))
  return scaled
}

/** The price per GB from one region to another: inter-region within a cloud, internet egress across clouds. */
function transferUsdPerGB(
  catalog: Catalog,
  from: RegionShare,
  to: RegionShare,
  replication: Replication,
): number | undefined {
  if (replication.usdPerGB !== undefined) return replication.usdPerGB
  const egress = egressFor(catalog, from.provider, from.region)
  if (from.provider === to.provider) return egress?.interRegionUsdPerGB
  // To another cloud the data leaves over the internet: its first paid tier.
  return egress?.tiers.find((t) => t.usdPerGB > 0)?.usdPerGB
}

/**
 * Replication per month: each region's writes (its normal share of the month's mean requests ×
 * the write ratio) sent to every other region, priced per destination.
 */
export function replicationMonths(
  catalog: Catalog,
  regions: readonly RegionShare[],
  months: readonly DemandMonth[],
  replication: Replication,
): {months: ReplicationMonth[]; unpriced: string[]} {
  const unpriced = new Set<string>()
  const result = months.map((m) => {
    let gb = 0
    let usd = 0
    for (const from of regions) {
      const sentGB =
        (m.meanRps * from.share * replication.writeRatio * replication.bytesPerWrite * SECONDS_PER_MONTH) / BYTES_PER_GB
      for (const to of regions) {
        if (to === from) continue
        gb += sentGB
        const price = transferUsdPerGB(catalog, from, to, replication)
        if (price === undefined) unpriced.add(`${from.provider} ${from.region} → ${to.provider} ${to.region}`)
        else usd += sentGB * price
      }
    }
    return {month: m.month, startMs: m.startMs, gb, usd}
  })
  return {months: result, unpriced: [...unpriced]}
}

export const ACTIVE_ACTIVE_RULE =
  'active-active: each region serves its share and is sized to absorb its part of the largest other region when that one is lost (N regions survive the loss of any one): sized share = share / (1 − the largest other share), the lost region spread over the rest in proportion to their shares'

/** The plan across regions: each region a single-region plan on its sized share, then the total. */
export function computeRegionalPlan(
  prepared: PreparedPlan,
  options: PlanOptions,
  regions: readonly RegionShare[],
  replication: Replication | undefined,
): ComputedPlan {
  const sized = failoverShares(regions.map((r) => r.share))
  const warnings: string[] = []
  const plans: RegionPlan[] = regions.map((r, i) => {
    const regionOptions: PlanOptions = {
      ...options,
      provider: r.provider,
      region: r.region,
      // Families are named per cloud: another cloud's region chooses its own.
      families: r.provider === options.provider ? options.families : undefined,
    }
    const computed = computePlan(
      {...prepared, demand: regionDemand(prepared.demand, sized[i] as number, r.share)},
      regionOptions,
    )
    for (const w of computed.warnings) {
      const line = `${r.provider} ${r.region}: ${w}`
      if (!warnings.includes(line)) warnings.push(line)
    }
    return {provider: r.provider, region: r.region, share: r.share, sizedShare: sized[i] as number, plan: computed.doc}
  })
  const replicated = replication
    ? replicationMonths(prepared.catalog, regions, prepared.demand.months, replication)
    : undefined
  if (replicated && replicated.unpriced.length > 0)
    warnings.push(
      `warning: the catalog has no transfer price for ${replicated.unpriced.join(', ')}; that replication is counted in GB but not priced (give replication.usdPerGB)`,
    )
  const months = prepared.demand.months.map((m, k) => {
    const byRegion = plans.map((p) => p.plan.plan.months[k])
    const replicationUsd = replicated?.months[k]?.usd ?? 0
    const regionsUsd = byRegion.reduce((s, pm) => s + (pm?.totalUsd ?? 0), 0)
    return {
      month: m.month,
      startMs: m.startMs,
      instances: byRegion.reduce((s, pm) => s + (pm?.instances ?? 0), 0),
      regionsUsd,
      replicationUsd,
      totalUsd: regionsUsd + replicationUsd,
    }
  })
  const section: RegionsSection = {
    rule: ACTIVE_ACTIVE_RULE,
    regions: plans,
    ...(replicated && replication
      ? {
          replication: {
            bytesPerWrite: replication.bytesPerWrite,
            writeRatio: replication.writeRatio,
            months: replicated.months,
          },
        }
      : {}),
    months,
    totals: {
      regionsUsd: months.reduce((s, m) => s + m.regionsUsd, 0),
      replicationUsd: months.reduce((s, m) => s + m.replicationUsd, 0),
      totalUsd: months.reduce((s, m) => s + m.totalUsd, 0),
    },
  }
  // The document leads with the largest region's plan (what single-region readers show), the
  // regions and their total beside it.
  const lead = plans.reduce((a, b) => (b.share > a.share ? b : a))
  const doc: CapacityPlanDocument = {
    ...lead.plan,
    assumptions: [
      `regions: ${plans.map((p) => `${p.provider} ${p.region} ${(p.share * 100).toFixed(0)} % of the traffic, sized for ${(p.sizedShare * 100).toFixed(0)} %`).join('; ')}; ${ACTIVE_ACTIVE_RULE}`,
      ...(replication
        ? [
            `replication: ${replication.bytesPerWrite} bytes per write, ${replication.writeRatio} writes per request, each region's writes sent to every other region at the month's mean load; ${replication.usdPerGB !== undefined ? `$${replication.usdPerGB}/GB as given` : 'priced as inter-region transfer within a cloud (its source region’s price), as internet egress (first paid tier) across clouds'}, in billed GB of 2^30 bytes`,
          ]
        : []),
      ...lead.plan.assumptions,
    ],
    regions: section,
  }
  return {doc, warnings, families: []}
}

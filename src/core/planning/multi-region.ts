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
import {tierComputeUsd} from './tiers.js'
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

/** The region with the largest share: a plan across regions leads with it. */
export function leadRegion<T extends {share: number}>(regions: readonly T[]): T {
  return regions.reduce((a, b) => (b.share > a.share ? b : a))
}

/** The options for planning one place: its provider and region; families are named per cloud, so another cloud's region chooses its own. */
export function optionsIn(options: PlanOptions, place: {provider: Provider; region?: string | undefined}): PlanOptions {
  return {
    ...options,
    provider: place.provider,
    region: place.region,
    families: place.provider === options.provider ? options.families : undefined,
  }
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
      // A passive region writes nothing.
      if (from.share === 0) continue
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

/** Replication between the regions, if asked; the pairs the catalog cannot price are named in `warnings`. */
function replicationWithWarning(
  prepared: PreparedPlan,
  regions: readonly RegionShare[],
  replication: Replication | undefined,
  warnings: string[],
): {months: ReplicationMonth[]} | undefined {
  if (!replication) return undefined
  const replicated = replicationMonths(prepared.catalog, regions, prepared.demand.months, replication)
  if (replicated.unpriced.length > 0)
    warnings.push(
      `warning: the catalog has no transfer price for ${replicated.unpriced.join(', ')}; that replication is counted in GB but not priced (give replication.usdPerGB)`,
    )
  return replicated
}

/** The section's months and totals from each region's fleet and cost per month, and replication. */
function regionsSection(
  mode: RegionsSection['mode'],
  rule: string,
  plans: RegionPlan[],
  demandMonths: readonly DemandMonth[],
  byRegionAt: (k: number) => Array<{instances: number; fleet: string; usd: number}>,
  replication: Replication | undefined,
  replicated: ReplicationMonth[] | undefined,
): RegionsSection {
  const months = demandMonths.map((m, k) => {
    const byRegion = byRegionAt(k)
    const replicationUsd = replicated?.[k]?.usd ?? 0
    const regionsUsd = byRegion.reduce((s, r) => s + r.usd, 0)
    return {
      month: m.month,
      startMs: m.startMs,
      instances: byRegion.reduce((s, r) => s + r.instances, 0),
      byRegion: byRegion.map(({fleet, usd}) => ({fleet, usd})),
      regionsUsd,
      replicationUsd,
      totalUsd: regionsUsd + replicationUsd,
    }
  })
  return {
    mode,
    rule,
    regions: plans,
    ...(replicated && replication
      ? {
          replication: {
            bytesPerWrite: replication.bytesPerWrite,
            writeRatio: replication.writeRatio,
            months: replicated,
          },
        }
      : {}),
    months,
    totals: {
      regionsUsd: months.reduce((s, m) => s + m.regionsUsd, 0),
      replicationUsd: months.reduce((s, m) => s + m.replicationUsd, 0),
      totalUsd: months.reduce((s, m) => s + m.totalUsd, 0),
      byRegionUsd: plans.map((_, i) => months.reduce((s, m) => s + (m.byRegion[i]?.usd ?? 0), 0)),
    },
  }
}

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
    const computed = computePlan(
      {...prepared, demand: regionDemand(prepared.demand, sized[i] as number, r.share)},
      optionsIn(options, r),
    )
    for (const w of computed.warnings) {
      const line = `${r.provider} ${r.region}: ${w}`
      if (!warnings.includes(line)) warnings.push(line)
    }
    return {provider: r.provider, region: r.region, share: r.share, sizedShare: sized[i] as number, plan: computed.doc}
  })
  const replicated = replicationWithWarning(prepared, regions, replication, warnings)
  const section = regionsSection(
    'active-active',
    ACTIVE_ACTIVE_RULE,
    plans,
    prepared.demand.months,
    (k) =>
      plans.map((p) => {
        const pm = p.plan.plan.months[k]
        return {instances: pm?.instances ?? 0, fleet: pm ? `${pm.instances}×${pm.type}` : '', usd: pm?.totalUsd ?? 0}
      }),
    replication,
    replicated?.months,
  )
  // The document leads with the largest region's plan (what single-region readers show), the
  // regions and their total beside it.
  const lead = leadRegion(plans)
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

export const STANDBY_KINDS = ['pilot-light', 'warm', 'hot'] as const
export type StandbyKind = (typeof STANDBY_KINDS)[number]

export interface Failover {
  passive: {provider: Provider; region: string}
  kind: StandbyKind
  /** Warm standby: the share of the full fleet kept running. */
  share: number
  /** Launch to serving, s: the failover's scale-out waits this long (instances launched at once). */
  instanceStartS: number
}

const STANDBY_TEXT: Record<StandbyKind, string> = {
  'pilot-light': 'pilot light (data only: block storage and the database tier kept in sync, no application instances)',
  warm: 'warm standby (the data, and a share of the application fleet running)',
  hot: 'hot standby (the whole fleet running, serving nothing until failover)',
}

/**
 * Active-passive: the active region serves everything and is planned as one region; the passive
 * region is planned as the fleet it needs once it takes over, and keeps running only what its
 * standby keeps (the data; a share of the fleet; or all of it). Failing over adds the rest.
 */
export function computeActivePassivePlan(
  prepared: PreparedPlan,
  options: PlanOptions,
  failover: Failover,
  replication: Replication | undefined,
): ComputedPlan {
  const active = computePlan(prepared, options)
  const {passive} = failover
  const takeover = computePlan(prepared, optionsIn(options, passive))
  const warnings = [...active.warnings]
  for (const w of takeover.warnings) {
    const line = `${passive.provider} ${passive.region}: ${w}`
    if (!warnings.includes(line) && !warnings.includes(w)) warnings.push(line)
  }
  const standbyMonths = takeover.doc.plan.months.map((m) => {
    const appUsd = m.computeUsd - tierComputeUsd(m.tiers)
    const perInstanceUsd = m.instances > 0 ? appUsd / m.instances : 0
    const dataUsd = m.storageUsd + (m.tiers?.database?.costUsd ?? 0)
    const instances =
      failover.kind === 'hot'
        ? m.instances
        : failover.kind === 'warm'
          ? Math.ceil(m.instances * failover.share - 1e-9)
          : 0
    // Of the rest of the bill the standby keeps the data's lines; the traffic's start at failover.
    const dataBillUsd = (m.bill ?? [])
      .filter((l) => l.item === 'database standby' || l.item === 'backups')
      .reduce((sum, l) => sum + l.usd, 0)
    const usd =
      (failover.kind === 'hot' ? m.computeUsd + m.storageUsd : dataUsd + instances * perInstanceUsd) + dataBillUsd
    const addAtFailover = m.instances - instances
    return {
      month: m.month,
      startMs: m.startMs,
      instances,
      addAtFailover,
      readyS: addAtFailover > 0 ? failover.instanceStartS : 0,
      usd,
      type: m.type,
    }
  })
  const regions: RegionShare[] = [
    {provider: options.provider, region: options.region ?? prepared.catalog.defaultRegions[options.provider], share: 1},
    {provider: passive.provider, region: passive.region, share: 0},
  ]
  const replicated = replicationWithWarning(prepared, regions, replication, warnings)
  const sizedShare = failover.kind === 'hot' ? 1 : failover.kind === 'warm' ? failover.share : 0
  const plans: RegionPlan[] = [
    {...(regions[0] as RegionShare), role: 'active', sizedShare: 1, plan: active.doc},
    {...(regions[1] as RegionShare), role: 'passive', sizedShare, plan: takeover.doc},
  ]
  const rule = `active-passive: the active region serves everything; the passive one keeps a ${STANDBY_TEXT[failover.kind]}${failover.kind === 'warm' ? ` of ${(failover.share * 100).toFixed(0)} %` : ''} and, at failover, launches the rest of the fleet it needs at once, serving after an assumed instance start of ${failover.instanceStartS / 60} min (data promotion, DNS and warm-up of caches not included)${options.bill ? '; of the rest of the bill the standby pays its database standby and backups, the traffic lines (load balancer, NAT, cross-zone) from failover' : ''}`
  const section = regionsSection(
    'active-passive',
    rule,
    plans,
    prepared.demand.months,
    (k) => {
      const am = active.doc.plan.months[k]
      const sm = standbyMonths[k]
      return [
        {instances: am?.instances ?? 0, fleet: am ? `${am.instances}×${am.type}` : '', usd: am?.totalUsd ?? 0},
        {instances: sm?.instances ?? 0, fleet: sm ? `${sm.instances}×${sm.type} standby` : '', usd: sm?.usd ?? 0},
      ]
    },
    replication,
    replicated?.months,
  )
  section.standby = {
    kind: failover.kind,
    share: failover.share,
    instanceStartS: failover.instanceStartS,
    months: standbyMonths.map(({type: _type, ...m}) => m),
  }
  const worst = standbyMonths.reduce((a, b) => (b.addAtFailover > a.addAtFailover ? b : a))
  const doc: CapacityPlanDocument = {
    ...active.doc,
    assumptions: [
      `regions: ${rule}; at failover in month ${worst.month} ${passive.provider} ${passive.region} adds ${worst.addAtFailover} × ${worst.type} to its ${worst.instances} (ready after ${failover.instanceStartS / 60} min)`,
      ...(replication
        ? [
            `replication: ${replication.bytesPerWrite} bytes per write, ${replication.writeRatio} writes per request, every write sent to the passive region at the month's mean load, in billed GB of 2^30 bytes`,
          ]
        : []),
      ...active.doc.assumptions,
    ],
    regions: section,
  }
  return {doc, warnings, families: active.families}
}

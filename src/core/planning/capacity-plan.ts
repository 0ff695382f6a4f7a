/**
 * The capacity plan: for each month of the horizon, the peak load to serve, the instances of the
 * cheapest suitable type (scale up or out), redundancy, storage and egress growth, and the cost of
 * each component at list prices (730-hour months). Pure.
 *
 * One margin, stated once: the fleet carries the month's peak at the accepted risk (the peak with
 * at most that share of sample paths above it), at the utilisation ceiling, with the redundancy's
 * spares on top. Every count and cost also comes as a P10/P50/P90 range of what the month would
 * need if it bought only that.
 */
import {egressCostUsd} from '../catalog/catalog-lookup.js'
import {type CatalogEgress, type CatalogInstance} from '../catalog/catalog-schema.js'
import {monthlyCostUsd} from '../catalog/catalog-lookup.js'
import {HOURS_PER_MONTH} from '../catalog/providers.js'
import {sizeTiers, tierComputeUsd, type Tiers} from './tiers.js'
import {grownBy} from './growth.js'
import {DataError} from '../../contracts/errors.js'
import type {CapacityPlanResult, DemandMonth, PlanMonth, PlanOption} from '../../contracts/results/plan-document.js'
import {ascending, inverseCdf, rangeOf, shareAbove} from './risk-sizing.js'

export interface GrowthModel {
  currentPeakRps: number
  /** Growth per month as a fraction, e.g. 0.08. */
  perMonth: number
  kind: 'compound' | 'linear'
  /** Mean load as a share of the peak (for egress), e.g. 0.5. */
  meanToPeak: number
}

const MONTH_MS = (HOURS_PER_MONTH * 3_600_000) as number

/**
 * The GB egress is billed and tiered in: 2^30 bytes. The catalog's AWS tiers are stated that way
 * (the first 10 TB is 10,240 GB, as infracost's data-transfer test prices it), and counting bytes
 * in 10^9 against them overstated the volume by 7.4 %.
 */
export const BYTES_PER_BILLED_GB = 2 ** 30

/** Month starts: the first day of the calendar month `fromMs` is in (month 1 is now), then of each one after. */
export function monthStarts(fromMs: number, months: number): number[] {
  const d = new Date(fromMs)
  return Array.from({length: months}, (_, i) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + i, 1))
}

/**
 * Demand from a stated growth model (no uncertainty band: the band equals the peak), month 1
 * being now: month m's peak is peak₀·(1 + g)^(m − 1) (compound) or peak₀·(1 + g·(m − 1)) (linear).
 */
export function demandFromGrowth(growth: GrowthModel, months: number, fromMs: number): DemandMonth[] {
  return monthStarts(fromMs, months).map((startMs, i) => {
    const m = i + 1
    const peak =
      growth.kind === 'compound'
        ? grownBy(growth.currentPeakRps, growth.perMonth, m)
        : growth.currentPeakRps * (1 + growth.perMonth * (m - 1))
    return {month: m, startMs, peakRps: peak, peakHi80: peak, peakHi95: peak, meanRps: peak * growth.meanToPeak}
  })
}

export type Redundancy = {kind: 'n+k'; spare: number} | {kind: 'zones'; zones: number}

/**
 * Instances that carry `rps` at the target utilisation, plus redundancy: n + k spares, or spread
 * over z zones so that z − 1 zones still carry the load (⌈n/(z−1)⌉ per zone).
 */
export function instancesFor(
  rps: number,
  perInstanceRps: number,
  targetUtilization: number,
  redundancy: Redundancy,
): number {
  return withRedundancy(instancesToCarry(rps, perInstanceRps, targetUtilization), redundancy)
}

/** Instances that carry `rps` at the target utilisation, before any redundancy (at least one). */
function instancesToCarry(rps: number, perInstanceRps: number, targetUtilization: number): number {
  return Math.max(1, Math.ceil(rps / (perInstanceRps * targetUtilization) - 1e-9))
}

/** What remains of `instances` once the redundancy is used up: n without its k spares, or all zones but one. */
export function survivingInstances(instances: number, redundancy: Redundancy): number {
  return redundancy.kind === 'n+k'
    ? Math.max(1, instances - redundancy.spare)
    : (instances * Math.max(1, redundancy.zones - 1)) / redundancy.zones
}

/** `base` instances carry the load; add n + k spares, or spread over z zones so that z − 1 zones still hold `base`. */
export function withRedundancy(base: number, redundancy: Redundancy): number {
  if (redundancy.kind === 'n+k') return base + redundancy.spare
  const perZone = Math.ceil(base / Math.max(1, redundancy.zones - 1))
  return perZone * redundancy.zones
}

export interface PlanCandidate {
  instance: CatalogInstance
  /** On-demand. */
  priceUsdPerHour: number
  /** With `pricing`: the price of that kind (a commitment's, or spot's for the spares). */
  pricedUsdPerHour?: number
}

/** Prices other than on-demand: a commitment for the whole fleet, or spot for the spares above the redundancy floor. */
export type PlanPricing = {kind: '1yr' | '3yr' | 'spot'}

export interface PlanInput {
  demand: DemandMonth[]
  /**
   * Each month's peak on every sample path, in path order (a forecast of a history: path i of two
   * months shares its growth); without it, each month's peakRps is certain.
   */
  peakPaths?: ReadonlyArray<readonly number[]>
  /** The accepted probability that a month's peak exceeds what the fleet carries with its spares used up, e.g. 0.05. */
  risk: number
  /** Sustainable requests/s of one instance of each candidate type (see translate-capacity.ts). */
  perInstanceRps: Readonly<Record<string, number>>
  /**
   * Per sample path, what one instance of `type` carries as a multiple of perInstanceRps (the
   * capacity's uncertainty, capacity-uncertainty.ts); without it, capacity is certain. Ranges only:
   * the fleet is sized on the point capacity, so that every count can be checked by hand.
   */
  capacityFactors?: (type: string) => readonly number[]
  /** The utilisation ceiling: the share of measured capacity an instance may run at. */
  targetUtilization: number
  redundancy: Redundancy
  candidates: PlanCandidate[]
  /** Keep one type for the whole horizon (fewer migrations) instead of the cheapest each month. */
  holdType: boolean
  storage?: {nowGB: number; growthPerMonth: number; usdPerGBMonth: number; kind: string}
  egress?: {bytesPerRequest: number; tiers: CatalogEgress['tiers']}
  /** A cache in front and a database behind the application tier. */
  tiers?: Tiers
  /**
   * Sizing by the SLO (`--size-by slo`): the smallest fleet of `type` whose simulated latency meets
   * the SLO at `rps`, before redundancy. Without it, fleets are sized by the target utilisation.
   */
  sloFleet?: (type: string, rps: number) => number
  /** Without it, on-demand prices. */
  pricing?: PlanPricing
}

/** The share of requests that reach the application tier (a cache in front answers the rest). */
const appShare = (tiers: Tiers | undefined) => 1 - (tiers?.cache?.hitRatio ?? 0)

/** A change of instance type must save at least this share of the remaining months' compute cost. */
export const MIN_SWITCH_SAVING = 0.1

/**
 * @throws DataError without candidates
 */
export function buildCapacityPlan(input: PlanInput): CapacityPlanResult {
  if (input.candidates.length === 0) throw new DataError('no candidate instance types to plan with')
  const perInstance = new Map(
    input.candidates.map((c) => [c.instance.type, input.perInstanceRps[c.instance.type] as number]),
  )
  for (const [type, rps] of perInstance) if (!(rps > 0)) throw new DataError(`no capacity for ${type}`)
  const sloFleet = input.sloFleet
  const share = appShare(input.tiers)
  // The instances that carry `rps` at the application tier, before the redundancy's spares.
  const floor = (candidate: PlanCandidate, rps: number) =>
    sloFleet
      ? sloFleet(candidate.instance.type, rps)
      : instancesToCarry(rps, perInstance.get(candidate.instance.type) as number, input.targetUtilization)
  const pricing = input.pricing
  /** A month of `base` instances of `candidate` plus spares: a commitment prices every instance; spot, the spares (the floor stays on demand). */
  const computeOf = (candidate: PlanCandidate, base: number) => {
    const instances = withRedundancy(base, input.redundancy)
    const at = (n: number, priceUsdPerHour: number) => monthlyCostUsd(n * priceUsdPerHour)
    const onDemandUsd = at(instances, candidate.priceUsdPerHour)
    const priced = candidate.pricedUsdPerHour ?? candidate.priceUsdPerHour
    if (!pricing) return {instances, usd: onDemandUsd, onDemandUsd, spot: 0}
    if (pricing.kind !== 'spot') return {instances, usd: at(instances, priced), onDemandUsd, spot: 0}
    const spot = instances - base
    return {instances, usd: at(base, candidate.priceUsdPerHour) + at(spot, priced), onDemandUsd, spot}
  }
  const monthlyCompute = (candidate: PlanCandidate, rps: number) => computeOf(candidate, floor(candidate, rps))

  // Each month's peak over the paths, ascending, and the peak sized for: at most `risk` of the paths above it.
  const sortedPeaks = input.demand.map((m, i) => ascending(input.peakPaths?.[i] ?? [m.peakRps]))
  const sizedPeaks = sortedPeaks.map((peaks) => inverseCdf(peaks, 1 - input.risk))
  const tiersAt = (peakRps: number, month: number) => (input.tiers ? sizeTiers(peakRps, month, input.tiers) : undefined)
  const sizedByMonth = input.demand.map((m, i) => tiersAt(sizedPeaks[i] as number, m.month))
  // The demand that reaches the application tier each month (a cache in front answers the rest).
  const rpsByMonth = sizedPeaks.map((peak) => peak * share)
  /** Compute cost of holding `c` from month index `from` to the end. */
  const remainingCost = (c: PlanCandidate, from: number) =>
    rpsByMonth.slice(from).reduce((sum, rps) => sum + monthlyCompute(c, rps).usd, 0)

  const options: PlanOption[] = input.candidates
    .map((c) => ({
      type: c.instance.type,
      vcpu: c.instance.vcpu,
      perInstanceRps: perInstance.get(c.instance.type) as number,
      horizonComputeUsd: remainingCost(c, 0),
      firstMonthInstances: monthlyCompute(c, rpsByMonth[0] as number).instances,
      lastMonthInstances: monthlyCompute(c, rpsByMonth.at(-1) as number).instances,
    }))
    .sort((a, b) => a.horizonComputeUsd - b.horizonComputeUsd)
  const held = input.candidates.find((c) => c.instance.type === options[0]?.type) as PlanCandidate

  // Storage and egress do not depend on the peak: the same on every path.
  const storageAndEgress = input.demand.map((m) => {
    const appStorageGB = input.storage ? grownBy(input.storage.nowGB, input.storage.growthPerMonth, m.month) : 0
    const egressGB = input.egress
      ? (m.meanRps * MONTH_MS * input.egress.bytesPerRequest) / 1000 / BYTES_PER_BILLED_GB
      : 0
    return {
      appStorageGB,
      appStorageUsd: input.storage ? appStorageGB * input.storage.usdPerGBMonth : 0,
      egressGB,
      egressUsd: input.egress ? egressCostUsd(input.egress.tiers, egressGB) : 0,
    }
  })
  /** A month's total for `base` instances of `candidate` and the tiers sized for `peakRps`. */
  const monthTotalUsd = (index: number, candidate: PlanCandidate, base: number, peakRps: number) => {
    const tiers = tiersAt(peakRps, (input.demand[index] as DemandMonth).month)
    const fixed = storageAndEgress[index] as (typeof storageAndEgress)[number]
    return (
      computeOf(candidate, base).usd +
      tierComputeUsd(tiers) +
      (tiers?.database?.storageUsd ?? 0) +
      fixed.appStorageUsd +
      fixed.egressUsd
    )
  }

  const months: PlanMonth[] = []
  const events: string[] = []
  const chosen: PlanCandidate[] = []
  let previous: {type: string; instances: number} | undefined
  // Start on the type cheapest over the whole horizon; change type only when another one, held for
  // the remaining months, saves at least MIN_SWITCH_SAVING of their compute (a migration has costs
  // no catalog prices). --hold-type never changes.
  let choice = held
  for (const [index, m] of input.demand.entries()) {
    const sized = sizedByMonth[index]
    const rps = rpsByMonth[index] as number
    if (!input.holdType && index > 0) {
      const best = input.candidates.reduce((b, c) => (remainingCost(c, index) < remainingCost(b, index) - 1e-9 ? c : b))
      if (best !== choice && remainingCost(best, index) <= (1 - MIN_SWITCH_SAVING) * remainingCost(choice, index))
        choice = best
    }
    chosen.push(choice)
    const cost = monthlyCompute(choice, rps)
    const instances = cost.instances
    const capacityRps = perInstance.get(choice.instance.type) as number
    const surviving = survivingInstances(instances, input.redundancy)
    // Every request the fleet carries at the ceiling, counted before the cache.
    const carried = (n: number) => (n * capacityRps * input.targetUtilization) / share
    const peaks = sortedPeaks[index] as number[]
    const fixed = storageAndEgress[index] as (typeof storageAndEgress)[number]
    // The application's volumes, and every copy of the database's data (primaries and replicas).
    const storageGB = fixed.appStorageGB + (sized?.database?.storedGB ?? 0)
    const withTiers = (usd: number) => usd + tierComputeUsd(sized)
    const computeUsd = withTiers(cost.usd)
    const storageUsd = fixed.appStorageUsd + (sized?.database?.storageUsd ?? 0)
    months.push({
      ...m,
      type: choice.instance.type,
      instances,
      sizedPeakRps: sizedPeaks[index] as number,
      sizedForRps: rps,
      overloadProbability: sloFleet
        ? shareAbove(peaks, sizedPeaks[index] as number)
        : shareAbove(peaks, carried(surviving)),
      ...(sloFleet ? {} : {overloadProbabilityAllUp: shareAbove(peaks, carried(instances))}),
      utilizationAtPeak: rps / (capacityRps * surviving),
      ...(sloFleet
        ? {instancesByUtilization: instancesFor(rps, capacityRps, input.targetUtilization, input.redundancy)}
        : {}),
      range: monthRange(index, choice),
      computeUsd,
      ...(pricing ? {onDemandComputeUsd: withTiers(cost.onDemandUsd)} : {}),
      ...(pricing?.kind === 'spot' ? {spotInstances: cost.spot} : {}),
      storageGB,
      storageUsd,
      egressGB: fixed.egressGB,
      egressUsd: fixed.egressUsd,
      totalUsd: computeUsd + storageUsd + fixed.egressUsd,
      ...(sized && (sized.cache || sized.database || sized.queue)
        ? {tiers: {cache: sized.cache, database: sized.database, queue: sized.queue}}
        : {}),
    })
    if (previous && (previous.type !== choice.instance.type || previous.instances !== instances)) {
      events.push(
        previous.type === choice.instance.type
          ? `month ${m.month}: ${previous.instances} → ${instances} × ${choice.instance.type}`
          : `month ${m.month}: ${previous.instances} × ${previous.type} → ${instances} × ${choice.instance.type}`,
      )
    }
    previous = {type: choice.instance.type, instances}
  }

  /** Path i's demand at the application tier in units of `candidate`'s point capacity: its peak over the capacity factor. */
  function pathDemands(index: number, candidate: PlanCandidate): {peaks: readonly number[]; demands: number[]} {
    const m = input.demand[index] as DemandMonth
    const peaks = input.peakPaths?.[index] ?? [m.peakRps]
    const factors = input.capacityFactors?.(candidate.instance.type) ?? [1]
    const paths = Math.max(peaks.length, factors.length)
    const demands = Array.from(
      {length: paths},
      (_, i) => ((peaks[i % peaks.length] as number) * share) / (factors[i % factors.length] as number),
    )
    return {peaks, demands}
  }

  /** P10/P50/P90 of the instances a month needs and what it costs, bought only as needed. */
  function monthRange(index: number, candidate: PlanCandidate): PlanMonth['range'] {
    const {peaks, demands} = pathDemands(index, candidate)
    const sortedDemands = ascending(demands)
    const sortedPathPeaks = ascending(peaks)
    const at = (q: number) => {
      const base = floor(candidate, inverseCdf(sortedDemands, q))
      return {
        instances: withRedundancy(base, input.redundancy),
        totalUsd: monthTotalUsd(index, candidate, base, inverseCdf(sortedPathPeaks, q)),
      }
    }
    const [p10, p50, p90] = [at(0.1), at(0.5), at(0.9)]
    return {
      instances: {p10: p10.instances, p50: p50.instances, p90: p90.instances},
      totalUsd: {p10: p10.totalUsd, p50: p50.totalUsd, p90: p90.totalUsd},
    }
  }

  /**
   * The horizon's total bought only as needed, path by path (a path's months share its growth and
   * its capacity error). With --size-by slo a simulation per path is too slow: the months' own
   * P10/P50/P90 are added up instead (as if the months moved together: a wider range).
   */
  function horizonRange(): CapacityPlanResult['totals']['totalUsdRange'] {
    if (sloFleet)
      return {
        p10: months.reduce((s, m) => s + m.range.totalUsd.p10, 0),
        p50: months.reduce((s, m) => s + m.range.totalUsd.p50, 0),
        p90: months.reduce((s, m) => s + m.range.totalUsd.p90, 0),
      }
    const byMonth = input.demand.map((_, index) => pathDemands(index, chosen[index] as PlanCandidate))
    const paths = Math.max(...byMonth.map((d) => d.demands.length))
    const totals = Array.from({length: paths}, (_, i) =>
      byMonth.reduce((sum, {peaks, demands}, index) => {
        const candidate = chosen[index] as PlanCandidate
        const demand = demands[i % demands.length] as number
        return sum + monthTotalUsd(index, candidate, floor(candidate, demand), peaks[i % peaks.length] as number)
      }, 0),
    )
    return rangeOf(ascending(totals))
  }

  const sum = (key: 'computeUsd' | 'storageUsd' | 'egressUsd' | 'totalUsd') => months.reduce((s, m) => s + m[key], 0)
  const totals: CapacityPlanResult['totals'] = {
    computeUsd: sum('computeUsd'),
    storageUsd: sum('storageUsd'),
    egressUsd: sum('egressUsd'),
    totalUsd: sum('totalUsd'),
    totalUsdRange: horizonRange(),
  }
  if (pricing) totals.onDemandComputeUsd = months.reduce((s, m) => s + (m.onDemandComputeUsd ?? 0), 0)
  return {risk: input.risk, ...(pricing ? {pricing: pricing.kind} : {}), months, totals, events, options}
}

/**
 * The capacity plan: for each month of the horizon, the peak load to serve, the instances of the
 * cheapest suitable type (scale up or out), redundancy, storage and egress growth, and the cost of
 * each component at list prices (730-hour months). Pure.
 */
import {egressCostUsd} from '../catalog/catalog-lookup.js'
import {type CatalogEgress, type CatalogInstance} from '../catalog/catalog-schema.js'
import {monthlyCostUsd} from '../catalog/catalog-lookup.js'
import {HOURS_PER_MONTH} from '../catalog/providers.js'
import {sizeTiers, type Tiers} from './tiers.js'
import {grownBy} from './growth.js'
import {DataError} from '../../contracts/errors.js'
import {
  sizedPeak,
  type CapacityPlanResult,
  type DemandMonth,
  type PlanMonth,
  type PlanOption,
} from '../../contracts/results/plan-document.js'

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
  /** Sustainable requests/s of one instance of each candidate type (see translate-capacity.ts). */
  perInstanceRps: Readonly<Record<string, number>>
  targetUtilization: number
  redundancy: Redundancy
  /** Which demand figure instances are sized for. */
  sizeOn: 'peak' | 'hi80' | 'hi95'
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
  const byUtilization = (candidate: PlanCandidate, rps: number) =>
    instancesFor(rps, perInstance.get(candidate.instance.type) as number, input.targetUtilization, input.redundancy)
  const sloFleet = input.sloFleet
  // The instances that carry the load, before the redundancy's spares.
  const floor = (candidate: PlanCandidate, rps: number) =>
    sloFleet
      ? sloFleet(candidate.instance.type, rps)
      : instancesToCarry(rps, perInstance.get(candidate.instance.type) as number, input.targetUtilization)
  const fleet = (candidate: PlanCandidate, rps: number) => withRedundancy(floor(candidate, rps), input.redundancy)
  const pricing = input.pricing
  /** A month of `candidate` at `rps`: a commitment prices every instance; spot, the spares above the floor (the floor stays on demand). */
  const monthlyCompute = (candidate: PlanCandidate, rps: number) => {
    const instances = fleet(candidate, rps)
    const at = (n: number, priceUsdPerHour: number) => monthlyCostUsd(n * priceUsdPerHour)
    const onDemandUsd = at(instances, candidate.priceUsdPerHour)
    const priced = candidate.pricedUsdPerHour ?? candidate.priceUsdPerHour
    if (!pricing) return {instances, usd: onDemandUsd, onDemandUsd, spot: 0}
    if (pricing.kind !== 'spot') return {instances, usd: at(instances, priced), onDemandUsd, spot: 0}
    const spot = instances - floor(candidate, rps)
    return {instances, usd: at(instances - spot, candidate.priceUsdPerHour) + at(spot, priced), onDemandUsd, spot}
  }

  // The demand that reaches the application tier each month (a cache in front answers the rest).
  const sizedByMonth = input.demand.map((m) =>
    input.tiers ? sizeTiers(sizedPeak(m, input.sizeOn), m.month, input.tiers) : undefined,
  )
  const rpsByMonth = input.demand.map((m, i) => sizedByMonth[i]?.appRps ?? sizedPeak(m, input.sizeOn))
  /** Compute cost of holding `c` from month index `from` to the end. */
  const remainingCost = (c: PlanCandidate, from: number) =>
    rpsByMonth.slice(from).reduce((sum, rps) => sum + monthlyCompute(c, rps).usd, 0)

  const options: PlanOption[] = input.candidates
    .map((c) => ({
      type: c.instance.type,
      vcpu: c.instance.vcpu,
      perInstanceRps: perInstance.get(c.instance.type) as number,
      horizonComputeUsd: remainingCost(c, 0),
      firstMonthInstances: fleet(c, rpsByMonth[0] as number),
      lastMonthInstances: fleet(c, rpsByMonth.at(-1) as number),
    }))
    .sort((a, b) => a.horizonComputeUsd - b.horizonComputeUsd)
  const held = input.candidates.find((c) => c.instance.type === options[0]?.type) as PlanCandidate

  const months: PlanMonth[] = []
  const events: string[] = []
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
    const cost = monthlyCompute(choice, rps)
    const instances = cost.instances
    const capacityRps = perInstance.get(choice.instance.type) as number
    // What remains once the redundancy is used up: n without its k spares, or all zones but one.
    const surviving =
      input.redundancy.kind === 'n+k'
        ? Math.max(1, instances - input.redundancy.spare)
        : (instances * Math.max(1, input.redundancy.zones - 1)) / input.redundancy.zones
    // The application's volumes, and every copy of the database's data (primaries and replicas).
    const appStorageGB = input.storage ? grownBy(input.storage.nowGB, input.storage.growthPerMonth, m.month) : 0
    const storageGB = appStorageGB + (sized?.database?.storedGB ?? 0)
    const egressGB = input.egress
      ? (m.meanRps * MONTH_MS * input.egress.bytesPerRequest) / 1000 / BYTES_PER_BILLED_GB
      : 0
    const withTiers = (usd: number) => usd + (sized?.cache?.costUsd ?? 0) + (sized?.database?.costUsd ?? 0)
    const computeUsd = withTiers(cost.usd)
    const storageUsd =
      (input.storage ? appStorageGB * input.storage.usdPerGBMonth : 0) + (sized?.database?.storageUsd ?? 0)
    const egressUsd = input.egress ? egressCostUsd(input.egress.tiers, egressGB) : 0
    months.push({
      ...m,
      type: choice.instance.type,
      instances,
      instancesAtHi95: fleet(choice, m.peakHi95 * appShare(input.tiers)),
      sizedForRps: rps,
      utilizationAtPeak: rps / (capacityRps * surviving),
      ...(sloFleet ? {instancesByUtilization: byUtilization(choice, rps)} : {}),
      computeUsd,
      ...(pricing ? {onDemandComputeUsd: withTiers(cost.onDemandUsd)} : {}),
      ...(pricing?.kind === 'spot' ? {spotInstances: cost.spot} : {}),
      storageGB,
      storageUsd,
      egressGB,
      egressUsd,
      totalUsd: computeUsd + storageUsd + egressUsd,
      ...(sized && (sized.cache || sized.database) ? {tiers: {cache: sized.cache, database: sized.database}} : {}),
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
  const sum = (key: 'computeUsd' | 'storageUsd' | 'egressUsd' | 'totalUsd') => months.reduce((s, m) => s + m[key], 0)
  const totals: CapacityPlanResult['totals'] = {
    computeUsd: sum('computeUsd'),
    storageUsd: sum('storageUsd'),
    egressUsd: sum('egressUsd'),
    totalUsd: sum('totalUsd'),
  }
  if (pricing) totals.onDemandComputeUsd = months.reduce((s, m) => s + (m.onDemandComputeUsd ?? 0), 0)
  return {sizeOn: input.sizeOn, ...(pricing ? {pricing: pricing.kind} : {}), months, totals, events, options}
}

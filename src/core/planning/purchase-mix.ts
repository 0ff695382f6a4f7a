/**
 * A purchase mix for a planned fleet (`--pricing mix`, issue 30): a committed baseline of one type
 * for the whole horizon at its 1-year price, on-demand above it, and the redundancy's spares on
 * spot where the type has a spot price — as AWS's Savings Plans purchase recommendation does, but
 * with the commitment capped so that it is never idle on a quiet month:
 *
 *   committed ≤ the smallest P10 need of the horizon (the instances a quiet month still needs)
 *
 * and, below that cap, the level with the lowest total cost (every level is tried). A month of
 * n instances, b of them carrying the load (the rest spares), with C committed:
 *   committed C × the 1-year price (paid whether used or not), on-demand max(0, b − C), spot the
 *   spares beyond the commitment, n − max(C, b) (on demand where the type has no spot price).
 * Months on another type than the committed one use none of the commitment. Pure.
 */
import {HOURS_PER_MONTH} from '../catalog/providers.js'
import type {MixCost, PurchaseMix} from '../../contracts/results/plan-document.js'

export interface MixMonth {
  type: string
  instances: number
  /** The instances that carry the load: without the spares (or the zone) of the redundancy. */
  baseInstances: number
  /** The month's P10 need (PlanMonth.range.instances.p10). */
  needP10: number
}

export interface MixPrices {
  onDemand: (type: string) => number
  committed: (type: string) => number | undefined
  spot: (type: string) => number | undefined
}

/** One month's cost of the mix with `committed` instances of `type` committed. */
function monthCost(month: MixMonth, type: string, committed: number, prices: MixPrices): MixCost {
  const hours = HOURS_PER_MONTH
  const committedUsd = committed * (prices.committed(type) as number) * hours
  const onDemandPrice = prices.onDemand(month.type)
  const covered = month.type === type ? committed : 0
  const onDemand = Math.max(0, month.baseInstances - covered)
  const spares = Math.max(0, month.instances - Math.max(covered, month.baseInstances))
  const spotPrice = prices.spot(month.type)
  const onDemandUsd = (onDemand + (spotPrice === undefined ? spares : 0)) * onDemandPrice * hours
  const spotUsd = spotPrice === undefined ? 0 : spares * spotPrice * hours
  return {committedUsd, onDemandUsd, spotUsd, totalUsd: committedUsd + onDemandUsd + spotUsd}
}

/** The mix for the plan's months; undefined when the committed type has no 1-year price. */
export function purchaseMix(months: readonly MixMonth[], prices: MixPrices): PurchaseMix | undefined {
  if (months.length === 0) return undefined
  const count = new Map<string, number>()
  for (const m of months) count.set(m.type, (count.get(m.type) ?? 0) + 1)
  const type = [...count.entries()].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0]
  if (prices.committed(type) === undefined) return undefined
  const capInstances = Math.min(...months.map((m) => (m.type === type ? Math.floor(m.needP10) : 0)))
  const total = (committed: number) => months.reduce((s, m) => s + monthCost(m, type, committed, prices).totalUsd, 0)
  const levels = Array.from({length: capInstances + 1}, (_, committed) => ({committed, totalUsd: total(committed)}))
  // The cheapest level; a tie goes to the smaller commitment.
  const best = levels.reduce((a, b) => (b.totalUsd < a.totalUsd ? b : a))
  const perMonth = months.map((m) => monthCost(m, type, best.committed, prices))
  const sum = (pick: (c: MixCost) => number) => perMonth.reduce((s, c) => s + pick(c), 0)
  const allOnDemandUsd = months.reduce((s, m) => s + m.instances * prices.onDemand(m.type) * HOURS_PER_MONTH, 0)
  const totalUsd = sum((c) => c.totalUsd)
  return {
    commitKind: '1yr',
    type,
    committedInstances: best.committed,
    capInstances,
    committedUsd: sum((c) => c.committedUsd),
    onDemandUsd: sum((c) => c.onDemandUsd),
    spotUsd: sum((c) => c.spotUsd),
    totalUsd,
    allOnDemandUsd,
    savingUsd: allOnDemandUsd - totalUsd,
    levels,
    months: perMonth,
  }
}

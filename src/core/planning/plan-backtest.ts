/**
 * Backtesting a plan (issue 29): cut the history some months before its end, plan from what was
 * known then, and score the plan against the months that happened — did each month's actual peak
 * fall inside the plan's P10–P90 (and P25–P75) of the peak, did the instances it actually needed
 * fall inside the plan's range, how many instance-months were bought beyond or short of the need,
 * and what that cost. Pure.
 */
import {addSteps, regularise, stepStart, type Observation} from '../series/regularise.js'
import type {CapacityPlanDocument, PlanMonth} from '../../contracts/results/plan-document.js'
import type {BacktestMonthScore, BacktestSummary} from '../../contracts/results/plan-backtest-document.js'
import {instancesFor, survivingInstances, type Redundancy} from './capacity-plan.js'

/** Where a history is cut for a backtest of `months`, and the whole months after the cut that it still holds. */
export interface BacktestCut {
  /** The first month scored: the history before it is what the plan knows. */
  cutMs: number
  /** The end of the last whole month of the history. */
  endMs: number
}

/** The cut `months` whole months before the end of the history's last whole month. */
export function backtestCut(
  observations: readonly Observation[],
  months: number,
  aggregate: 'sum' | 'mean',
): BacktestCut {
  const {series} = regularise(observations, {aggregate})
  const last = series.timestamps.at(-1) ?? 0
  // The last step's month is whole when the step after it starts the next month.
  const endMs = stepStart(addSteps(last, 1, series.resolution), 'month')
  return {cutMs: addSteps(endMs, -months, 'month'), endMs}
}

/** The highest value of each calendar month in [fromMs, toMs), on the history's own grid. */
export function monthlyPeaks(
  observations: readonly Observation[],
  aggregate: 'sum' | 'mean',
  fromMs: number,
  toMs: number,
): Array<{startMs: number; peak: number}> {
  const {series} = regularise(observations, {aggregate})
  const peaks = new Map<number, number>()
  series.timestamps.forEach((t, i) => {
    const v = series.values[i] as number
    if (t < fromMs || t >= toMs || !Number.isFinite(v)) return
    const month = stepStart(t, 'month')
    peaks.set(month, Math.max(peaks.get(month) ?? Number.NEGATIVE_INFINITY, v))
  })
  return [...peaks.entries()].sort(([a], [b]) => a - b).map(([startMs, peak]) => ({startMs, peak}))
}

/**
 * Scores a plan made at the cut against the months that happened.
 * @param unitUsdPerMonth a month of one instance of a type (the plan's prices)
 */
export function scorePlanBacktest(
  plan: CapacityPlanDocument['plan'],
  actual: ReadonlyArray<{startMs: number; peak: number}>,
  settings: {targetUtilization: number; redundancy: Redundancy; unitUsdPerMonth: (type: string) => number},
): {months: BacktestMonthScore[]; summary: BacktestSummary} {
  const byStart = new Map(actual.map((a) => [a.startMs, a.peak]))
  const perInstance = new Map(plan.options.map((o) => [o.type, o.perInstanceRps]))
  const months: BacktestMonthScore[] = []
  for (const m of plan.months) {
    const actualPeak = byStart.get(m.startMs)
    if (actualPeak === undefined) continue
    months.push(scoreMonth(m, actualPeak, perInstance.get(m.type) as number, settings))
  }
  const share = (pick: (m: BacktestMonthScore) => boolean) =>
    months.length === 0 ? Number.NaN : months.filter(pick).length / months.length
  const errors = months.map((m) => Math.abs(m.peak.p50 - m.actualPeakRps) / m.actualPeakRps).sort((a, b) => a - b)
  const sum = (pick: (m: BacktestMonthScore) => number) => months.reduce((s, m) => s + pick(m), 0)
  return {
    months,
    summary: {
      months: months.length,
      coverage80: share((m) => m.inside80),
      coverage50: share((m) => m.inside50),
      medianAbsErrorP50: errors.length === 0 ? Number.NaN : (errors[Math.floor((errors.length - 1) / 2)] as number),
      neededInsideRange: share((m) => m.neededInsideRange),
      overProvisionedInstanceMonths: sum((m) => Math.max(0, m.instances - m.neededInstances)),
      underProvisionedInstanceMonths: sum((m) => Math.max(0, m.neededInstances - m.instances)),
      overloadedMonths: months.filter((m) => m.overloaded).length,
      computeUsd: sum((m) => m.computeUsd),
      neededComputeUsd: sum((m) => m.neededComputeUsd),
    },
  }
}

function scoreMonth(
  m: PlanMonth,
  actualPeak: number,
  perInstanceRps: number,
  settings: {targetUtilization: number; redundancy: Redundancy; unitUsdPerMonth: (type: string) => number},
): BacktestMonthScore {
  const q = m.peakQuantiles ?? {p10: m.peakRps, p25: m.peakRps, p50: m.peakRps, p75: m.peakRps, p90: m.peakRps}
  // What of a request the application tier sees (a cache in front answers the rest).
  const appShare = m.sizedPeakRps > 0 ? m.sizedForRps / m.sizedPeakRps : 1
  const carriedPerInstance = perInstanceRps * settings.targetUtilization
  const needed = instancesFor(actualPeak * appShare, perInstanceRps, settings.targetUtilization, settings.redundancy)
  const surviving = survivingInstances(m.instances, settings.redundancy)
  const unit = settings.unitUsdPerMonth(m.type)
  return {
    month: m.month,
    startMs: m.startMs,
    actualPeakRps: actualPeak,
    peak: {p10: q.p10, p25: q.p25, p50: q.p50, p75: q.p75, p90: q.p90},
    inside80: actualPeak >= q.p10 && actualPeak <= q.p90,
    inside50: actualPeak >= q.p25 && actualPeak <= q.p75,
    type: m.type,
    instances: m.instances,
    neededInstances: needed,
    needRange: {p10: m.range.instances.p10, p90: m.range.instances.p90},
    neededInsideRange: needed >= m.range.instances.p10 && needed <= m.range.instances.p90,
    overloaded: actualPeak * appShare > surviving * carriedPerInstance + 1e-9,
    computeUsd: m.instances * unit,
    neededComputeUsd: needed * unit,
  }
}

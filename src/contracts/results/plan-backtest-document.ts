/**
 * What `loadplan plan --backtest 3mo --json` writes: the plan made from the history as it was at
 * the cut, and each month after it scored against what happened. Versioned plain data.
 */
import type {CapacityPlanDocument} from './plan-document.js'

export interface BacktestMonthScore {
  month: number
  startMs: number
  actualPeakRps: number
  /** The plan's distribution of the month's peak. */
  peak: {p10: number; p25: number; p50: number; p75: number; p90: number}
  inside80: boolean
  inside50: boolean
  type: string
  instances: number
  /** What the actual peak needed of the same type, at the plan's ceiling, cache and redundancy. */
  neededInstances: number
  needRange: {p10: number; p90: number}
  neededInsideRange: boolean
  /** The actual peak exceeded what the fleet carried with its spares used up. */
  overloaded: boolean
  /** The application fleet's cost as planned, and as the actual peak needed it. */
  computeUsd: number
  neededComputeUsd: number
}

export interface BacktestSummary {
  months: number
  /** Shares of months whose actual peak fell inside the plan's P10–P90 and P25–P75. */
  coverage80: number
  coverage50: number
  /** Median of |P50 − actual| / actual. */
  medianAbsErrorP50: number
  /** Share of months whose needed instances fell inside the plan's P10–P90. */
  neededInsideRange: number
  overProvisionedInstanceMonths: number
  underProvisionedInstanceMonths: number
  overloadedMonths: number
  computeUsd: number
  neededComputeUsd: number
}

export const PLAN_BACKTEST_SCHEMA = 'loadplan/plan-backtest'

export interface PlanBacktestDocument {
  schema: typeof PLAN_BACKTEST_SCHEMA
  version: 1
  /** The history the plan was made from ends here; the months scored follow. */
  cutAt: string
  source: string
  months: BacktestMonthScore[]
  summary: BacktestSummary
  plan: CapacityPlanDocument
}

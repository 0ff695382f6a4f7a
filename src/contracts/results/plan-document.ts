/**
 * What `loadplan plan --json` writes: month by month, the demand, the fleet, the tiers and the cost,
 * with the assumptions behind every number. Versioned plain data.
 */

/** One month of demand: the hourly peak with the upper ends of its bands, and the mean. */
export interface DemandMonth {
  /** 1-based month of the plan. */
  month: number
  startMs: number
  /**
   * The largest hourly value of the (smoothed) point forecast in the month, requests/s, and the
   * upper ends of its 80 % and 95 % bands. A stated growth: the stated peak, bands equal to it.
   */
  peakRps: number
  peakHi80: number
  peakHi95: number
  meanRps: number
  /**
   * A forecast of a history: the month's own peak as a distribution, from sample paths shaped like
   * the history (its level, its growth with that growth's uncertainty, and its own departures from
   * the level), requests/s. The smoothed peakRps sits below the peaks that actually happen; these
   * do not. Absent for a stated growth and before loadplan 0.5.
   */
  peakQuantiles?: {p10: number; p50: number; p80: number; p90: number; p95: number}
}

/** The demand figure a fleet sized on `sizeOn` is sized for: the month's peak or the upper end of its 80 % or 95 % band. */
export function sizedPeak(month: DemandMonth, sizeOn: 'peak' | 'hi80' | 'hi95'): number {
  return sizeOn === 'hi95' ? month.peakHi95 : sizeOn === 'hi80' ? month.peakHi80 : month.peakRps
}

/** Cache and database sizing for one month. */
export interface TierSizing {
  /** Requests/s that reach the application tier. */
  appRps: number
  cache?: {nodes: number; costUsd: number}
  database?: {
    shards: number
    replicasPerShard: number
    instances: number
    readQps: number
    writeQps: number
    /** The data, across shards. */
    storageGB: number
    /** What the instances keep on their volumes: the data once per primary and once per replica (absent before 0.5). */
    storedGB?: number
    /** Those volumes at the provider's block-storage price, in the month's storage cost (absent before 0.5). */
    storageUsd?: number
    /** The instances; their storage is in storageUsd. */
    costUsd: number
  }
}

export interface PlanMonth extends DemandMonth {
  type: string
  instances: number
  /** Instances the 95 % upper band would need with the same type. */
  instancesAtHi95: number
  /** The demand the fleet is sized for (the peak, or its 80 % or 95 % upper band), requests/s at the application tier. */
  sizedForRps: number
  /**
   * sizedForRps over the capacity of what remains once the redundancy is used up: without the k
   * spares (n+k), or without one zone (zones). The same meaning under every redundancy rule.
   */
  utilizationAtPeak: number
  /** With --size-by slo: what the target utilisation alone would have bought of the same type. */
  instancesByUtilization?: number
  computeUsd: number
  /** With a pricing other than on-demand: the same compute at on-demand prices (the saving is the difference). */
  onDemandComputeUsd?: number
  /** With spot pricing: the instances above the redundancy floor, on spot. */
  spotInstances?: number
  /** The application's volumes and the database's copies of its data (tiers.database.storedGB). */
  storageGB: number
  storageUsd: number
  /** Internet egress in billed GB of 2^30 bytes (the unit the tiers are stated in). */
  egressGB: number
  egressUsd: number
  totalUsd: number
  /** Cache and database sizing (their instances' cost is part of computeUsd, their storage of storageUsd). */
  tiers?: Omit<TierSizing, 'appRps'>
}

export interface PlanOption {
  type: string
  vcpu: number
  perInstanceRps: number
  /** Cost over the horizon if this type were held every month. */
  horizonComputeUsd: number
  firstMonthInstances: number
  lastMonthInstances: number
}

export interface CapacityPlanResult {
  /** Which demand figure the fleet is sized for. */
  sizeOn: 'peak' | 'hi80' | 'hi95'
  /** Prices other than on-demand: 1yr or 3yr commitments for the fleet, or spot for its spares. */
  pricing?: '1yr' | '3yr' | 'spot'
  months: PlanMonth[]
  totals: {computeUsd: number; storageUsd: number; egressUsd: number; totalUsd: number; onDemandComputeUsd?: number}
  /** "month 7: 6 → 8 × c7g.xlarge" */
  events: string[]
  options: PlanOption[]
}

/** The first forecast week replayed through one fleet policy. */
export interface PolicyOutcome {
  policy: 'reactive' | 'predictive' | 'fixed'
  replicas: number[]
  instanceHours: number
  costUsd: number
  /** Hours in which demand exceeded replicas × per-instance rate. */
  sloMissHours: number
}

export const PLAN_SCHEMA = 'loadplan/capacity-plan'
export const PLAN_VERSION = 1

export interface CapacityPlanDocument {
  schema: typeof PLAN_SCHEMA
  version: typeof PLAN_VERSION
  service?: string
  provider: string
  region: string
  assumptions: string[]
  plan: CapacityPlanResult
  /** Daily peaks of the traffic history the forecast came from (for the HTML chart). */
  history?: Array<{t: number; peak: number}>
  /** The first forecast week replayed through three fleet policies on the first month's type. */
  autoscaling?: {type: string; week: string; outcomes: PolicyOutcome[]}
}

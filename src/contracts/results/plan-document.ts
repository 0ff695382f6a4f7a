/**
 * What `loadplan plan --json` writes: month by month, the demand, the fleet, the tiers and the cost,
 * with the assumptions behind every number. Versioned plain data.
 */

/** P10, P50 and P90 of a figure. */
export interface Range {
  p10: number
  p50: number
  p90: number
}

/** One month of demand: its peak, as a distribution where it is forecast, and its mean. */
export interface DemandMonth {
  /** 1-based month of the plan (month 1 is the current month). */
  month: number
  startMs: number
  /**
   * The largest hourly value of the smoothed point forecast in the month, requests/s, and the upper
   * ends of its 80 % and 95 % bands: kept for comparison, not sized on (it sits below the peaks
   * that happen, and the bands widen without bound over a year). A stated growth: the stated peak,
   * the bands equal to it.
   */
  peakRps: number
  peakHi80: number
  peakHi95: number
  meanRps: number
  /**
   * A forecast of a history: the month's own peak as a distribution, from sample paths shaped like
   * the history (its level, its growth with that growth's uncertainty, and its own departures from
   * the level), requests/s. The fleet is sized on it. Absent for a stated growth.
   */
  peakQuantiles?: {p10: number; p25: number; p50: number; p75: number; p80: number; p90: number; p95: number}
}

/** The month's peak as P10/P50/P90: its distribution where forecast, the stated peak three times over otherwise. */
export function peakRange(month: DemandMonth): Range {
  const q = month.peakQuantiles
  return q ? {p10: q.p10, p50: q.p50, p90: q.p90} : {p10: month.peakRps, p50: month.peakRps, p90: month.peakRps}
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
  /** Queue consumers sized on the M/M/c wait (core/planning/queue-tier.ts). */
  queue?: {
    messagesPerSec: number
    consumers: number
    instances: number
    /** P(wait > the objective) at that many consumers. */
    waitAboveObjective: number
    /** The partitions the queue needs when it has fewer than the consumers. */
    partitionsNeeded?: number
    /** Messages left when the assumed spike ends, and seconds to drain them at the peak. */
    backlogMessages: number
    drainSeconds: number
    costUsd: number
  }
}

export interface PlanMonth extends DemandMonth {
  type: string
  instances: number
  /**
   * The month's peak the fleet is sized for, every request counted: the smallest path peak with at
   * most the plan's risk of paths above it (the P95 at a risk of 5 %), or the stated peak.
   */
  sizedPeakRps: number
  /** sizedPeakRps at the application tier (what of it a cache in front lets through), requests/s. */
  sizedForRps: number
  /**
   * The probability that the month's peak exceeds what the fleet carries with its redundancy used
   * up (without the spares, or without one zone), at the utilisation ceiling: at most the plan's
   * risk. With --size-by slo, the share of paths above sizedPeakRps (an upper bound).
   */
  overloadProbability: number
  /** The same with every instance up. Absent with --size-by slo. */
  overloadProbabilityAllUp?: number
  /**
   * What the month would need and cost if it bought only what its peak turns out to need: P10, P50
   * and P90 over the sample paths, with the capacity's own uncertainty folded in (the capacity
   * search's bracket and the translation's error to this type). Instances include the redundancy.
   */
  range: {instances: Range; totalUsd: Range}
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
  /** The rest of the bill (plan.bill): each line's quantity and cost; in totalUsd as otherUsd. */
  bill?: BillLine[]
  otherUsd?: number
  totalUsd: number
  /** Cache and database sizing (their instances' cost is part of computeUsd, their storage of storageUsd). */
  tiers?: Omit<TierSizing, 'appRps'>
}

/** One line of the rest of the bill for a month (core/planning/bill-lines.ts). */
export interface BillLine {
  item: 'load balancer' | 'NAT gateway' | 'cross-zone traffic' | 'database standby' | 'backups'
  /** What is billed, e.g. `730 h + 1,234 LCU-h`. */
  quantity: string
  usd: number
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

/** A purchase mix's cost (core/planning/purchase-mix.ts), for a month or the horizon. */
export interface MixCost {
  committedUsd: number
  onDemandUsd: number
  spotUsd: number
  totalUsd: number
}

export interface PurchaseMix extends MixCost {
  commitKind: '1yr'
  /** The type committed to: the one most months run. */
  type: string
  committedInstances: number
  /** The most the commitment may be: the smallest P10 need (0 if a month runs another type). */
  capInstances: number
  allOnDemandUsd: number
  savingUsd: number
  /** Every level tried, 0 … cap, with its total: the choice is the cheapest. */
  levels: Array<{committed: number; totalUsd: number}>
  months: MixCost[]
}

export interface CapacityPlanResult {
  /** The accepted probability, each month, that the peak exceeds what the fleet carries with its spares used up. */
  risk: number
  /** Prices other than on-demand: 1yr or 3yr commitments for the fleet, spot for its spares, or a mix. */
  pricing?: '1yr' | '3yr' | 'spot' | 'mix'
  /** With --pricing mix: the committed baseline, on-demand and spot, and every commitment level tried. */
  purchaseMix?: PurchaseMix
  months: PlanMonth[]
  totals: {
    computeUsd: number
    storageUsd: number
    egressUsd: number
    /** The rest of the bill (plan.bill), when the plan has one. */
    otherUsd?: number
    totalUsd: number
    onDemandComputeUsd?: number
    /** The horizon's total bought only as needed, P10/P50/P90 over the sample paths (see PlanMonth.range). */
    totalUsdRange: Range
  }
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
/** 2 (loadplan 0.5): sized by risk on the month's peak distribution, with ranges; `sizeOn` and `instancesAtHi95` are gone. */
export const PLAN_VERSION = 2

/** One region of a plan across regions: its share, what it is sized for, and its own plan. */
export interface RegionPlan {
  provider: string
  region: string
  /** Active-passive: the passive region, whose `plan` is the fleet it needs once it takes over. */
  role?: 'active' | 'passive'
  /** Its share of the traffic in normal operation, 0–1. */
  share: number
  /** The share of the whole peak it is sized for: its own plus its part of the largest other region's. */
  sizedShare: number
  plan: CapacityPlanDocument
}

/** Data sent between regions in one month, in billed GB of 2^30 bytes, and its price. */
export interface ReplicationMonth {
  month: number
  startMs: number
  gb: number
  usd: number
}

/** Several regions: each region's plan, replication between them, and the total. */
export interface RegionsSection {
  mode: 'active-active' | 'active-passive'
  rule: string
  regions: RegionPlan[]
  replication?: {bytesPerWrite: number; writeRatio: number; months: ReplicationMonth[]}
  /** Active-passive: what the passive region keeps running, and what failing over to it takes. */
  standby?: {
    kind: 'pilot-light' | 'warm' | 'hot'
    /** Warm: the share of the full fleet kept running. */
    share: number
    /** The assumed time from launching an instance to serving, s. */
    instanceStartS: number
    months: Array<{
      month: number
      startMs: number
      instances: number
      addAtFailover: number
      readyS: number
      usd: number
    }>
  }
  months: Array<{
    month: number
    startMs: number
    /** Instances of the application, cache and database in every region, as bought. */
    instances: number
    /** Each region's fleet as bought and its cost, in region order. */
    byRegion: Array<{fleet: string; usd: number}>
    regionsUsd: number
    replicationUsd: number
    totalUsd: number
  }>
  totals: {regionsUsd: number; replicationUsd: number; totalUsd: number; byRegionUsd: number[]}
}

/** One serverless platform's bill for the plan's traffic, month by month. */
export interface ServerlessPlatformPlan {
  platform: string
  name: string
  /** Each request's duration and memory as billed (rounded up, at least the platform's minimum). */
  billedDurationMs: number
  billedMemoryMB: number
  /** The default concurrent requests the platform allows, and what that limit is. */
  concurrencyLimit: number
  limitNote: string
  source: string
  months: Array<{
    month: number
    startMs: number
    requests: number
    gbSeconds: number
    requestUsd: number
    computeUsd: number
    totalUsd: number
    /** Requests in flight at the sized peak (Little's law: rate × service time). */
    peakConcurrency: number
    overLimit: boolean
    /** Estimated cold starts in the month (the daily ramp, and requests after idle gaps). */
    coldStarts: number
  }>
  totalUsd: number
  /** The monthly requests from which the plan's instances stay cheaper (absent: not within 1e3–1e13). */
  crossoverRequestsPerMonth?: number
}

/** The serverless alternative: each platform's bill, and where the instances become cheaper. */
export interface ServerlessSection {
  memoryMB: number
  serviceTimeMs: number
  serviceTimeSource: string
  /** The keep-warm time the cold-start estimate assumes, s. */
  keepWarmS: number
  platforms: ServerlessPlatformPlan[]
  /** The instances compared with: month 1's type, its capacity and on-demand price a month. */
  instances?: {type: string; perInstanceRps: number; usdPerInstanceMonth: number}
  /** Loads around month 1's (×0.01 … ×10): the instances' cost and each platform's, in platform order. */
  comparison: Array<{requestsPerMonth: number; instancesUsd: number; platformsUsd: number[]}>
}

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
  /**
   * Active-active across regions: every region's plan and the total. `plan` above is then the
   * largest region's (provider and region are its), kept for readers of one region.
   */
  regions?: RegionsSection
  /** --serverless: the same traffic on AWS Lambda, Google Cloud Run and Azure Functions. */
  serverless?: ServerlessSection
}

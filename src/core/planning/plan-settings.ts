/**
 * What a plan is computed from, once the options are resolved (src/config/plan-options.ts reads
 * them from flags and the service file): the demand's source, the measured capacity, the cloud,
 * the sizing rules, prices and the other components. Plain data.
 */
import type {BalancePolicy} from '../capacity/fleet-simulation.js'
import type {LatencyObjective} from '../capacity/fleet-sizing.js'
import type {PricingChoice, Provider} from '../catalog/providers.js'
import type {Observation} from '../series/regularise.js'
import type {BillOptions} from './bill-lines.js'
import type {Redundancy} from './capacity-plan.js'
import type {Failover, RegionShare, Replication} from './multi-region.js'
import type {TranslationChoice} from './translate-capacity.js'

export const PLAN_FORMATS = ['table', 'json', 'csv', 'markdown'] as const
export type PlanFormat = (typeof PLAN_FORMATS)[number]

/** Where the demand comes from. */
export type DemandSource =
  | {kind: 'history'; path: string}
  | {kind: 'recording'; db: string; metric: string}
  | {kind: 'growth'; perMonth: number; growthKind: 'compound' | 'linear'; peakRps: number; meanToPeak: number}
  | {kind: 'observations'; observations: Observation[]; name?: string}

/** The `plan.tiers` section as written (numbers or text such as `80%`), checked when priced (plan-tiers.ts). */
export interface TiersInput {
  queue?: {
    messagesPerRequest?: number
    serviceTime?: string | number
    lag?: string
    partitions?: number
    consumersPerInstance?: number
    spike?: {factor?: number; duration?: string}
    instanceType?: string
  }
  cache?: {hitRatio?: string | number; nodes?: number; instanceType?: string}
  database?: {
    queriesPerRequest?: number
    readShare?: string | number
    writeQpsPerPrimary?: number
    readQpsPerReplica?: number
    maxGBPerShard?: number
    storageGB?: number
    storageGrowth?: string
    instanceType?: string
  }
}

export interface PlanOptions {
  demand: DemandSource
  aggregate: 'sum' | 'mean'
  /** A CapacityResult file, or a stated per-instance rate (one of them, or a result given in-process). */
  capacityFile?: string
  /** A calibration from loadplan calibrate: the measured host, when it is not a catalog type. */
  calibrationFile?: string
  perInstanceRps?: number
  /** --per-instance as written (checked once the capacity file is read). */
  perInstanceText?: string
  instanceType?: string
  vcpus?: number
  provider: Provider
  region?: string
  families?: string[]
  /** The utilisation ceiling: the share of the measured (SLO-bound) capacity an instance may run at. */
  targetUtilization: number
  redundancy: Redundancy
  /** As written, for the assumptions line. */
  redundancyText: string
  /** The accepted probability, each month, that the peak exceeds what the fleet carries with its spares used up. */
  risk: number
  /** Fleets by the target utilisation, or by the SLO through a fleet simulation. */
  sizeBy: 'utilization' | 'slo'
  /** The balancer the SLO simulation assumes. */
  balance: BalancePolicy
  /** The latency objective for --size-by slo; default: the capacity result's. */
  slo?: LatencyObjective & {expression: string}
  months: number
  /** `--backtest 3mo`: plan from the history as it was this many whole months before its end, and score the plan against them. */
  backtestMonths?: number
  holdType: boolean
  /** Which prices: on-demand, a 1- or 3-year commitment for the fleet, spot for its spares, or a mix. */
  pricing: PricingChoice
  /** How capacity is carried from the measured type to the others (see planning/translate-capacity.ts). */
  translation: TranslationChoice
  scaleFactor: number
  /** Memory one instance of the service needs, GiB: types with less (after the reservation) are left out. */
  memoryPerInstanceGiB?: number
  /** vCPUs and GiB reserved on every node for the system, not the service. */
  reservedCpu: number
  reservedMemoryGiB: number
  storageGb: number
  storageGrowthPerMonth: number
  bytesPerRequest?: number
  tiers?: TiersInput
  /** Active-active across these regions (two or more; shares sum to 1); provider and region above are then the largest's. */
  regions?: RegionShare[]
  /** Data each write sends to the other regions (with regions, or to the passive one). */
  replication?: Replication
  /** Active-passive: the passive region and its standby (provider and region above are the active one). */
  failover?: Failover
  /** The serverless alternative: memory per function instance, and the service time when given. */
  serverless?: {memoryMB: number; serviceTimeMs?: number}
  /** The rest of the bill: load balancer, NAT, cross-zone traffic, database standby, backups. */
  bill?: BillOptions
  format: PlanFormat
  service?: string
}

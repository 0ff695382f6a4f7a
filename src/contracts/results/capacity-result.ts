import type {Calibration} from './calibration.js'

/**
 * `CapacityResult`: what `loadplan capacity --json` writes and `loadplan plan --capacity` reads.
 * The sustainable rate of one instance under an SLO, with the evidence for it.
 */

/** The static inventory of a host: where a measurement ran. */
export interface HostInventory {
  vCpus: number
  physicalCores: number
  memoryGiB: number
  cpuModel: string
  os: string
}

/** A phase of the capacity search. */
export type SearchPhase = 'ramp' | 'bisect' | 'confirm'

export interface UslPoint {
  concurrency: number
  throughput: number
}

export interface UslFit {
  sigma: number
  kappa: number
  lambda: number
  /** Coefficient of determination of the fitted curve against the measurements. */
  rSquared: number
  /** Root mean squared error, in throughput units. */
  rmse: number
  /** Where throughput peaks: √((1 − σ)/κ); Infinity when κ = 0. */
  peakConcurrency: number
  peakThroughput: number
  /** 1/σ: past it, contention dominates and each added unit pays less than half its share. */
  optimalConcurrency: number
  optimalThroughput: number
  /** λ/σ: the ceiling throughput would approach without coherency costs (Amdahl's asymptote). */
  limitThroughput: number
  points: Array<UslPoint & {fitted: number}>
}

export const CAPACITY_RESULT_SCHEMA = 'loadplan/capacity-result'
export const CAPACITY_RESULT_VERSION = 1

export type CapacityStopReason = 'converged' | 'max-rate' | 'nothing-sustainable' | 'max-duration' | 'interrupted'

export interface CapacityStep {
  index: number
  phase: SearchPhase
  offeredRatePerSec: number
  achievedRatePerSec: number
  p50Ms: number | null
  p90Ms: number | null
  p99Ms: number | null
  maxMs: number | null
  errorRatio: number | null
  droppedRatio: number
  passed: boolean
  /** SLO objectives (and other reasons) this step failed. */
  failures: string[]
  /** Measured length of the step, warm-up excluded. */
  durationMs: number
  /** The load generator itself during the step: its CPU (share of one core) and event-loop lag. */
  generator?: GeneratorLoad
  /** Why the step's latency may be loadplan's own rather than the target's (a saturated generator). */
  unreliable?: string
  /** The step's latency histogram (HdrHistogram, compressed base64): the service-time distribution `simulate` draws from. */
  histogram?: string
  /** With --targets: what each instance received during the step. */
  targets?: Array<{origin: string; share: number; completed: number; errors: number; p99Ms: number | null}>
}

export interface GeneratorLoad {
  /** Process CPU time over wall time, % of one core (workers can take it past 100). */
  cpuPct: number
  /** 99th percentile of the main thread's event-loop delay, ms. */
  eventLoopLagP99Ms: number
}

export interface UslSweepPoint {
  concurrency: number
  throughput: number
  p99Ms: number | null
}

/** A capacity search with the service pinned to `cpus` CPUs (`capacity --command … --cpus`). */
export interface CoreMeasurement {
  cpus: number
  sustainableRatePerSec: number
}

/** How the service scales with CPUs: Amdahl's law fitted to the measurements (src/core/capacity/core-scaling). */
export interface CoreScaling {
  points: CoreMeasurement[]
  /** σ in [0, 1]: 0 doubles with twice the CPUs, 1 gains nothing. */
  serialFraction: number
  /** The fit's rate on one CPU. */
  oneCpuRatePerSec: number
}

export interface CapacityResult {
  schema: typeof CAPACITY_RESULT_SCHEMA
  version: typeof CAPACITY_RESULT_VERSION
  tool: {name: 'loadplan'; version: string}
  service?: string
  target: string
  startedAt: string
  durationMs: number
  stopReason: CapacityStopReason
  slo: string[]
  settings: {
    startRatePerSec: number
    growthFactor: number
    maxRatePerSec: number
    precision: number
    stepDurationMs: number
    warmupMs: number
    maxDurationMs: number
    maxErrorRatio: number
  }
  /** Highest arrival rate that met the SLO every time it was tried; null when none did. */
  sustainableRatePerSec: number | null
  /** Lowest arrival rate that broke the SLO; null when the maximum rate was sustained. */
  breakingRatePerSec: number | null
  /** Latency and errors at the sustainable rate (its last step). */
  atSustainable: {p50Ms: number | null; p90Ms: number | null; p99Ms: number | null; errorRatio: number | null} | null
  steps: CapacityStep[]
  usl?: {sweep: UslSweepPoint[]; fit: Omit<UslFit, 'points'> | null; fitError?: string}
  /** Where loadplan ran; equal to the target's host only when both run on one machine. */
  host: HostInventory & {instanceType?: string}
  /** With --command and --cpus: the service measured at several CPU counts, and its serial fraction. */
  coreScaling?: CoreScaling
  /** Where the service ran when it is a machine the catalog does not list: its calibration (loadplan calibrate). */
  serviceHost?: {calibration: Calibration}
  /**
   * Bytes received per response over the whole search, headers included: what one response costs
   * in egress (absent in results saved before 0.5, or when nothing answered).
   */
  bytesPerResponse?: number
  passed: boolean
}

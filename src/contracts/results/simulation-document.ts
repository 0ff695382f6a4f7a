/**
 * `SimulationDocument`: what `loadplan simulate --json` writes. Latency and utilisation of fleets
 * of growing size behind one balancing policy, and the smallest that meets the latency objective.
 */
export const SIMULATION_DOCUMENT_SCHEMA = 'loadplan/fleet-simulation'
export const SIMULATION_DOCUMENT_VERSION = 1

export interface SimulationRow {
  instances: number
  /** Instances serving after the loss the fleet must survive. */
  serving: number
  /** Offered load per slot of the serving fleet (the busiest instance's under consistent hashing). */
  offeredUtilisation: number
  /** False when the serving fleet cannot keep up: queues grow without bound and nothing was simulated. */
  stable: boolean
  p50Ms: number | null
  p90Ms: number | null
  p99Ms: number | null
  p999Ms: number | null
  meanWaitMs: number | null
  waitedRatio: number | null
  maxInstanceUtilisation: number | null
  meetsSlo: boolean
}

export interface SimulationDocument {
  schema: typeof SIMULATION_DOCUMENT_SCHEMA
  version: typeof SIMULATION_DOCUMENT_VERSION
  tool: {name: 'loadplan'; version: string}
  service: {
    /** Where the service model came from: a capacity result, or the flags. */
    source: string
    serviceTime: string
    meanServiceTimeMs: number
    concurrency: number
  }
  /** cv² of the gaps between arrivals (1 Poisson); `source` when measured from a recording. */
  arrivals: {ratePerSec: number; cv2: number; source?: string}
  balance: string
  /** The policy's own parameters (hash keys and Zipf exponent, sessions), in words. */
  balanceDetail?: string
  slo: string
  loss: string
  requestsPerFleet: number
  seed: number
  rows: SimulationRow[]
  /** The smallest fleet meeting the SLO (with the loss); null when none up to the limit did. */
  smallest: number | null
  /** What a utilisation target alone would buy, for comparison. */
  byUtilisation: {targetUtilisation: number; instances: number}
}

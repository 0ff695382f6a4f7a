/**
 * `Calibration`: what `loadplan calibrate` writes. This host's CPU on the performance table's own
 * scale (stress-ng `cpu --cpu-method div16`, bogo-ops/s), so that a capacity measured here can be
 * carried to cloud types (see planning/translate-capacity.ts).
 */
export const CALIBRATION_SCHEMA = 'loadplan/calibration'
export const CALIBRATION_VERSION = 1
/**
 * The stressor method of the performance table's source (Spare Cores runs `stress-ng --cpu N
 * --cpu-method div16`). Its work per bogo-op is a fixed integer loop, so scores compare across
 * stress-ng versions; the default method, `all`, rotates through a list that changes between
 * versions (1,736 bogo-ops/s here with 0.15.06 against 2,753 with div16).
 */
export const CALIBRATION_METHOD = 'div16'

/** One stress-ng cpu run: bogo ops, and its real, user and system seconds (summed over the stressors). */
export interface StressNgMetrics {
  bogoOps: number
  realSec: number
  usrSec: number
  sysSec: number
}

export interface Calibration {
  schema: typeof CALIBRATION_SCHEMA
  version: typeof CALIBRATION_VERSION
  measuredAt: string
  stressngVersion: string
  method: typeof CALIBRATION_METHOD
  durationSec: number
  cpuModel: string
  /** CPUs stress-ng ran on for the all-cores figure (this host's vCPUs). */
  cores: number
  /** bogo-ops/s, real time, one stressor. */
  singleCore: number
  /** bogo-ops/s, real time, one stressor per vCPU. */
  allCores: number
  /**
   * The CPU time each run got over its real time per stressor (1 = the cores to itself), and
   * whether the scores were corrected for the rest (scored per CPU-second); absent before 0.5.
   */
  contention?: {singleCoreCpuShare: number; allCoresCpuShare: number; corrected: boolean}
}

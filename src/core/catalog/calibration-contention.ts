/**
 * Whether a stress-ng calibration run had the CPUs to itself. On a busy host the stressors share
 * their cores with other work and their real-time score reads low (2,069–2,395 bogo-ops/s against
 * 2,750 quiet on one core here), which makes every translated capacity too high and plans
 * under-provision. stress-ng reports the CPU time it got, so the share is measured, not guessed:
 * near 100 % the real-time score stands; below, the score per CPU-second (times the stressors)
 * stands in for it, with a warning, since a sibling hyper-thread or a cache shared with the other
 * work still slows it; below half, the run says nothing reliable and is refused. Pure.
 */
import type {StressNgMetrics} from '../../contracts/results/calibration.js'

/** At or above this CPU share per stressor the run counts as quiet. */
export const QUIET_CPU_SHARE = 0.9
/** Below this share a correction would more than double the score: refused. */
export const MIN_CPU_SHARE = 0.5

export type CalibrationJudgement =
  | {kind: 'quiet'; opsPerSec: number; cpuShare: number}
  | {kind: 'corrected'; opsPerSec: number; cpuShare: number; realOpsPerSec: number}
  | {kind: 'refused'; cpuShare: number; realOpsPerSec: number}

/**
 * @param stressors the stressors that ran at once (1, or one per vCPU)
 * @example judgeCalibrationRun({bogoOps: 2973, realSec: 2, usrSec: 0.99, sysSec: 0}, 1) // => refused, share 0.495
 */
export function judgeCalibrationRun(metrics: StressNgMetrics, stressors: number): CalibrationJudgement {
  const cpuSec = metrics.usrSec + metrics.sysSec
  const realOpsPerSec = metrics.bogoOps / metrics.realSec
  const cpuShare = cpuSec / (metrics.realSec * stressors)
  if (cpuShare >= QUIET_CPU_SHARE) return {kind: 'quiet', opsPerSec: realOpsPerSec, cpuShare}
  if (cpuShare < MIN_CPU_SHARE) return {kind: 'refused', cpuShare, realOpsPerSec}
  // Each stressor's ops per CPU-second is its rate with a core of its own.
  return {kind: 'corrected', opsPerSec: (metrics.bogoOps / cpuSec) * stressors, cpuShare, realOpsPerSec}
}

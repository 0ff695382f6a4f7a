/**
 * How a service's capacity grows with CPUs, from capacity searches with the service pinned to 1, 2,
 * … CPUs (`capacity --command … --cpus 1,2`): Amdahl's law X(n) = X(1)·n / (1 + σ(n − 1)), σ the
 * serial fraction (0: twice the CPUs, twice the rate; 1: no gain). Fitted by least squares on its
 * linear form n/X(n) = a + b(n − 1), σ = b/a. Pure.
 */
import type {CoreMeasurement, CoreScaling} from '../../contracts/results/capacity-result.js'

/** Speed-up on `n` CPUs (or core-equivalents) of a service with serial fraction σ. */
export function amdahlSpeedup(n: number, serialFraction: number): number {
  return n / (1 + serialFraction * (n - 1))
}

export function fitCoreScaling(points: readonly CoreMeasurement[]): CoreScaling | {error: string} {
  const usable = points.filter((p) => p.cpus >= 1 && p.sustainableRatePerSec > 0)
  if (new Set(usable.map((p) => p.cpus)).size < 2) return {error: 'needs a sustainable rate at two or more CPU counts'}
  const xs = usable.map((p) => p.cpus - 1)
  const ys = usable.map((p) => p.cpus / p.sustainableRatePerSec)
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length
  let sxy = 0
  let sxx = 0
  xs.forEach((x, i) => {
    sxy += (x - meanX) * ((ys[i] as number) - meanY)
    sxx += (x - meanX) ** 2
  })
  const b = sxy / sxx
  const a = meanY - b * meanX
  if (!(a > 0)) return {error: 'the rates do not fit Amdahl’s law (more CPUs served far more than proportionally)'}
  return {points: [...usable], serialFraction: Math.min(1, Math.max(0, b / a)), oneCpuRatePerSec: 1 / a}
}

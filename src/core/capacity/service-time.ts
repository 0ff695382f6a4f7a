/** Service-time models (exponential, constant, empirical) and the samplers of service times and arrival gaps the fleet simulation draws from. */
import {lowerBound} from '../balancing/balancing-primitives.js'

export type ServiceTimeModel =
  | {kind: 'exponential'; meanMs: number}
  | {kind: 'constant'; ms: number}
  /** An empirical distribution: values (ms, ascending) with their cumulative probabilities (last = 1). */
  | {kind: 'empirical'; valuesMs: Float64Array; cumulative: Float64Array}

export function meanServiceTimeMs(model: ServiceTimeModel): number {
  if (model.kind === 'exponential') return model.meanMs
  if (model.kind === 'constant') return model.ms
  let mean = 0
  let previous = 0
  for (let i = 0; i < model.valuesMs.length; i++) {
    const p = (model.cumulative[i] as number) - previous
    mean += p * (model.valuesMs[i] as number)
    previous = model.cumulative[i] as number
  }
  return mean
}

/** The service time at percentile p (0–100): the floor under any fleet's response-time percentile. */
export function serviceTimePercentileMs(model: ServiceTimeModel, percentile: number): number {
  const q = percentile / 100
  if (model.kind === 'exponential') return -model.meanMs * Math.log(1 - q)
  if (model.kind === 'constant') return model.ms
  return model.valuesMs[lowerBound(model.cumulative, q, model.cumulative.length - 1)] as number
}

export function serviceSampler(model: ServiceTimeModel, random: () => number): () => number {
  if (model.kind === 'exponential') {
    const mean = model.meanMs
    return () => -mean * Math.log(1 - random())
  }
  if (model.kind === 'constant') {
    const ms = model.ms
    return () => ms
  }
  const {valuesMs, cumulative} = model
  const last = valuesMs.length - 1
  return () => valuesMs[lowerBound(cumulative, random(), last)] as number
}

/** Gaps between arrivals, ms: exponential, or gamma with shape 1/cv² for burstier (cv² > 1) or smoother traffic. */
export function arrivalGapSampler(ratePerSec: number, cv2: number, random: () => number): () => number {
  const meanMs = 1000 / ratePerSec
  if (Math.abs(cv2 - 1) < 1e-12) return () => -meanMs * Math.log(1 - random())
  const shape = 1 / cv2
  const scale = meanMs * cv2
  const normal = normalSampler(random)
  // Marsaglia–Tsang; a shape below 1 is boosted by U^(1/shape).
  const boosted = shape < 1
  const d = (boosted ? shape + 1 : shape) - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  return () => {
    for (;;) {
      const x = normal()
      const v0 = 1 + c * x
      if (v0 <= 0) continue
      const v = v0 * v0 * v0
      const u = random()
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        const g = d * v * scale
        return boosted ? g * Math.pow(1 - random(), 1 / shape) : g
      }
    }
  }
}

function normalSampler(random: () => number): () => number {
  let spare: number | undefined
  return () => {
    if (spare !== undefined) {
      const value = spare
      spare = undefined
      return value
    }
    let u = 0
    let v = 0
    let s = 0
    do {
      u = 2 * random() - 1
      v = 2 * random() - 1
      s = u * u + v * v
    } while (s >= 1 || s === 0)
    const f = Math.sqrt((-2 * Math.log(s)) / s)
    spare = v * f
    return u * f
  }
}

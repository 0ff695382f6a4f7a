/** Prediction bands: finite-sample conformal quantiles, error growth with the lead, the fallback, and coverage. */
import {describe, expect, it} from 'vitest'
import {forecastSeries} from '../../src/core/forecast/forecast.js'
import {intervalOffsets} from '../../src/core/forecast/intervals.js'

/** A deterministic pseudo-random sequence (mulberry32) and standard normals from it. */
function random(seed: number): {uniform(): number; normal(): number} {
  let a = seed
  const uniform = () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {uniform, normal: () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform())}
}

describe('interval offsets', () => {
  it('take the finite-sample conformal rank, not the plug-in quantile', () => {
    // Given 40 errors at lead 1: −20 … 19 (mean absolute error 10, so the scale is 10 at lead 1).
    const errors = {byLead: [Array.from({length: 40}, (_, i) => i - 20)], origins: 40}
    const {at, basis} = intervalOffsets(errors, 1)
    // By hand: scaled errors −2.0 … 1.9; upper 80 % rank ⌈41 × 0.9⌉ = 37 → 1.6; lower ⌊41 × 0.1⌋ = 4 → −1.7;
    // upper 95 % rank ⌈41 × 0.975⌉ = 40 → 1.9; lower ⌊41 × 0.025⌋ = 1 → −2.0. Symmetric (absolute
    // errors 0, 1, 1, 2, 2, …, 19, 19, 20): 80 % rank ⌈41 × 0.8⌉ = 33 → 1.6, 95 % rank ⌈41 × 0.95⌉ = 39 → 1.9.
    // Skew weight 40 / (40 + 3); widened by √(1 + 1/40).
    const widen = Math.sqrt(1 + 1 / 40)
    const w = 40 / 43
    const [lo80, hi80, lo95, hi95] = at(1)
    expect(hi80).toBeCloseTo(16 * widen, 9)
    expect(lo80).toBeCloseTo(-(w * 17 + (1 - w) * 16) * widen, 9)
    expect(hi95).toBeCloseTo(19 * widen, 9)
    expect(lo95).toBeCloseTo(-(w * 20 + (1 - w) * 19) * widen, 9)
    expect(basis).toMatchObject({method: 'conformal', errors: 40, origins: 40})
  })

  it('shrink the skew of few origins towards a symmetric band', () => {
    // Given 3 origins whose 40 errors at lead 1 are all positive: 1 … 40 (mean absolute error 20.5).
    const errors = {byLead: [Array.from({length: 40}, (_, i) => i + 1)], origins: 3}
    const [lo80, hi80] = intervalOffsets(errors, 1).at(1)
    // By hand, in units of the scale 20.5: signed 10 % quantile rank 4 → 4/20.5 (above zero), symmetric
    // 80 % rank 33 → 33/20.5; skew weight 3 / (3 + 3) = ½. The lower edge is −(½ × (−4) + ½ × 33) ×
    // widen, below the forecast, where the unshrunk band's lower edge would sit at the forecast itself.
    const widen = Math.sqrt(1 + 1 / 3)
    expect(lo80).toBeCloseTo(-(0.5 * -4 + 0.5 * 33) * widen, 9)
    expect(hi80).toBeCloseTo((0.5 * 37 + 0.5 * 33) * widen, 9)
  })

  it('grow with the lead as the backtest errors do, and no slower than h^¼', () => {
    // Given errors whose size grows like lead^0.8 (±lead^0.8 alternately, 10 per lead).
    const byLead = Array.from({length: 24}, (_, i) =>
      Array.from({length: 10}, (_, k) => (k % 2 ? 1 : -1) * (i + 1) ** 0.8),
    )
    const {at, basis} = intervalOffsets({byLead, origins: 10}, 1)
    expect(basis.leadExponent).toBeCloseTo(0.8, 6)
    expect(at(16)[1] / at(1)[1]).toBeCloseTo(16 ** 0.8, 6)
    // Errors that do not grow at all still widen, like h^¼ (16^¼ = 2).
    const flat = intervalOffsets(
      {byLead: Array.from({length: 24}, () => Array.from({length: 10}, (_, k) => (k % 2 ? 1 : -1))), origins: 10},
      1,
    )
    expect(flat.basis.leadExponent).toBe(0.25)
    expect(flat.at(16)[1] / flat.at(1)[1]).toBeCloseTo(2, 6)
  })

  it('fall back to a normal band around the seasonal naive error when there are too few errors', () => {
    const {at, basis} = intervalOffsets({byLead: [[1, -1, 2]], origins: 3}, 10)
    expect(basis.method).toBe('fallback')
    // By hand: sd = 10 × 1.25 = 12.5; at lead 4: 12.5 × 2 = 25; z(0.9) = 1.2816, z(0.975) = 1.96.
    expect(at(4)).toEqual([-1.2816 * 25, 1.2816 * 25, -1.96 * 25, 1.96 * 25])
  })
})

describe('forecast bands', () => {
  it('cover about what they claim on simulated hourly series with a short history', () => {
    // Given 40 series of 10 days of hourly values: a daily cycle plus an AR(1) disturbance.
    const rng = random(2026)
    let inside80 = 0
    let inside95 = 0
    let total = 0
    for (let s = 0; s < 40; s++) {
      const values: number[] = []
      let disturbance = 0
      for (let t = 0; t < 240 + 48; t++) {
        disturbance = 0.7 * disturbance + 5 * rng.normal()
        values.push(100 + 30 * Math.sin((2 * Math.PI * t) / 24) + disturbance)
      }
      const timestamps = values.map((_, t) => Date.UTC(2026, 0, 1) + t * 3_600_000)
      const result = forecastSeries(
        {resolution: 'hour', timestamps: timestamps.slice(0, 240), values: values.slice(0, 240)},
        {horizonSteps: 48},
      )
      result.points.forEach((p, i) => {
        const actual = values[240 + i] as number
        total++
        if (actual >= p.lo80 && actual <= p.hi80) inside80++
        if (actual >= p.lo95 && actual <= p.hi95) inside95++
      })
    }
    // Then the held-out values fall inside the bands about as often as claimed.
    expect(inside80 / total).toBeGreaterThan(0.72)
    expect(inside80 / total).toBeLessThan(0.92)
    expect(inside95 / total).toBeGreaterThan(0.88)
  })
})

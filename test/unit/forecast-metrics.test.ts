import {describe, expect, it} from 'vitest'
import {coverage, mase, meanAbsoluteError, msis, seasonalNaiveScale, smape} from '../../src/core/forecast/metrics.js'

describe('forecast metrics (M4 definitions)', () => {
  const insample = [10, 12, 14, 11, 13, 15] // seasonal lag 3: |11−10| + |13−12| + |15−14| = 3 over 3 → scale 1
  const actual = [12, 16, 13]
  const forecast = [14, 15, 13] // errors 2, 1, 0 → MAE 1

  it('scales MAE by the in-sample seasonal naive', () => {
    expect(seasonalNaiveScale(insample, 3)).toBe(1)
    expect(seasonalNaiveScale(insample, 1)).toBeCloseTo((2 + 2 + 3 + 2 + 2) / 5, 12)
    expect(meanAbsoluteError(actual, forecast)).toBe(1)
    expect(mase(actual, forecast, insample, 3)).toBe(1)
    expect(mase(actual, forecast, insample, 1)).toBeCloseTo(1 / 2.2, 12)
  })

  it('computes sMAPE in percent', () => {
    // By hand: 200/3 × (2/26 + 1/31 + 0/26) = 200/3 × 0.109181… = 7.27874…
    expect(smape(actual, forecast)).toBeCloseTo((200 / 3) * (2 / 26 + 1 / 31), 10)
    expect(smape([0], [0])).toBe(0)
  })

  it('counts coverage and computes MSIS with its penalties', () => {
    const lo = [11, 15, 14]
    const hi = [13, 17, 15]
    // 12 ∈ [11,13], 16 ∈ [15,17], 13 < 14: two of three inside.
    expect(coverage(actual, lo, hi)).toBeCloseTo(2 / 3, 12)
    // By hand with α = 0.05 (2/α = 40): widths 2 + 2 + 1 = 5; penalty 40 × (14 − 13) = 40; (5 + 40)/3 = 15; scale 1.
    expect(msis(actual, lo, hi, insample, 3, 0.05)).toBeCloseTo(15, 12)
  })

  it('skips gaps in the actuals', () => {
    expect(meanAbsoluteError([1, Number.NaN, 3], [2, 100, 3])).toBe(0.5)
    expect(coverage([Number.NaN, 5], [0, 0], [1, 10])).toBe(1)
  })
})

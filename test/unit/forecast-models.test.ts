import {describe, expect, it} from 'vitest'
import {forecastSeries, modelContext} from '../../src/core/forecast/forecast.js'
import {estimateGrowth} from '../../src/core/forecast/growth.js'
import {
  etsModel,
  MODELS,
  seasonalMedianModel,
  seasonalNaive,
  shiftedNaive,
  trendFourierModel,
} from '../../src/core/forecast/models.js'
import {createRandom} from '../../src/contracts/stats/random.js'

const HOUR = 3_600_000
const synthetic = (n: number, f: (t: number) => number) => Array.from({length: n}, (_, t) => f(t))
const noise = (seed: number, scale: number) => {
  const random = createRandom(seed)
  return () => (random() - 0.5) * 2 * scale
}

describe('models on synthetic series', () => {
  it('seasonal naive repeats the last season, skipping gaps', () => {
    const history = [1, 2, 3, 4, 5, 6, 7, Number.NaN, 9]
    expect(seasonalNaive(history, {periods: [3], season: 3}).forecast(4)).toEqual([7, 5, 9, 7])
  })

  it('seasonal median ignores a one-off spike in the last season', () => {
    const history = [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 50, 4]
    expect(seasonalMedianModel(4)(history, {periods: [4], season: 4}).forecast(4)).toEqual([1, 2, 3, 4])
  })

  it('seasonal median keeps a level that stepped up in the last short cycle', () => {
    // The profile is the median of four seasons (1, 2, 3, 4); the last season sits 10 above it.
    const history = [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 11, 12, 13, 14]
    expect(seasonalMedianModel(4)(history, {periods: [4], season: 4}).forecast(4)).toEqual([11, 12, 13, 14])
  })

  it("the shifted naive carries the last cycle's step, halving it each season", () => {
    // y − y(t − 4) over the last cycle is 8 everywhere: the naive repeats 9…12 and adds 8 · 0.5^(i/4).
    const history = [1, 2, 3, 4, 1, 2, 3, 4, 9, 10, 11, 12]
    const f = shiftedNaive(history, {periods: [4], season: 4}).forecast(8)
    const expected = [9, 10, 11, 12, 9, 10, 11, 12].map((v, i) => v + 8 * 0.5 ** ((i + 1) / 4))
    f.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 10))
  })

  it('trend + Fourier recovers a linear trend and a daily cycle', () => {
    // Given y = 100 + 0.5 t + 20 sin(2πt/24) + 8 cos(2πt/168), exactly.
    const y = synthetic(
      24 * 7 * 4,
      (t) => 100 + 0.5 * t + 20 * Math.sin((2 * Math.PI * t) / 24) + 8 * Math.cos((2 * Math.PI * t) / 168),
    )
    const fit = trendFourierModel({transform: 'none', dampingPerStep: 1})(y, modelContext('hour', y.length))
    const f = fit.forecast(48)
    const expected = synthetic(48, (i) => {
      const t = y.length + i
      return 100 + 0.5 * t + 20 * Math.sin((2 * Math.PI * t) / 24) + 8 * Math.cos((2 * Math.PI * t) / 168)
    })
    for (let i = 0; i < 48; i++) expect(Math.abs((f[i] as number) - (expected[i] as number))).toBeLessThan(1)
    const trend = fit.components?.(2).trend ?? []
    // The trend's slope is the 0.5 per hour we put in.
    expect((trend[1] as number) - (trend[0] as number)).toBeCloseTo(0.5, 2)
  })

  it('log-linear + Fourier recovers exponential growth', () => {
    // Given 2 % growth per week with a multiplicative daily cycle.
    const perHour = Math.log(1.02) / 168
    const y = synthetic(24 * 7 * 6, (t) => 200 * Math.exp(perHour * t) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 24)))
    const f = MODELS['loglinear-fourier'](y, modelContext('hour', y.length)).forecast(168)
    const actual =
      200 * Math.exp(perHour * (y.length + 167)) * (1 + 0.3 * Math.sin((2 * Math.PI * (y.length + 167)) / 24))
    expect(Math.abs((f[167] as number) / actual - 1)).toBeLessThan(0.02)
  })

  it('the saturating trend levels off below its cap', () => {
    // Given logistic growth towards 1000 (cap 1.5 × the maximum seen ≈ 1300 in the model).
    const y = synthetic(
      24 * 7 * 6,
      (t) => (1000 / (1 + Math.exp(-(t - 400) / 120))) * (1 + 0.1 * Math.sin((2 * Math.PI * t) / 24)),
    )
    const f = MODELS['saturating-fourier'](y, modelContext('hour', y.length)).forecast(24 * 60)
    const maxSeen = Math.max(...y)
    for (const v of f) expect(v).toBeLessThanOrEqual(1.5 * maxSeen)
    // Far out it flattens: the last day grows less than 2 % over the one a week earlier.
    const day = (d: number) => f.slice(d * 24, d * 24 + 24).reduce((a, b) => a + b, 0)
    expect(day(59) / day(52) - 1).toBeLessThan(0.02)
  })

  it('Holt–Winters tracks a seasonal series with a level shift', () => {
    const e = noise(3, 1)
    const y = synthetic(24 * 20, (t) => (t < 24 * 15 ? 50 : 80) + 10 * Math.sin((2 * Math.PI * t) / 24) + e())
    const f = etsModel(y, {periods: [24], season: 24}).forecast(24)
    const mean = f.reduce((a, b) => a + b, 0) / 24
    expect(Math.abs(mean - 80)).toBeLessThan(3)
  })

  it('estimates growth per month from cycle means (Theil–Sen)', () => {
    // Given +10 % per 30.4-day month, compounded hourly, over 12 weeks.
    const perHour = Math.log(1.1) / 730.5
    const y = synthetic(24 * 7 * 12, (t) => 100 * Math.exp(perHour * t) * (1 + 0.2 * Math.sin((2 * Math.PI * t) / 24)))
    const growth = estimateGrowth(y, 168, 730.5)
    expect(growth?.perMonth).toBeCloseTo(0.1, 3)
    expect(growth?.lo80).toBeLessThanOrEqual(growth?.perMonth as number)
  })
})

describe('forecastSeries', () => {
  const timestamps = (n: number) => Array.from({length: n}, (_, t) => Date.UTC(2026, 0, 1) + t * HOUR)

  it('chooses by backtest and puts intervals of near-nominal coverage around the forecast', () => {
    const e = noise(11, 15)
    const n = 24 * 7 * 8
    const all = synthetic(
      n + 168,
      (t) => 300 + 0.05 * t + 80 * Math.sin((2 * Math.PI * t) / 24) + 40 * Math.sin((2 * Math.PI * t) / 168) + e(),
    )
    const result = forecastSeries(
      {resolution: 'hour', timestamps: timestamps(n), values: all.slice(0, n)},
      {horizonSteps: 168},
    )
    expect(result.periods).toEqual([24, 168])
    // Eight weeks leave room for eight origins half a week apart after two weeks of training.
    expect(result.backtest.every((b) => b.folds === 8)).toBe(true)
    expect(result.points).toHaveLength(168)
    const actual = all.slice(n)
    const inside =
      actual.filter((a, i) => a >= (result.points[i]?.lo80 as number) && a <= (result.points[i]?.hi80 as number))
        .length / 168
    expect(inside).toBeGreaterThan(0.65)
    expect(inside).toBeLessThan(0.97)
    for (const p of result.points) {
      expect(p.lo95).toBeLessThanOrEqual(p.lo80)
      expect(p.hi80).toBeLessThanOrEqual(p.hi95)
    }
    expect(result.points[0]?.timestamp).toBe(Date.UTC(2026, 0, 1) + n * HOUR)
    expect(result.dailyPeaks).toHaveLength(7)
  })

  it('forces a model, warns about short history, and never crashes on a tiny series', () => {
    const short = synthetic(30, (t) => 10 + (t % 24))
    const result = forecastSeries(
      {resolution: 'hour', timestamps: timestamps(30), values: short},
      {horizonSteps: 48, model: 'ets'},
    )
    expect(result.model).toBe('ets')
    expect(result.warnings.join(' ')).toContain('less than three weeks')
    expect(result.warnings.join(' ')).toContain('longer than the history')
    expect(() =>
      forecastSeries({resolution: 'hour', timestamps: timestamps(5), values: [1, 2, 3, 4, 5]}, {horizonSteps: 2}),
    ).toThrow(/at least 8/)
  })

  it('carries the growth it reports into a year-long horizon, and says which model serves which steps', () => {
    // The case: four weeks of hourly traffic growing 3 % a month, with daily and weekly cycles.
    const e = noise(5, 0.04)
    const perHour = Math.log(1.03) / 730.5
    const level = (t: number) =>
      200 *
      Math.exp(perHour * t) *
      (1 + 0.35 * Math.sin((2 * Math.PI * t) / 24)) *
      (1 + 0.1 * Math.sin((2 * Math.PI * t) / 168))
    const n = 28 * 24
    const values = synthetic(n, (t) => level(t) * (1 + e()))
    const result = forecastSeries({resolution: 'hour', timestamps: timestamps(n), values}, {horizonSteps: 8766})
    expect(result.growth?.perMonth).toBeGreaterThan(0.02)
    const [near, far] = result.horizons
    expect(near?.fromStep).toBe(1)
    expect(far?.model).toBe('growth')
    expect(far?.fromStep).toBe((near?.toStep as number) + 1)
    expect(far?.toStep).toBe(8766)
    // The last month's peak: the truth is the cycle's peak grown for 12 months, about 1.43 × today's.
    const lastMonth = result.points.slice(-720)
    const peak = Math.max(...lastMonth.map((p) => p.forecast))
    const truth = Math.max(...Array.from({length: 720}, (_, i) => level(n + 8766 - 720 + i)))
    expect(Math.abs(peak / truth - 1)).toBeLessThan(0.1)
    // The band holds the truth and widens with the months.
    const width = (p: (typeof result.points)[number]) => p.hi80 - p.lo80
    expect(width(result.points.at(-1) as (typeof result.points)[number])).toBeGreaterThan(
      width(result.points[(far?.fromStep as number) - 1] as (typeof result.points)[number]),
    )
    // A week ahead stays within what the backtest vouches for: one part.
    const week = forecastSeries({resolution: 'hour', timestamps: timestamps(n), values}, {horizonSteps: 168})
    expect(week.horizons).toHaveLength(1)
    expect(week.horizons[0]?.model).toBe(week.model)
  })
})

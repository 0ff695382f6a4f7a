/**
 * The monthly peak as a distribution (issue 29): sample paths built from the history's level,
 * its growth and its own departures. Cases worked by hand: a noise-free cycle (every path the
 * same), exact growth (the peak is the series' own value at the month's last hour), the growth
 * range read as ±1.28 standard deviations, and the bundled traffic history against its own
 * recent monthly peaks.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {quantileSorted, sampleCorrelation} from 'simple-statistics'
import {levelWalkSd, monthlyPeakDistribution} from '../../src/core/planning/peak-distribution.js'

const HOURS_PER_MONTH = 730.5
const months = (count: number) =>
  Array.from({length: count}, (_, i) => ({fromStep: i * 730 + 1, toStep: (i + 1) * 730}))

describe('monthlyPeakDistribution', () => {
  it('a noise-free daily cycle, no growth: every path peaks at the cycle top, 150', () => {
    // 100 + 50 sin(2πt/24) over four weeks peaks at t ≡ 6 (mod 24): 150 exactly.
    const values = Array.from({length: 28 * 24}, (_, t) => 100 + 50 * Math.sin((2 * Math.PI * t) / 24))
    const [month] = monthlyPeakDistribution({
      values,
      season: 24,
      stepsPerMonth: HOURS_PER_MONTH,
      blockSteps: 24,
      months: months(1),
      paths: 50,
      seed: 7,
    })
    for (const q of [month?.p10, month?.p50, month?.p95]) expect(q).toBeCloseTo(150, 9)
  })

  it('exact growth of 5 %/month, no uncertainty: month m peaks at the series value at its last hour', () => {
    // y(t) = 100 · 1.05^(t / 730.5), four weeks of hours (n = 672); month m ends at future step
    // 730 m, history index 671 + 730 m: y = 100 · 1.05^((671 + 730 m) / 730.5).
    const n = 28 * 24
    const values = Array.from({length: n}, (_, t) => 100 * 1.05 ** (t / HOURS_PER_MONTH))
    const result = monthlyPeakDistribution({
      values,
      season: 24,
      stepsPerMonth: HOURS_PER_MONTH,
      blockSteps: 24,
      growth: {perMonth: 0.05, lo80: 0.05, hi80: 0.05},
      months: months(12),
      paths: 20,
      seed: 1,
    })
    for (const [i, month] of result.entries()) {
      const expected = 100 * 1.05 ** ((n - 1 + 730 * (i + 1)) / HOURS_PER_MONTH)
      // The level is a median of four days (the mean of the middle two), not their geometric
      // mean: a relative difference of about 1e-6.
      expect(month.p10 / expected - 1).toBeCloseTo(0, 4)
      expect(month.p95 / expected - 1).toBeCloseTo(0, 4)
    }
  })

  it("reads the growth's 80 % range as ±1.28 standard deviations of log(1 + g): month 12's P10 and P90 are the peaks at 1 % and 5 %/month", () => {
    const n = 28 * 24
    const values = Array.from({length: n}, (_, t) => 100 * 1.03 ** (t / HOURS_PER_MONTH))
    const result = monthlyPeakDistribution({
      values,
      season: 24,
      stepsPerMonth: HOURS_PER_MONTH,
      blockSteps: 24,
      growth: {perMonth: 0.03, lo80: 0.01, hi80: 0.05},
      months: months(12),
      paths: 4000,
      seed: 3,
    })
    const month12 = result[11]
    // The history is grown at 3 %, so its level now is y(n − 1); month 12 ends 8,760 steps on.
    const now = 100 * 1.03 ** ((n - 1) / HOURS_PER_MONTH)
    const at = (g: number) => now * (1 + g) ** (8760 / HOURS_PER_MONTH)
    // 4,000 paths: the sampled 10th and 90th percentiles of g have a standard error of about
    // 0.0004, which moves a 12-month peak by about ±0.5 %; the seed fixes the draw.
    expect(Math.abs(month12!.p10 / at(0.01) - 1)).toBeLessThan(0.015)
    expect(Math.abs(month12!.p90 / at(0.05) - 1)).toBeLessThan(0.015)
    // The range widens with the horizon: month 1's is a twelfth as wide, near enough.
    const width = (m: {p10: number; p90: number}) => m.p90 / m.p10 - 1
    expect(width(month12!)).toBeGreaterThan(8 * width(result[0]!))
  })

  it("the bundled traffic history: month 1's P50 lies within its recent monthly peaks, and the point forecast's 698/s is below P10", () => {
    const csv = readFileSync(join(import.meta.dirname, '..', '..', 'plans', 'data', 'sample-traffic.csv'), 'utf8')
    const values = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(line.split(',')[1]))
    // The last four weeks peaked at 1,629/s, the 27 days before them at 2,430/s.
    const n = values.length
    const last = Math.max(...values.slice(n - 672))
    const before = Math.max(...values.slice(0, n - 672))
    expect([last, before]).toEqual([1629, 2430])
    const [month1] = monthlyPeakDistribution({
      values,
      season: 168,
      stepsPerMonth: HOURS_PER_MONTH,
      blockSteps: 24,
      months: months(1),
      paths: 500,
      seed: 1,
    })
    expect(month1!.p50).toBeGreaterThanOrEqual(last)
    expect(month1!.p50).toBeLessThanOrEqual(before)
    // The plan's monthly peak today: the smoothed forecast's maximum (issue 29).
    expect(month1!.p10).toBeGreaterThan(698)
  })

  it('the same seed draws the same paths; one peak per path, in path order', () => {
    const values = Array.from({length: 24 * 21}, (_, t) => 50 + ((t * 7919) % 37))
    const run = (seed: number) =>
      monthlyPeakDistribution({
        values,
        season: 24,
        stepsPerMonth: HOURS_PER_MONTH,
        blockSteps: 24,
        months: months(2),
        paths: 100,
        seed,
      })
    expect(run(5)).toEqual(run(5))
    const [first] = run(5)
    expect(first?.pathPeaks).toHaveLength(100)
    expect(first?.p50).toBe(
      quantileSorted(
        [...(first?.pathPeaks ?? [])].sort((a, b) => a - b),
        0.5,
      ),
    )
  })

  it("keeps each path's identity across months: a path that grows fast in month 1 is still fast in month 3", () => {
    // A flat history (no departures) and a wide growth range: only the growth draw differs by path.
    const values = Array.from({length: 24 * 7 * 10}, () => 100)
    const [m1, , m3] = monthlyPeakDistribution({
      values,
      season: 168,
      stepsPerMonth: HOURS_PER_MONTH,
      blockSteps: 24,
      growth: {perMonth: 0.05, lo80: -0.05, hi80: 0.15},
      months: months(3),
      paths: 200,
      seed: 3,
    })
    // Rank correlation (Spearman) of the paths' peaks in months 1 and 3: the growth draw orders both.
    // (Departures of the first cycles differ a little, so paths with nearly equal draws may swap.)
    const ranks = (peaks: number[]) => {
      const order = peaks.map((_, i) => i).sort((a, b) => (peaks[a] as number) - (peaks[b] as number))
      const rank = new Array<number>(peaks.length)
      order.forEach((path, r) => (rank[path] = r))
      return rank
    }
    expect(sampleCorrelation(ranks(m1!.pathPeaks), ranks(m3!.pathPeaks))).toBeGreaterThan(0.99)
    expect(new Set(m1!.pathPeaks).size).toBeGreaterThan(150)
  })

  it('follows a monthly series with a yearly cycle to its next month, its growth carried by the departures', () => {
    // 60 months growing 1 % a month with a yearly cycle, no growth given: each month's departure
    // from last year's same month is 1.01^12, so the next month is last year's × 1.01^12, the truth.
    const values = Array.from({length: 60}, (_, t) => 100 * 1.01 ** t * (1 + 0.2 * Math.sin((2 * Math.PI * t) / 12)))
    const [month1] = monthlyPeakDistribution({
      values,
      season: 12,
      stepsPerMonth: 1,
      blockSteps: 1,
      months: [{fromStep: 1, toStep: 1}],
      paths: 200,
      seed: 1,
    })
    const truth = 100 * 1.01 ** 60
    expect(month1!.p50).toBeGreaterThan(0.99 * truth)
    expect(month1!.p50).toBeLessThan(1.01 * truth)
  })
})

describe('levelWalkSd', () => {
  /** Two steps a cycle, each cycle's values constant at e^(its log mean). */
  const cycles = (logMeans: number[]) => logMeans.flatMap((l) => [Math.exp(l), Math.exp(l)])

  it('a level that keeps moving: Var(Δ) + 2 Cov(Δₜ, Δₜ₋₁) by hand, 0.158', () => {
    // Log means 0, 0.1, 0.3, 0.6, 1.0: changes 0.1…0.4, mean 0.25, deviations ∓0.15, ∓0.05;
    // variance 0.05 / 3, lag-1 covariance (0.0075 − 0.0025 + 0.0075) / 3; sum 0.025.
    expect(levelWalkSd(cycles([0, 0.1, 0.3, 0.6, 1.0]), 2)).toBeCloseTo(Math.sqrt(0.025), 12)
  })

  it('week-to-week noise that comes back, a steady trend, or under three changes: 0', () => {
    expect(levelWalkSd(cycles([0, 0.2, 0, 0.2, 0, 0.2]), 2)).toBe(0)
    expect(levelWalkSd(cycles([0, 0.1, 0.2, 0.3, 0.4]), 2)).toBeCloseTo(0, 12)
    expect(levelWalkSd(cycles([0, 0.5, 0.1]), 2)).toBe(0)
  })
})

describe('monthlyPeakDistribution with a wandering level', () => {
  it("draws the level once a month, for the month's middle: month 1's log spread is σ √(cycles from the level to its middle)", () => {
    // A noise-free daily cycle (the same peak, 150, on every path without the walk). The level of
    // four cycles stands 2.5 cycles (60 hours) before the first future hour; month 1's middle is
    // future hour 365.5: 17.6875 cycles after it. Month 2's middle is 30.42 cycles later, past the
    // 26 cycles after which the wander stops adding spread: σ √26.
    const values = Array.from({length: 28 * 24}, (_, t) => 100 + 50 * Math.sin((2 * Math.PI * t) / 24))
    const sigma = 0.01
    const [m1, m2] = monthlyPeakDistribution({
      values,
      season: 24,
      stepsPerMonth: HOURS_PER_MONTH,
      blockSteps: 24,
      levelWalkSd: sigma,
      months: months(2),
      paths: 4000,
      seed: 11,
    })
    const logSpread = (m: typeof m1) => Math.log((m?.p90 ?? 0) / (m?.p10 ?? 1)) / (2 * 1.2815515655446004)
    expect(logSpread(m1) / (sigma * Math.sqrt(17.6875))).toBeCloseTo(1, 1)
    expect(logSpread(m2) / (sigma * Math.sqrt(26))).toBeCloseTo(1, 1)
    expect((m1?.p50 ?? 0) / 150).toBeCloseTo(1, 2)
  })
})

/**
 * The monthly peak of a history a year long or more: the same month a year before × the
 * year-over-year ratio, spread by that rule's own errors (issue 29's backtest on public hourly
 * series). Worked by hand: whole months, the ratio and the spread of a two-year series that steps
 * up 10 % at the new year, the two-years-back rule past a year of lead, and when it declines.
 */
import {describe, expect, it} from 'vitest'
import {quantileSorted} from 'simple-statistics'
import {wholeMonths, yearlyPeakDistribution, type HistoryMonth} from '../../src/core/planning/yearly-peaks.js'
import {forecastDemand} from '../../src/core/planning/demand-from-forecast.js'

const HOUR_MS = 3_600_000
const monthStart = (year: number, month: number) => Date.UTC(year, month, 1)

/** Hourly observations from `from` to `to` (exclusive), valued by `value(timeMs)`. */
function hours(from: number, to: number, value: (t: number) => number) {
  const timestamps: number[] = []
  const values: number[] = []
  for (let t = from; t < to; t += HOUR_MS) {
    timestamps.push(t)
    values.push(value(t))
  }
  return {timestamps, values}
}

/** 24 months of 2023–2024: month m (0-based) holds `base` with one hour at `base + spike`. */
function twoYears(level: (year: number) => number, spike = 20): HistoryMonth[] {
  const {timestamps, values} = hours(monthStart(2023, 0), monthStart(2025, 0), (t) => {
    const d = new Date(t)
    // The tenth day's noon of every month is its peak.
    return level(d.getUTCFullYear()) + (d.getUTCDate() === 10 && d.getUTCHours() === 12 ? spike : 0)
  })
  return wholeMonths(timestamps, values, 'hour')
}

describe('wholeMonths', () => {
  it('keeps the months the history covers whole, with their peak and mean', () => {
    // From 15 January to the end of March: January is partial; February (672 hours) and March.
    const {timestamps, values} = hours(Date.UTC(2024, 0, 15), monthStart(2024, 3), (t) =>
      new Date(t).getUTCMonth() === 1 ? 10 : 20,
    )
    values[timestamps.indexOf(Date.UTC(2024, 1, 3, 5))] = 40
    const months = wholeMonths(timestamps, values, 'hour')
    expect(months.map((m) => new Date(m.startMs).toISOString().slice(0, 7))).toEqual(['2024-02', '2024-03'])
    // February 2024 has 29 days: 696 hours, one of them 40.
    expect(months[0]?.peak).toBe(40)
    expect(months[0]?.mean).toBeCloseTo((695 * 10 + 40) / 696, 12)
    expect(months[1]).toMatchObject({peak: 20, mean: 20})
  })

  it('leaves out a month with more than a tenth of its hours missing', () => {
    const {timestamps, values} = hours(monthStart(2024, 0), monthStart(2024, 2), () => 5)
    for (let i = 0; i < 75; i++) values[i] = Number.NaN // 75 of January's 744 hours: 10.1 %
    expect(wholeMonths(timestamps, values, 'hour').map((m) => new Date(m.startMs).getUTCMonth())).toEqual([1])
  })
})

describe('yearlyPeakDistribution', () => {
  it('a series that steps up 10 % at the new year: R = 1.1, each month last year × 1.1, the errors resampled, by hand', () => {
    // 2023 at 100, 2024 at 110, each month's peak 20 above: 120 in 2023, 130 in 2024.
    const months = twoYears((year) => (year === 2023 ? 100 : 110))
    expect(months).toHaveLength(24)
    const targets = [monthStart(2025, 0), monthStart(2025, 5)]
    const result = yearlyPeakDistribution({months, targets, growthPerMonth: 0, paths: 4000, seed: 3})
    if (!result) throw new Error('expected the yearly rule')
    const {basis, distribution} = result
    // R: the 12 months of 2024 over those of 2023, by their means; a month's mean is
    // level + 20 / (its hours), so R is a little under 1.1.
    const sum = (list: HistoryMonth[]) => list.reduce((s, m) => s + m.mean, 0)
    const ratio = sum(months.slice(12)) / sum(months.slice(0, 12))
    expect(basis.ratio).toBeCloseTo(ratio, 12)
    expect(basis.ratioMonths).toBe(12)
    // The rule's errors: February…December 2024 (January has no earlier R), 11 months. Each R
    // rests on the months of 2024 before it, so they differ a little from month to month.
    expect(basis.errorMonths).toBe(11)
    const errors = months.slice(13).map((m, i) => {
      const pairs = months.slice(12, 13 + i)
      const r = sum(pairs) / sum(pairs.map((p) => months[months.indexOf(p) - 12] as HistoryMonth))
      return Math.log(m.peak / ((months[13 + i - 12] as HistoryMonth).peak * r))
    })
    const meanError = errors.reduce((s, e) => s + e, 0) / 11
    // The prior: the 23 month-to-month changes of the peak, one of them log(130 / 120).
    const prior = Math.sqrt(Math.log(130 / 120) ** 2 / 23)
    expect(basis.priorSigma).toBeCloseTo(prior, 12)
    // 11 errors against the prior's weight of 3 months: 11 / 14 of the draws are resampled errors.
    expect(basis.ownShare).toBeCloseTo(11 / 14, 12)
    expect(basis.bias).toBeCloseTo((11 * meanError) / 14, 12)
    // January 2025 is January 2024's 130 × R × e^ε: about 11/14 of its paths carry exactly one of
    // the errors (4,000 draws: ±3 %), the rest a normal draw of the prior's spread.
    const january = distribution[0]?.pathPeaks ?? []
    const resampled = january.filter((peak) =>
      errors.some((e) => Math.abs(Math.log(peak / (130 * ratio)) - e) < 1e-12),
    ).length
    expect(resampled / january.length).toBeCloseTo(11 / 14, 1)
    // The errors are all near −1.5 % (the peak is 20 above a level that rose 10 %): the median path.
    expect((distribution[0]?.p50 ?? 0) / (130 * ratio * Math.exp(meanError))).toBeCloseTo(1, 2)
    expect(distribution[1]?.pathPeaks).toHaveLength(4000)
  })

  it('past a year of lead: the month two years before × R², its error counted for both years', () => {
    const months = twoYears((year) => (year === 2023 ? 100 : 110), 0)
    // Constant months: every error and every change but the new year's is 0.
    const far = monthStart(2025, 11) // December 2025: its year before (December 2024) is in the history
    const farther = monthStart(2026, 0) // January 2026: only January 2024, two years before
    const result = yearlyPeakDistribution({months, targets: [far, farther], growthPerMonth: 0, paths: 2000, seed: 5})
    if (!result) throw new Error('expected the yearly rule')
    const {ratio, priorSigma, ownShare, correlation} = result.basis
    expect(ratio).toBeCloseTo(1.1, 12)
    expect(ownShare).toBeCloseTo(11 / 14, 12)
    expect(correlation).toBe(0) // errors all 0: no lag-1 correlation to read
    // Every error is 0, so more than half the paths sit exactly on the rule: the median is exact.
    const sorted = (i: number) => [...(result.distribution[i]?.pathPeaks ?? [])].sort((a, b) => a - b)
    expect(quantileSorted(sorted(0), 0.5)).toBeCloseTo(110 * 1.1, 9)
    expect(quantileSorted(sorted(1), 0.5)).toBeCloseTo(110 * 1.1 ** 2, 9)
    // The prior's draws (3/14 of paths) spread by σ one year out and by √2 σ two years out.
    const offRule = (i: number, center: number) =>
      (result.distribution[i]?.pathPeaks ?? []).map((p) => Math.log(p / center)).filter((l) => Math.abs(l) > 1e-12)
    const sd = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length)
    expect(sd(offRule(0, 110 * 1.1)) / priorSigma).toBeCloseTo(1, 1)
    expect(sd(offRule(1, 110 * 1.1 ** 2)) / (Math.SQRT2 * priorSigma)).toBeCloseTo(1, 1)
  })

  it('a history of 12 whole months: R from the fitted growth, every error month unknown, the prior spread alone', () => {
    const all = twoYears((year) => (year === 2023 ? 100 : 110))
    const year = all.slice(0, 12)
    const result = yearlyPeakDistribution({
      months: year,
      targets: [monthStart(2024, 0)],
      growthPerMonth: 0.01,
      paths: 100,
      seed: 1,
    })
    expect(result?.basis).toMatchObject({ratioMonths: 0, errorMonths: 0, bias: 0})
    expect(result?.basis.ratio).toBeCloseTo(1.01 ** 12, 12)
    // Every peak of 2023 is 120: no change month to month, no spread.
    expect(result?.basis).toMatchObject({priorSigma: 0, ownShare: 0})
    expect(result?.distribution[0]?.p10).toBeCloseTo(120 * 1.01 ** 12, 9)
  })

  it('declines when the history is under a year or a target has no month a year (or two) before', () => {
    const all = twoYears(() => 100)
    expect(
      yearlyPeakDistribution({
        months: all.slice(0, 11),
        targets: [monthStart(2023, 11)],
        growthPerMonth: 0,
        paths: 10,
        seed: 1,
      }),
    ).toBeUndefined()
    expect(
      yearlyPeakDistribution({months: all, targets: [monthStart(2027, 0)], growthPerMonth: 0, paths: 10, seed: 1}),
    ).toBeUndefined()
  })
})

describe('forecastDemand with a long history', () => {
  it('plans a year-long hourly history from the same month a year before, and says so', () => {
    // Two years of hours: a daily cycle on a level that is 50 % higher in July than in January.
    const observations = hours(monthStart(2023, 0), monthStart(2025, 0), (t) => {
      const d = new Date(t)
      const season = 1 + 0.5 * Math.sin((Math.PI * d.getUTCMonth()) / 11)
      return 100 * season * (1 + 0.3 * Math.sin((2 * Math.PI * d.getUTCHours()) / 24))
    })
    const demand = forecastDemand(
      observations.timestamps.map((timeMs, i) => ({timeMs, value: observations.values[i] as number})),
      'two-years.csv',
      {aggregate: 'mean', months: 12},
      monthStart(2025, 0),
    )
    expect(demand.assumption).toContain("two-years.csv's same month a year before")
    // June 2025's P50 is June 2024's peak (no growth, no error): the seasonal swing kept.
    const june = demand.months.find((m) => new Date(m.startMs).getUTCMonth() === 5)
    const junePeak = 100 * (1 + 0.5 * Math.sin((Math.PI * 5) / 11)) * 1.3
    expect((june?.peakQuantiles?.p50 ?? 0) / junePeak).toBeCloseTo(1, 2)
    const january = demand.months[0]?.peakQuantiles?.p50 ?? 0
    expect(january / (100 * 1.3)).toBeCloseTo(1, 2)
  })
})

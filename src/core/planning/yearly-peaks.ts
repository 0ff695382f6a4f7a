/**
 * The monthly peak of a history that holds a year or more (issue 29's backtest). The sample paths of
 * peak-distribution.ts carry four weeks' level forward with the history's hourly departures; on a
 * year-long history that misses the yearly cycle and overshoots (hourly electricity load, 4 years:
 * P50 of the monthly peak 23–30 % off against the seasonal naive's 3–9 %; 29 % of actual peaks inside
 * P10–P90). With a year behind it, a month's peak is read from the same month a year before:
 *
 *   peak(M) = peak(M − 12) · R · e^ε
 *
 * - R, the year-over-year ratio: the mean of the last months (up to 12) that have their month a
 *   year before, over those months' means; with none, the fitted growth compounded over 12 months.
 * - ε, this rule's own error on the history: every whole month with its month a year before and an
 *   R known before it gives log(actual / predicted). A draw resamples them with the weight of
 *   their count k, k / (k + PRIOR_MONTHS), and otherwise comes from a normal as wide as the
 *   month-to-month changes of the peak (wider, and always known), so a history with few such
 *   months gets wide ranges, not confident ones. Months of one path share their draw with the
 *   chance of those errors' lag-1 correlation: an R that is off is off for every month.
 * - Beyond 12 months, the month two years before with R², and the errors of both years added.
 * Pure.
 */
import {createRandom, standardNormal as normal} from '../../contracts/stats/random.js'
import {addSteps, stepStart} from '../series/regularise.js'
import type {Resolution} from '../../contracts/results/forecast-document.js'
import {peakDistributionOf, type MonthPeakDistribution} from './peak-distribution.js'
import {lagOneMoments} from '../../contracts/stats/lag-one-moments.js'

export interface HistoryMonth {
  startMs: number
  peak: number
  mean: number
}

/** How the yearly rule was set up: for the plan's assumption line. */
export interface YearlyPeakBasis {
  /** Year-over-year ratio of the monthly means. */
  ratio: number
  /** Months R was taken over; 0: from the fitted growth. */
  ratioMonths: number
  /** Months of the history that scored the rule. */
  errorMonths: number
  /** The share of draws taken from the rule's own errors; the rest from the prior. */
  ownShare: number
  /** The prior's spread: the month-to-month change of the peak (sd of its log). */
  priorSigma: number
  /** The mean log error the paths carry: the own errors' mean × ownShare. */
  bias: number
  /** The correlation of one path's months. */
  correlation: number
}

/** Months of weight the prior spread carries against the rule's own errors. */
const PRIOR_MONTHS = 3
/** Most months R is taken over. */
const RATIO_MONTHS = 12
/** A month counts when at least this share of its steps hold a value. */
const WHOLE_SHARE = 0.9
const MAX_CORRELATION = 0.9
const DEFAULT_CORRELATION = 0.5
/** Errors needed before their lag-1 correlation is read. */
const MIN_CORRELATION_MONTHS = 8

/** The calendar months the history covers whole, with their peak and mean. */
export function wholeMonths(
  timestamps: readonly number[],
  values: readonly number[],
  resolution: Resolution,
): HistoryMonth[] {
  const byMonth = new Map<number, {peak: number; sum: number; count: number}>()
  timestamps.forEach((t, i) => {
    const key = stepStart(t, 'month')
    const m = byMonth.get(key) ?? {peak: Number.NEGATIVE_INFINITY, sum: 0, count: 0}
    const v = values[i] as number
    if (Number.isFinite(v)) {
      m.peak = Math.max(m.peak, v)
      m.sum += v
      m.count++
    }
    byMonth.set(key, m)
  })
  const first = timestamps[0] ?? 0
  const last = timestamps.at(-1) ?? 0
  const months: HistoryMonth[] = []
  for (const [startMs, m] of [...byMonth.entries()].sort(([a], [b]) => a - b)) {
    const endMs = addSteps(startMs, 1, 'month')
    const expected = Math.round((endMs - startMs) / (addSteps(startMs, 1, resolution) - startMs))
    const covered = first <= startMs && addSteps(last, 1, resolution) >= endMs
    if (covered && m.count >= WHOLE_SHARE * expected && m.peak > 0)
      months.push({startMs, peak: m.peak, mean: m.sum / m.count})
  }
  return months
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length

/** R known at `beforeMs`: the last months before it with their month a year before, mean over mean. */
function yearRatio(
  byStart: ReadonlyMap<number, HistoryMonth>,
  months: readonly HistoryMonth[],
  beforeMs: number,
): {ratio: number; months: number} | undefined {
  const pairs = months
    .filter((m) => m.startMs < beforeMs && byStart.has(addSteps(m.startMs, -12, 'month')))
    .slice(-RATIO_MONTHS)
  if (pairs.length === 0) return undefined
  const now = pairs.reduce((s, m) => s + m.mean, 0)
  const before = pairs.reduce((s, m) => s + (byStart.get(addSteps(m.startMs, -12, 'month')) as HistoryMonth).mean, 0)
  return before > 0 ? {ratio: now / before, months: pairs.length} : undefined
}

/**
 * Each target month's peak as a distribution, or undefined when the history does not hold the month
 * a year before every target (nor two years before, for targets past a year).
 */
export function yearlyPeakDistribution(input: {
  months: readonly HistoryMonth[]
  /** Calendar month starts to forecast, in order. */
  targets: readonly number[]
  /** Fitted growth per month, for R when no month has its year before. */
  growthPerMonth: number
  paths: number
  seed: number
}): {distribution: MonthPeakDistribution[]; basis: YearlyPeakBasis} | undefined {
  const {months} = input
  const byStart = new Map(months.map((m) => [m.startMs, m]))
  // Every target needs its month a year (or, past a year of lead, two years) before in the history.
  const analogs = input.targets.map((t) => {
    for (let years = 1; years <= 2; years++) {
      const at = byStart.get(addSteps(t, -12 * years, 'month'))
      if (at) return {month: at, years}
    }
    return undefined
  })
  if (months.length < 12 || analogs.some((a) => a === undefined)) return undefined

  const fitted = (1 + input.growthPerMonth) ** 12
  const known = yearRatio(byStart, months, Number.POSITIVE_INFINITY)
  const ratio = known?.ratio ?? fitted
  // The rule's errors on the history, each with the R known before that month.
  const errors: number[] = []
  for (const m of months) {
    const before = byStart.get(addSteps(m.startMs, -12, 'month'))
    const r = yearRatio(byStart, months, m.startMs)
    if (before && r) errors.push(Math.log(m.peak / (before.peak * r.ratio)))
  }
  // The prior: month-to-month changes of the peak, seasonal swings included (wider than the rule's).
  const changes = months.slice(1).map((m, i) => Math.log(m.peak / (months[i] as HistoryMonth).peak))
  const priorSigma = Math.sqrt(mean(changes.map((c) => c * c)))
  const k = errors.length
  const ownShare = k > 1 ? k / (k + PRIOR_MONTHS) : 0
  const moments = k > 0 ? lagOneMoments(errors) : {mean: 0, variance: 0, lag1Covariance: 0}
  const correlation =
    k >= MIN_CORRELATION_MONTHS
      ? Math.min(MAX_CORRELATION, Math.max(0, moments.variance > 0 ? moments.lag1Covariance / moments.variance : 0))
      : DEFAULT_CORRELATION
  const random = createRandom(input.seed)
  const peaks: number[][] = input.targets.map(() => [])
  // Each month of a path draws its error from the rule's own errors (resampled, with their shape:
  // a few large misses widened a normal's middle, 65 % of peaks inside P25–P75 on the public
  // series) with the weight of their count, else from the prior; with the correlation's chance it
  // repeats the path's shared draw instead.
  for (let path = 0; path < input.paths; path++) {
    const shared = {own: random() < ownShare, index: Math.floor(random() * k), z: normal(random)}
    analogs.forEach((analog, i) => {
      const {month, years} = analog as {month: HistoryMonth; years: number}
      const draw =
        random() < correlation ? shared : {own: random() < ownShare, index: Math.floor(random() * k), z: normal(random)}
      const epsilon = draw.own ? (errors[draw.index] as number) : priorSigma * draw.z
      ;(peaks[i] as number[]).push(month.peak * ratio ** years * Math.exp(Math.sqrt(years) * epsilon))
    })
  }
  return {
    distribution: peaks.map(peakDistributionOf),
    basis: {
      ratio,
      ratioMonths: known?.months ?? 0,
      errorMonths: k,
      ownShare,
      priorSigma,
      bias: ownShare * moments.mean,
      correlation,
    },
  }
}

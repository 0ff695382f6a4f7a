/**
 * Each future month's peak as a distribution (issue 29). The peak of a smoothed forecast sits far
 * below the peaks that happen (698/s against a last week that reached 1,154/s on the README's
 * example), and hourly interval widths scaled out to a year grow without bound. Here the peak
 * comes from sample paths that look like the history:
 *
 *   path(t) = S(phase of t) · G(t) · r(t)
 *
 * - S: the level and shape now, the median of each phase over the last cycles that fit in about a
 *   month (four weeks of an hourly history; last year's month alone for a monthly one);
 * - G: growth, (1 + g)^(months from that level), with g drawn once per path from the growth
 *   estimate's uncertainty (its 80 % range read as ±1.28 standard deviations of log(1 + g));
 * - r: the history's own departures from that kind of level, y(t) / median of y at the same phase
 *   as many cycles earlier (growth taken out), resampled in blocks of a day so that a busy
 *   day stays a busy day.
 *
 * The month's peak on each path is its largest value; the quantiles over paths are the
 * distribution. Long-horizon width comes from g, not from hourly errors compounded. Pure.
 */
import {quantileSorted} from 'simple-statistics'
import {createRandom, standardNormal as normal} from '../../contracts/stats/random.js'
import {lagOneMoments} from '../../contracts/stats/lag-one-moments.js'
import {logGrowthSd} from '../forecast/growth.js'

export interface PeakDistributionInput {
  /** The history on a regular grid (NaN marks a gap), oldest first. */
  values: readonly number[]
  /** Steps of the main cycle (168 for a week of hours; 1 for none). */
  season: number
  stepsPerMonth: number
  /** Steps a resampled block of departures spans (24 for hourly). */
  blockSteps: number
  /**
   * Growth per month with its 80 % range; none: no growth. Drawn per path as log(1 + g) from a
   * normal whose 80 % range is the given one (a multiplicative rate never goes below −100 %).
   */
  growth?: {perMonth: number; lo80: number; hi80: number}
  /**
   * How far the level wanders per cycle (sd of its log; levelWalkSd): drawn once a month for the
   * month's middle. None: the level stays.
   */
  levelWalkSd?: number
  /** Each month's future steps, counted from 1 = the step after the history's last. */
  months: ReadonlyArray<{fromStep: number; toStep: number}>
  paths: number
  seed: number
}

export interface PeakQuantiles {
  p10: number
  p25: number
  p50: number
  p75: number
  p80: number
  p90: number
  p95: number
}

export interface MonthPeakDistribution extends PeakQuantiles {
  /**
   * Every path's peak, in path order: path i of one month and of the next share their growth draw,
   * so a horizon's total is taken path by path. The overload probability of a fleet is the share
   * above its capacity.
   */
  pathPeaks: number[]
}

/**
 * How far the level wanders, per cycle (log): the local-level model's moment estimate from the
 * changes of the whole cycles' log means, Var(Δ) + 2·Cov(Δₜ, Δₜ₋₁) — the week-to-week noise that
 * comes back (a rainy week) is taken out; what stays is the drift a season brings. Under three
 * changes, or a negative estimate: 0.
 */
export function levelWalkSd(values: readonly number[], season: number): number {
  if (season <= 1) return 0
  const logs: number[] = []
  for (let end = values.length; end - season >= 0; end -= season) {
    const chunk = values.slice(end - season, end).filter(Number.isFinite)
    const chunkMean = chunk.reduce((a, b) => a + b, 0) / chunk.length
    if (chunk.length >= season / 2 && chunkMean > 0) logs.unshift(Math.log(chunkMean))
  }
  const changes = logs.slice(1).map((l, i) => l - (logs[i] as number))
  if (changes.length < 3) return 0
  const {variance, lag1Covariance} = lagOneMoments(changes)
  return Math.sqrt(Math.max(0, variance + 2 * lag1Covariance))
}

/**
 * Cycles after which the level's wandering stops adding spread: half a year of weeks. A level that
 * moves with the seasons is as far from today's as it gets half a year on; drawn on for a year, it
 * made the README example's month 12 P95 3.6 × its P50 on a flat history.
 */
const WALK_CYCLES_MAX = 26

/** Cycles the level and the departures are taken over. */
const LEVEL_CYCLES = 4
/** The q-quantile of ascending values (simple-statistics: type 7, as R's default); NaN for none. */
function quantileOf(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? Number.NaN : quantileSorted(sorted as number[], q)
}

function median(values: number[]): number {
  return quantileOf(
    values.filter(Number.isFinite).sort((a, b) => a - b),
    0.5,
  )
}

/** The median of y at the same phase `cycles` cycles before `end` (exclusive), one value per cycle. */
function phaseMedian(values: readonly number[], season: number, at: number, cycles: number): number {
  const same: number[] = []
  for (let k = 1; k <= cycles; k++) {
    const index = at - k * season
    if (index >= 0) same.push(values[index] as number)
  }
  return median(same)
}

export function monthlyPeakDistribution(input: PeakDistributionInput): MonthPeakDistribution[] {
  const {values, stepsPerMonth} = input
  // A yearly cycle of days is 365.25 steps: phases are whole steps.
  const season = Math.max(1, Math.min(Math.round(input.season), Math.floor(values.length / 2)))
  const n = values.length
  const growth = input.growth
  const perMonth = growth?.perMonth ?? 0
  const logGrowth = Math.log1p(perMonth)
  const growthSd = growth ? logGrowthSd(growth) : 0
  // A median over k cycles at one phase stands (k + 1)/2 cycles before the step it is taken for.
  const ageOf = (cycles: number) => ((cycles + 1) / 2) * season
  // The level now: each phase's median over the last cycles, as many as fit in about a month (four
  // weeks of an hourly history, up to LEVEL_CYCLES) but at least one: a yearly cycle of months
  // takes last year's month alone. Four years of one month lagged a growing series (the airline
  // passengers: P50 off by 8 % against the seasonal naive's 5 %; with one, 4 %).
  const maxCycles = Math.max(1, Math.min(LEVEL_CYCLES, Math.round(stepsPerMonth / season)))
  const levelCycles = Math.min(maxCycles, Math.floor(n / season))
  const profile = Array.from({length: season}, (_, phase) => phaseMedian(values, season, n + phase, levelCycles))
  const levelAgeSteps = ageOf(levelCycles)
  // Departures from a level of the same kind, with the growth over its age taken out.
  const departures: number[] = []
  // Departures from a level of fewer cycles than the level now are noisier than the paths' (a
  // rainy week before a sunny one made one day of bicycle rentals 16 times its "level"): where the
  // history allows a cycle of them, only departures from a full level are drawn.
  const fullFrom = n - maxCycles * season >= season ? maxCycles * season : season
  for (let t = season; t < n; t++) {
    if (t < fullFrom) {
      departures.push(Number.NaN)
      continue
    }
    const cycles = Math.min(maxCycles, Math.floor(t / season))
    const level = phaseMedian(values, season, t, cycles)
    const drift = (1 + perMonth) ** (ageOf(cycles) / stepsPerMonth)
    const y = values[t] as number
    departures.push(Number.isFinite(y) && level > 0 ? y / level / drift : Number.NaN)
  }
  const usable = departures.some(Number.isFinite)
  const random = createRandom(input.seed)
  const lastStep = Math.max(0, ...input.months.map((m) => m.toStep))
  const peaks: number[][] = input.months.map(() => [])
  const block = Math.max(1, Math.min(input.blockSteps, n - season))
  /**
   * A random history index at the same phase of the block (the same hour of the day) as history
   * index j, with the rest of its block inside the history: a night's spike stays at night.
   */
  const alignedStart = (j: number): number => {
    const phase = j % block
    const first = season + ((((phase - season) % block) + block) % block)
    const room = n - 1 - (block - 1 - phase) - first
    return room < 0 ? season : first + Math.floor(random() * (Math.floor(room / block) + 1)) * block
  }
  const walkSd = input.levelWalkSd ?? 0
  for (let path = 0; path < input.paths; path++) {
    const g = Math.expm1(logGrowth + growthSd * normal(random))
    let walk = 1
    // The level stands levelAgeSteps before history index n, which future step 1 is.
    const walkFrom = 1 - levelAgeSteps
    let walked = 0
    // The level of phase p stands levelAgeSteps before history index n + p; future step s (phase
    // p = (s − 1) mod the cycle) is index n + s − 1: it grows by (1 + g)^((levelAgeSteps + s − 1 − p)
    // / stepsPerMonth), the same for a whole cycle. A running product, reset at each cycle's start.
    const perStep = (1 + g) ** (1 / stepsPerMonth)
    let atStep = (1 + g) ** (levelAgeSteps / stepsPerMonth)
    let grown = atStep
    let source = season
    let monthIndex = 0
    let monthPeak = Number.NEGATIVE_INFINITY
    for (let step = 1; step <= lastStep; step++) {
      const j = n + step - 1
      source = step === 1 || j % block === 0 ? alignedStart(j) : source + 1
      const departure = usable ? (departures[source - season] as number) : 1
      // profile[p] is the phase of history index n + p (mod the cycle): future step s is index n + s − 1.
      const level = profile[(step - 1) % season] as number
      if ((step - 1) % season === 0) grown = atStep
      const monthNow = input.months[monthIndex]
      if (walkSd > 0 && monthNow && step === monthNow.fromStep) {
        // One draw a month, for its middle, over the cycles since the last draw (or since the
        // level): drawn per week, the month's peak would take the highest of four draws.
        const middle = (monthNow.fromStep + monthNow.toStep) / 2
        const walkedTo = Math.min(WALK_CYCLES_MAX, (middle - walkFrom) / season)
        walk *= Math.exp(walkSd * Math.sqrt(Math.max(0, walkedTo - walked)) * normal(random))
        walked = walkedTo
      }
      atStep *= perStep
      const value = (Number.isFinite(level) ? level : 0) * grown * walk * (Number.isFinite(departure) ? departure : 1)
      const month = input.months[monthIndex]
      if (month && step >= month.fromStep) monthPeak = Math.max(monthPeak, value)
      if (month && step === month.toStep) {
        ;(peaks[monthIndex] as number[]).push(monthPeak)
        monthPeak = Number.NEGATIVE_INFINITY
        monthIndex++
      }
    }
  }
  return peaks.map(peakDistributionOf)
}

/** A month's peak distribution from its paths' peaks (kept in path order beside the quantiles). */
export function peakDistributionOf(pathPeaks: number[]): MonthPeakDistribution {
  const sorted = [...pathPeaks].sort((a, b) => a - b)
  return {
    p10: quantileOf(sorted, 0.1),
    p25: quantileOf(sorted, 0.25),
    p50: quantileOf(sorted, 0.5),
    p75: quantileOf(sorted, 0.75),
    p80: quantileOf(sorted, 0.8),
    p90: quantileOf(sorted, 0.9),
    p95: quantileOf(sorted, 0.95),
    pathPeaks,
  }
}

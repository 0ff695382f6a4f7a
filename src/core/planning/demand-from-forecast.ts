/**
 * The demand a plan sizes for, month by month: a stated growth, or a forecast of a history (each
 * month's hourly peak with its bands, and the mean). Pure.
 */
import {horizonSteps} from '../series/horizon.js'
import {forecastSeries, STEPS_PER_MONTH} from '../forecast/forecast.js'
import {dailyPeaks} from '../series/daily-peaks.js'
import {regularise, type Observation, type RegularSeries} from '../series/regularise.js'
import {demandFromGrowth} from './capacity-plan.js'
import type {DemandSource, PlanOptions} from './plan-settings.js'
import type {Demand} from './prepared-plan.js'
import type {ForecastResult} from '../../contracts/results/forecast-document.js'
import type {DemandMonth} from '../../contracts/results/plan-document.js'
import {addSteps, stepStart} from '../series/regularise.js'
import type {Resolution} from '../../contracts/results/forecast-document.js'
import {levelWalkSd, monthlyPeakDistribution} from './peak-distribution.js'
import {GROWTH_PRIOR_SD, shrinkGrowth} from '../forecast/growth.js'
import {wholeMonths, yearlyPeakDistribution} from './yearly-peaks.js'

/**
 * Whole calendar months covered by the forecast (the partial months it starts and ends in are
 * skipped), at most `months`.
 */
export function demandFromForecast(result: ForecastResult, months: number): DemandMonth[] {
  const firstMs = result.points[0]?.timestamp ?? 0
  const endMs = addSteps(result.points.at(-1)?.timestamp ?? 0, 1, result.resolution)
  const byMonth = new Map<number, {peak: number; hi80: number; hi95: number; sum: number; count: number}>()
  for (const p of result.points) {
    const key = stepStart(p.timestamp, 'month')
    const m = byMonth.get(key) ?? {peak: 0, hi80: 0, hi95: 0, sum: 0, count: 0}
    m.peak = Math.max(m.peak, p.forecast)
    m.hi80 = Math.max(m.hi80, p.hi80)
    m.hi95 = Math.max(m.hi95, p.hi95)
    m.sum += p.forecast
    m.count++
    byMonth.set(key, m)
  }
  return [...byMonth.entries()]
    .sort(([a], [b]) => a - b)
    .filter(([startMs]) => startMs >= firstMs && addSteps(startMs, 1, 'month') <= endMs)
    .slice(0, months)
    .map(([startMs, m], i) => ({
      month: i + 1,
      startMs,
      peakRps: m.peak,
      peakHi80: m.hi80,
      peakHi95: m.hi95,
      meanRps: m.sum / m.count,
    }))
}

/** Sample paths of each month's peak, and their fixed seed: the same history gives the same plan. */
export const PEAK_PATHS = 1000
const PEAK_SEED = 1
/** Departures are resampled a day of hours or a week of days at a time. */
const BLOCK_STEPS: Record<Resolution, number> = {hour: 24, day: 7, month: 1}

/** Each plan month's future steps (1 = the first forecast point), from the forecast's timestamps. */
function monthSteps(
  points: ReadonlyArray<{timestamp: number}>,
  months: readonly DemandMonth[],
): Array<{fromStep: number; toStep: number}> {
  return months.map((m) => {
    const end = stepStart(m.startMs + 32 * 86_400_000, 'month')
    let fromStep = 0
    let toStep = 0
    for (const [i, p] of points.entries())
      if (p.timestamp >= m.startMs && p.timestamp < end) {
        if (fromStep === 0) fromStep = i + 1
        toStep = i + 1
      }
    return {fromStep, toStep}
  })
}

/** The autoscaling what-if replays the first forecast week, hour by hour. */
export const WEEK_HOURS = 168

/** A stated growth: the peak now, compounding (or linear) each month; no uncertainty band. */
export function growthDemand(demand: Extract<DemandSource, {kind: 'growth'}>, months: number, nowMs: number): Demand {
  return {
    months: demandFromGrowth(
      {
        currentPeakRps: demand.peakRps,
        perMonth: demand.perMonth,
        kind: demand.growthKind,
        meanToPeak: demand.meanToPeak,
      },
      months,
      nowMs,
    ),
    assumption: `demand: peak ${demand.peakRps}/s now, growing ${(demand.perMonth * 100).toFixed(1)}% a month (${demand.growthKind}); no uncertainty band; mean load ${(demand.meanToPeak * 100).toFixed(0)}% of the peak`,
    warnings: [],
  }
}

/**
 * Each month's peak over sample paths of a regularised history and its forecast: the month a year
 * before where a year of history allows (yearly-peaks.ts), else the history's own level and
 * departures with its growth shrunk by the prior and its level's wander (peak-distribution.ts).
 * What `plan` sizes on and `forecast` prints as the peak's band.
 */
export function monthlyPeakBands(
  series: RegularSeries,
  forecast: ForecastResult,
  demandMonths: readonly DemandMonth[],
) {
  // A growth range from a handful of cycles is noise (seven weekly means gave −24 % to +63 % a
  // month): drawn as it is over a year it would make every peak possible, carried as a point it
  // is certain of what it cannot know. Shrunk toward none by a stated prior, it is drawn per path.
  const growth = forecast.growth
  const drawn = growth ? shrinkGrowth(growth) : undefined
  // A cycle shorter than a month (a week of hours or days): the level wanders between months. A
  // monthly series' level is last year's month, its drift in its departures.
  const stepsPerMonth = STEPS_PER_MONTH[series.resolution]
  const walkSd = forecast.season < stepsPerMonth ? levelWalkSd(series.values, forecast.season) : 0
  // A year or more of hours or days: the month a year before, its yearly cycle included.
  const yearly =
    series.resolution === 'month'
      ? undefined
      : yearlyPeakDistribution({
          months: wholeMonths(series.timestamps, series.values, series.resolution),
          targets: demandMonths.map((m) => m.startMs),
          growthPerMonth: growth?.perMonth ?? 0,
          paths: PEAK_PATHS,
          seed: PEAK_SEED,
        })
  const distribution =
    yearly?.distribution ??
    monthlyPeakDistribution({
      values: series.values,
      season: forecast.season,
      stepsPerMonth,
      levelWalkSd: walkSd,
      blockSteps: BLOCK_STEPS[series.resolution],
      ...(drawn ? {growth: drawn} : {}),
      months: monthSteps(forecast.points, demandMonths),
      paths: PEAK_PATHS,
      seed: PEAK_SEED,
    })
  return {distribution, yearly, drawn, walkSd}
}

/** A forecast of a history (`source` names it in the assumption): each month's peak with its bands, the first week hour by hour. */
export function forecastDemand(
  observations: Observation[],
  source: string,
  options: Pick<PlanOptions, 'aggregate' | 'months'>,
  nowMs: number,
): Demand {
  const {months} = options
  const {series} = regularise(observations, {aggregate: options.aggregate})
  const steps = horizonSteps(`${months + 1}mo`, series.resolution) as number
  const forecast = forecastSeries(series, {horizonSteps: steps})
  const firstWeek = forecast.points.slice(0, WEEK_HOURS)
  const demandMonths = demandFromForecast(forecast, months)
  const growth = forecast.growth
  const {distribution, yearly, drawn, walkSd} = monthlyPeakBands(series, forecast, demandMonths)
  const withPeaks = demandMonths.map((m, i) => {
    const d = distribution[i]
    if (!d) return m
    const {pathPeaks: _paths, ...peakQuantiles} = d
    return {...m, peakQuantiles}
  })
  const percent = (x: number) => `${(x * 100).toFixed(1)}%`
  const fitted = growth
    ? `, fitted growth ${percent(growth.perMonth)}/month (80 %: ${percent(growth.lo80)} to ${percent(growth.hi80)})`
    : ''
  const shape = yearly
    ? `from ${source}'s same month a year before (${series.values.length} ${series.resolution}s) × its year-over-year ratio ${yearly.basis.ratio.toFixed(3)} (${yearly.basis.ratioMonths > 0 ? `mean of the last ${yearly.basis.ratioMonths} months over the same months a year before` : `no month has its year before yet: the fitted growth${fitted} over 12 months`}), spread by that rule's own errors on ${yearly.basis.errorMonths} months of the history, resampled for ${(yearly.basis.ownShare * 100).toFixed(0)}% of draws, the rest from the month-to-month change of the peak (log sd ${percent(yearly.basis.priorSigma)}); bias ${percent(yearly.basis.bias)}; a path's months share their draw with chance ${yearly.basis.correlation.toFixed(2)}`
    : `shaped like ${source} (${series.values.length} ${series.resolution}s: its recent level, its own departures from it resampled ${series.resolution === 'hour' ? 'a day' : 'a block'} at a time${growth && drawn ? `${fitted} over ${growth.cycles} cycles, shrunk toward none by a prior of ±${percent(GROWTH_PRIOR_SD)} a month (1 sd) to ${percent(drawn.perMonth)} (80 %: ${percent(drawn.lo80)} to ${percent(drawn.hi80)}), drawn per path` : ''}${walkSd > 0 ? `; the level wandering ±${percent(walkSd)} a cycle (1 sd, from the changes of its cycles' means), drawn once a month` : ''})`
  const first = withPeaks[0]?.peakQuantiles
  const last = withPeaks.at(-1)?.peakQuantiles
  return {
    months: withPeaks,
    peakPaths: distribution.map((d) => d.pathPeaks),
    week:
      series.resolution === 'hour'
        ? {
            startMs: forecast.points[0]?.timestamp ?? nowMs,
            demand: firstWeek.map((p) => p.forecast),
            planned: firstWeek.map((p) => p.hi80),
          }
        : undefined,
    historyPeaks: dailyPeaks(series.timestamps, series.values),
    assumption: `demand: each month's peak over ${PEAK_PATHS} sample paths ${shape}${first && last ? `: P50 / P95 ${first.p50.toFixed(0)} / ${first.p95.toFixed(0)}/s in month 1, ${last.p50.toFixed(0)} / ${last.p95.toFixed(0)}/s in month ${withPeaks.length}` : ''}; the smoothed forecast (${forecast.model}) peaks at ${(withPeaks[0]?.peakRps ?? 0).toFixed(0)}/s in month 1 and ${(withPeaks.at(-1)?.peakRps ?? 0).toFixed(0)}/s in month ${withPeaks.length}, kept for comparison only`,
    warnings: forecast.warnings.map((w) => `warning: ${w}`),
  }
}

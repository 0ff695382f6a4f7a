/**
 * The demand a plan sizes for, month by month: a stated growth, or a forecast of a history (each
 * month's hourly peak with its bands, and the mean). Pure.
 */
import {horizonSteps} from '../series/horizon.js'
import {forecastSeries} from '../forecast/forecast.js'
import {dailyPeaks} from '../series/daily-peaks.js'
import {regularise, type Observation} from '../series/regularise.js'
import {demandFromGrowth} from './capacity-plan.js'
import type {DemandSource, PlanOptions} from './plan-settings.js'
import type {Demand} from './prepared-plan.js'
import type {ForecastResult} from '../../contracts/results/forecast-document.js'
import type {DemandMonth} from '../../contracts/results/plan-document.js'
import {stepStart} from '../series/regularise.js'

/** Whole calendar months covered by the forecast (the partial month it starts in is skipped), at most `months`. */
export function demandFromForecast(result: ForecastResult, months: number): DemandMonth[] {
  const firstMs = result.points[0]?.timestamp ?? 0
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
    .filter(([startMs]) => startMs >= firstMs)
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
  return {
    months: demandFromForecast(forecast, months),
    week:
      series.resolution === 'hour'
        ? {
            startMs: forecast.points[0]?.timestamp ?? nowMs,
            demand: firstWeek.map((p) => p.forecast),
            planned: firstWeek.map((p) => p.hi80),
          }
        : undefined,
    historyPeaks: dailyPeaks(series.timestamps, series.values),
    assumption: `demand: forecast of ${source} (${forecast.model}, ${series.values.length} ${series.resolution}s of history); monthly hourly peak with its 80 %/95 % bands${forecast.growth ? `; fitted growth ${(forecast.growth.perMonth * 100).toFixed(1)}%/month` : ''}`,
    warnings: forecast.warnings.map((w) => `warning: ${w}`),
  }
}

/**
 * The forecast: pick periods from the resolution and history, backtest every model by rolling
 * origin (MASE against the seasonal naive scale), choose the best (or the one forced), fit it on
 * the whole history, and put intervals around it from its own errors when refitted at rolling
 * origins (see intervals.ts). Pure.
 */
import {addSteps, stepStart, type RegularSeries} from '../series/regularise.js'
import {mean} from 'simple-statistics'
import {theilSen} from '../../contracts/stats/theil-sen.js'
import {intervalOffsets, type LeadErrors} from './intervals.js'
import {mase, seasonalNaiveScale} from './metrics.js'
import {MODELS, type ModelContext} from './models.js'
import {
  MODEL_NAMES,
  type BacktestScore,
  type ForecastPoint,
  type ForecastResult,
  type GrowthEstimate,
  type ModelName,
  type Resolution,
} from '../../contracts/results/forecast-document.js'
import {DataError} from '../../contracts/errors.js'
import {dayStartMs} from '../series/daily-peaks.js'

export interface ForecastOptions {
  horizonSteps: number
  /** Force a model; 'auto' chooses by backtest. */
  model?: ModelName | 'auto'
}

const PERIODS: Record<Resolution, number[]> = {hour: [24, 168, 8766], day: [7, 365.25], month: [12]}
export const STEPS_PER_MONTH: Record<Resolution, number> = {hour: 730.5, day: 30.4375, month: 1}
const FOLDS = 3

/** Periods with at least two full cycles of history, and the main (longest) one. */
export function modelContext(resolution: Resolution, length: number): ModelContext {
  const periods = PERIODS[resolution].filter((p) => length >= 2 * p)
  return {periods, season: Math.round(periods.at(-1) ?? 1)}
}

/** Every model's mean MASE over rolling-origin folds of `horizon` steps: how the model is chosen. */
function backtest(
  values: readonly number[],
  context: ModelContext,
  horizon: number,
  models: readonly ModelName[],
): BacktestScore[] {
  const n = values.length
  const minTraining = Math.max(2 * context.season, 8)
  const sums = new Map<ModelName, {sum: number; folds: number}>(models.map((m) => [m, {sum: 0, folds: 0}]))
  for (let fold = 1; fold <= FOLDS; fold++) {
    const origin = n - fold * horizon
    if (origin < minTraining) break
    const training = values.slice(0, origin)
    const actual = values.slice(origin, origin + horizon)
    const scaleLag = context.season > 1 && origin > context.season ? context.season : 1
    if (!(seasonalNaiveScale(training, scaleLag) > 0)) continue
    const foldPeriods = context.periods.filter((p) => origin >= 2 * p)
    const foldContext = {periods: foldPeriods, season: Math.round(foldPeriods.at(-1) ?? 1)}
    for (const model of models) {
      const forecast = MODELS[model](training, foldContext).forecast(horizon)
      const score = mase(actual, forecast, training, scaleLag)
      if (!Number.isFinite(score)) continue
      const s = sums.get(model) as {sum: number; folds: number}
      s.sum += score
      s.folds++
    }
  }
  return models.map((model) => {
    const s = sums.get(model) as {sum: number; folds: number}
    return {model, mase: s.folds > 0 ? s.sum / s.folds : Number.NaN, folds: s.folds}
  })
}

/** Most refits of the chosen model for its intervals (fewer for long histories, where each costs more). */
const MAX_INTERVAL_ORIGINS = 12
const MAX_INTERVAL_ORIGINS_LONG = 4
const LONG_HISTORY = 2000

/**
 * The chosen model refitted at rolling origins, one shortest cycle apart, from the end of the
 * history back to two cycles of the shortest season (or half the history, for long ones); its
 * errors by lead up to `horizon`, an origin near the end contributing only the leads it can see.
 */
function intervalErrors(
  values: readonly number[],
  context: ModelContext,
  model: ModelName,
  horizon: number,
): LeadErrors {
  const n = values.length
  const smallest = Math.round(context.periods[0] ?? 1)
  const long = n > LONG_HISTORY
  const step = Math.max(1, long ? Math.ceil(horizon / 2) : smallest)
  const earliest = Math.max(2 * smallest, 8, long ? Math.floor(n / 2) : 0)
  const byLead: number[][] = Array.from({length: horizon}, () => [])
  let origins = 0
  for (
    let origin = n - step;
    origin >= earliest && origins < (long ? MAX_INTERVAL_ORIGINS_LONG : MAX_INTERVAL_ORIGINS);
    origin -= step
  ) {
    const training = values.slice(0, origin)
    const foldPeriods = context.periods.filter((p) => origin >= 2 * p)
    const leads = Math.min(horizon, n - origin)
    const forecast = MODELS[model](training, {
      periods: foldPeriods,
      season: Math.round(foldPeriods.at(-1) ?? 1),
    }).forecast(leads)
    for (let h = 0; h < leads; h++) {
      const e = (values[origin + h] as number) - (forecast[h] as number)
      if (Number.isFinite(e)) (byLead[h] as number[]).push(e)
    }
    origins++
  }
  return {byLead, origins}
}

/** Growth per month by Theil–Sen on the log of whole-cycle means. */
export function estimateGrowth(
  values: readonly number[],
  cycle: number,
  stepsPerMonth: number,
): GrowthEstimate | undefined {
  const means: Array<[number, number]> = []
  for (let start = values.length % cycle, i = 0; start + cycle <= values.length; start += cycle, i++) {
    const chunk = values.slice(start, start + cycle).filter(Number.isFinite)
    if (chunk.length >= cycle / 2) {
      const chunkMean = mean(chunk)
      if (chunkMean > 0) means.push([i, Math.log(chunkMean)])
    }
  }
  const trend = theilSen(means)
  if (!trend) return undefined
  const perMonth = (slope: number) => Math.exp((slope * stepsPerMonth) / cycle) - 1
  return {perMonth: perMonth(trend.slope), lo80: perMonth(trend.lo), hi80: perMonth(trend.hi), cycles: means.length}
}

function peaksBy(
  points: readonly ForecastPoint[],
  key: (t: number) => number,
): Array<{key: number; forecast: number; hi95: number}> {
  const peaks = new Map<number, {key: number; forecast: number; hi95: number}>()
  for (const p of points) {
    const k = key(p.timestamp)
    const current = peaks.get(k)
    if (!current) peaks.set(k, {key: k, forecast: p.forecast, hi95: p.hi95})
    else {
      current.forecast = Math.max(current.forecast, p.forecast)
      current.hi95 = Math.max(current.hi95, p.hi95)
    }
  }
  return [...peaks.values()]
}

/**
 * @throws DataError when the history is too short to forecast at all (under 8 points)
 */
export function forecastSeries(series: RegularSeries, options: ForecastOptions): ForecastResult {
  const {values, resolution} = series
  const warnings: string[] = []
  const finiteCount = values.filter(Number.isFinite).length
  if (finiteCount < 8) throw new DataError(`need at least 8 observations to forecast, got ${finiteCount}`)
  const context = modelContext(resolution, values.length)
  const wanted = PERIODS[resolution].filter((p) => !context.periods.includes(p))
  if (wanted.length > 0 && resolution !== 'hour')
    warnings.push(
      `not enough history for a ${wanted.join(' and ')}-step cycle (needs two full cycles); it is not modelled`,
    )
  if (resolution === 'hour' && !context.periods.includes(168))
    warnings.push('less than two weeks of hourly history: no weekly cycle is modelled')
  if (options.horizonSteps > values.length)
    warnings.push(
      `the horizon (${options.horizonSteps} steps) is longer than the history (${values.length}): treat the far end with care`,
    )

  const backtestHorizon = Math.max(
    1,
    Math.min(
      options.horizonSteps,
      context.season > 1 ? context.season : options.horizonSteps,
      Math.floor(values.length / 4),
    ),
  )
  const forced = options.model !== undefined && options.model !== 'auto' ? options.model : undefined
  const scores = backtest(values, context, backtestHorizon, MODEL_NAMES)
  const ranked = scores.filter((s) => Number.isFinite(s.mase)).sort((a, b) => a.mase - b.mase)
  const model: ModelName = forced ?? ranked[0]?.model ?? (context.season > 1 ? 'combination' : 'damped-fourier')
  if (!forced && ranked.length === 0)
    warnings.push('too little history to backtest: no model could be scored, intervals are approximate')

  const fit = MODELS[model](values, context)
  const mean = fit.forecast(options.horizonSteps)
  const nonNegative = values.every((v) => !Number.isFinite(v) || v >= 0)
  const lag = context.season > 1 ? context.season : 1
  const fallbackSpread = seasonalNaiveScale(values, lag)
  const intervals = intervalOffsets(
    intervalErrors(values, context, model, Math.min(options.horizonSteps, Math.max(1, Math.floor(values.length / 2)))),
    Number.isFinite(fallbackSpread) ? fallbackSpread : 0,
  )
  const clamp = (v: number) => (nonNegative ? Math.max(0, v) : v)
  const lastTimestamp = series.timestamps.at(-1) as number
  const points = mean.map((f, i): ForecastPoint => {
    const [l80, h80, l95, h95] = intervals.at(i + 1)
    return {
      timestamp: addSteps(lastTimestamp, i + 1, resolution),
      forecast: clamp(f),
      lo80: clamp(f + l80),
      hi80: clamp(f + h80),
      lo95: clamp(f + l95),
      hi95: clamp(f + h95),
    }
  })
  const components = (model.endsWith('fourier') ? fit : MODELS['damped-fourier'](values, context)).components?.(
    options.horizonSteps,
  )
  const month = (t: number) => stepStart(t, 'month')
  return {
    resolution,
    model,
    periods: context.periods,
    season: context.season,
    points,
    backtest: scores,
    interval: intervals.basis,
    growth: estimateGrowth(
      values,
      context.season > 1 ? context.season : Math.max(1, Math.round(STEPS_PER_MONTH[resolution])),
      STEPS_PER_MONTH[resolution],
    ),
    components,
    dailyPeaks:
      resolution === 'month' ? [] : peaksBy(points, dayStartMs).map(({key, ...rest}) => ({day: key, ...rest})),
    monthlyPeaks: peaksBy(points, month).map(({key, ...rest}) => ({month: key, ...rest})),
    warnings,
  }
}

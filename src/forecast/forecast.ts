/**
 * The forecast: pick periods from the resolution and history, backtest every model by rolling
 * origin (MASE against the seasonal naive scale), choose the best (or the one forced), fit it on
 * the whole history, and put intervals around it from its own backtest errors, so that their
 * coverage is what the backtest measured. Pure.
 */
import {addSteps, stepStart, type RegularSeries} from '../series/regularise.js'
import {mean, quantileSorted} from 'simple-statistics'
import {theilSen} from '../stats/theil-sen.js'
import {mase, seasonalNaiveScale} from './metrics.js'
import {MODELS, type ModelContext} from './models.js'
import {MODEL_NAMES, type BacktestScore, type ForecastPoint, type ForecastResult, type GrowthEstimate, type ModelName, type Resolution} from '../results/forecast-document.js'
import {DataError} from '../errors.js'
import {dayStartMs} from '../series/daily-peaks.js'

export interface ForecastOptions {
  horizonSteps: number
  /** Force a model; 'auto' chooses by backtest. */
  model?: ModelName | 'auto'
}

const PERIODS: Record<Resolution, number[]> = {hour: [24, 168, 8766], day: [7, 365.25], month: [12]}
const STEPS_PER_MONTH: Record<Resolution, number> = {hour: 730.5, day: 30.4375, month: 1}
const FOLDS = 3
/** Lead-time buckets for interval quantiles: errors grow with the lead. */
const INTERVAL_BUCKETS = 4

/** Periods with at least two full cycles of history, and the main (longest) one. */
export function modelContext(resolution: Resolution, length: number): ModelContext {
  const periods = PERIODS[resolution].filter((p) => length >= 2 * p)
  return {periods, season: Math.round(periods.at(-1) ?? 1)}
}

interface Backtest {
  scores: BacktestScore[]
  /** Signed errors (actual − forecast) by model and lead. */
  errors: Map<ModelName, number[][]>
  horizon: number
}

function backtest(values: readonly number[], context: ModelContext, horizon: number, models: readonly ModelName[]): Backtest {
  const n = values.length
  const minTraining = Math.max(2 * context.season, 8)
  const errors = new Map<ModelName, number[][]>(models.map((m) => [m, Array.from({length: horizon}, () => [])]))
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
      const byLead = errors.get(model) as number[][]
      actual.forEach((a, lead) => {
        const e = a - (forecast[lead] as number)
        if (Number.isFinite(e)) (byLead[lead] as number[]).push(e)
      })
    }
  }
  const scores = models.map((model) => {
    const s = sums.get(model) as {sum: number; folds: number}
    return {model, mase: s.folds > 0 ? s.sum / s.folds : Number.NaN, folds: s.folds}
  })
  return {scores, errors, horizon}
}

/** Interval offsets per lead from backtest errors; beyond the backtested horizon they widen with √lead. */
function intervalOffsets(byLead: number[][] | undefined, horizon: number, fallbackSpread: number): (lead: number) => [number, number, number, number] {
  const buckets: Array<[number, number, number, number]> = []
  if (byLead && byLead.some((e) => e.length > 0)) {
    const size = Math.ceil(byLead.length / INTERVAL_BUCKETS)
    for (let b = 0; b < INTERVAL_BUCKETS; b++) {
      const pooled = byLead.slice(b * size, (b + 1) * size).flat().sort((x, y) => x - y)
      if (pooled.length >= 8) buckets.push([quantileSorted(pooled, 0.1), quantileSorted(pooled, 0.9), quantileSorted(pooled, 0.025), quantileSorted(pooled, 0.975)])
    }
  }
  if (buckets.length === 0) {
    // No backtest: a normal approximation around the seasonal naive's in-sample error.
    return (lead) => {
      const sd = fallbackSpread * Math.sqrt(Math.max(1, lead / Math.max(1, horizon)))
      return [-1.2816 * sd, 1.2816 * sd, -1.96 * sd, 1.96 * sd]
    }
  }
  const size = Math.ceil(horizon / buckets.length)
  return (lead) => {
    const bucket = buckets[Math.min(buckets.length - 1, Math.floor((lead - 1) / size))] as [number, number, number, number]
    const widen = lead > horizon ? Math.sqrt(lead / horizon) : 1
    return bucket.map((q) => q * widen) as [number, number, number, number]
  }
}

/** Growth per month by Theil–Sen on the log of whole-cycle means. */
export function estimateGrowth(values: readonly number[], cycle: number, stepsPerMonth: number): GrowthEstimate | undefined {
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

function peaksBy(points: readonly ForecastPoint[], key: (t: number) => number): Array<{key: number; forecast: number; hi95: number}> {
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
  if (wanted.length > 0 && resolution !== 'hour') warnings.push(`not enough history for a ${wanted.join(' and ')}-step cycle (needs two full cycles); it is not modelled`)
  if (resolution === 'hour' && !context.periods.includes(168)) warnings.push('less than two weeks of hourly history: no weekly cycle is modelled')
  if (options.horizonSteps > values.length) warnings.push(`the horizon (${options.horizonSteps} steps) is longer than the history (${values.length}): treat the far end with care`)

  const backtestHorizon = Math.max(1, Math.min(options.horizonSteps, context.season > 1 ? context.season : options.horizonSteps, Math.floor(values.length / 4)))
  const forced = options.model !== undefined && options.model !== 'auto' ? options.model : undefined
  const tested = backtest(values, context, backtestHorizon, MODEL_NAMES)
  const ranked = tested.scores.filter((s) => Number.isFinite(s.mase)).sort((a, b) => a.mase - b.mase)
  const model: ModelName = forced ?? ranked[0]?.model ?? (context.season > 1 ? 'combination' : 'damped-fourier')
  if (!forced && ranked.length === 0) warnings.push('too little history to backtest: no model could be scored, intervals are approximate')

  const fit = MODELS[model](values, context)
  const mean = fit.forecast(options.horizonSteps)
  const nonNegative = values.every((v) => !Number.isFinite(v) || v >= 0)
  const lag = context.season > 1 ? context.season : 1
  const fallbackSpread = seasonalNaiveScale(values, lag) * 1.25
  const offsets = intervalOffsets(tested.errors.get(model), backtestHorizon, Number.isFinite(fallbackSpread) ? fallbackSpread : 0)
  const clamp = (v: number) => (nonNegative ? Math.max(0, v) : v)
  const lastTimestamp = series.timestamps.at(-1) as number
  const points = mean.map((f, i): ForecastPoint => {
    const [l80, h80, l95, h95] = offsets(i + 1)
    return {timestamp: addSteps(lastTimestamp, i + 1, resolution), forecast: clamp(f), lo80: clamp(f + l80), hi80: clamp(f + h80), lo95: clamp(f + l95), hi95: clamp(f + h95)}
  })
  const components = (model.endsWith('fourier') ? fit : MODELS['damped-fourier'](values, context)).components?.(options.horizonSteps)
  const month = (t: number) => stepStart(t, 'month')
  return {
    resolution,
    model,
    periods: context.periods,
    season: context.season,
    points,
    backtest: tested.scores,
    growth: estimateGrowth(values, context.season > 1 ? context.season : Math.max(1, Math.round(STEPS_PER_MONTH[resolution])), STEPS_PER_MONTH[resolution]),
    components,
    dailyPeaks: resolution === 'month' ? [] : peaksBy(points, dayStartMs).map(({key, ...rest}) => ({day: key, ...rest})),
    monthlyPeaks: peaksBy(points, month).map(({key, ...rest}) => ({month: key, ...rest})),
    warnings,
  }
}

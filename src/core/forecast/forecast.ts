/**
 * The forecast: pick periods from the resolution and history, backtest the candidates at rolling
 * origins and choose one against the seasonal naive (selection.ts), or take the one forced; fit it
 * on the whole history for the horizon the backtest vouches for, carry its last cycle at the
 * history's growth beyond, and put intervals around it from its own errors when refitted at
 * rolling origins (intervals.ts). Pure.
 */
import {addSteps, stepStart, type RegularSeries} from '../series/regularise.js'
import {estimateGrowth, GROWTH_PRIOR_SD, logGrowthSd, shrinkGrowth, Z80} from './growth.js'
import {intervalOffsets, type LeadErrors} from './intervals.js'
import {seasonalNaiveScale} from './metrics.js'
import {COMBINATION_MEMBERS, MODELS, type ModelContext, type ModelFitter} from './models.js'
import {backtestFolds, chooseModel, contextAt, leadWeights, supportedPeriods} from './selection.js'
import {
  MODEL_NAMES,
  type ForecastPoint,
  type ForecastResult,
  type GrowthEstimate,
  type HorizonPart,
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
/**
 * Rolling origins of the model choice: eight where the history is short enough for their cost,
 * fewer on long ones (each fits every model), never under three.
 */
const foldsFor = (length: number) => Math.max(3, Math.min(8, Math.floor(20_000 / length)))
/** Periods with enough full cycles of history (supportedPeriods), and the main (longest) one. */
export function modelContext(resolution: Resolution, length: number): ModelContext {
  const periods = supportedPeriods(PERIODS[resolution], length)
  return {periods, season: Math.round(periods.at(-1) ?? 1)}
}

/** Most refits of the chosen model for its intervals (fewer for long histories, where each costs more). */
const MAX_INTERVAL_ORIGINS = 12
const MAX_INTERVAL_ORIGINS_LONG = 4
const LONG_HISTORY = 2000

/**
 * The chosen model refitted at rolling origins, one shortest cycle apart, from the end of the
 * history back to two main seasons (or half the history, for long ones); its
 * errors by lead up to `horizon`, an origin near the end contributing only the leads it can see.
 */
function intervalErrors(
  values: readonly number[],
  context: ModelContext,
  fitter: ModelFitter,
  horizon: number,
): LeadErrors {
  const n = values.length
  const smallest = Math.round(context.periods[0] ?? 1)
  const long = n > LONG_HISTORY
  const step = Math.max(1, long ? Math.ceil(horizon / 2) : smallest)
  // Origins from which the folds fit the same cycles as the final model (contextAt), no earlier: a
  // fold without the weekly cycle errs more than the model whose band it sets.
  const earliest = Math.max(2 * smallest, 2 * context.season, 8, long ? Math.floor(n / 2) : 0)
  const byLead: number[][] = Array.from({length: horizon}, () => [])
  let origins = 0
  for (
    let origin = n - step;
    origin >= earliest && origins < (long ? MAX_INTERVAL_ORIGINS_LONG : MAX_INTERVAL_ORIGINS);
    origin -= step
  ) {
    const leads = Math.min(horizon, n - origin)
    const forecast = fitter(values.slice(0, origin), contextAt(context, origin)).forecast(leads)
    for (let h = 0; h < leads; h++) {
      const e = (values[origin + h] as number) - (forecast[h] as number)
      if (Number.isFinite(e)) (byLead[h] as number[]).push(e)
    }
    origins++
  }
  return {byLead, origins}
}

/**
 * Under three weeks of hours the regressions' dozens of Fourier terms and changepoints are fitted to
 * noise: only models with a handful of parameters compete (the combination's trend is one of three
 * it takes the median of; a combination with Holt-Winters in its place did worse on the 10-day cuts).
 */
const FEW_PARAMETERS: readonly ModelName[] = [
  'seasonal-naive',
  'shifted-naive',
  'seasonal-median',
  'ets',
  'combination',
]
const SHORT_HOURS = 3 * 168

/** z of the 97.5th percentile: a 95 % range spans ±1.96 standard deviations. */
const Z95 = 1.959963984540054

/**
 * The forecast past the horizon the backtest can vouch for: the near forecast's last main cycle
 * before step `from`, repeated, compounding at the history's growth (shrunk toward none by the
 * prior of growth.ts, as the plan draws it), and a band that widens with the growth's range (a
 * slope's doubt grows linearly with the months). A model chosen for next week is not the model for
 * next year: a damped trend forgets the growth, a log-linear one compounds its last weeks' slope.
 */
function carryGrowth(
  near: readonly number[],
  from: number,
  context: ModelContext,
  growth: GrowthEstimate | undefined,
  resolution: Resolution,
): {
  forecast: number[]
  factor(i: number): number
  range(i: number): [number, number, number, number]
  part: HorizonPart
} {
  const cycle = Math.min(from, Math.max(1, context.season))
  const shrunk = growth ? shrinkGrowth(growth) : {perMonth: 0, lo80: 0, hi80: 0}
  const rate = Math.log1p(shrunk.perMonth)
  const sd = logGrowthSd(shrunk)
  const months = (i: number) => Math.max(0, (i + 1 - from) / STEPS_PER_MONTH[resolution])
  const percent = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`
  return {
    forecast: near.map((f, i) =>
      i < from ? f : (near[from - cycle + ((i - from) % cycle)] as number) * Math.exp(rate * months(i)),
    ),
    factor: (i) => Math.exp(rate * months(i)),
    range: (i) => {
      const m = months(i)
      return [Math.exp(-Z80 * sd * m), Math.exp(Z80 * sd * m), Math.exp(-Z95 * sd * m), Math.exp(Z95 * sd * m)]
    },
    part: {
      fromStep: from + 1,
      toStep: near.length,
      model: 'growth',
      description: growth
        ? `the last ${cycle}-step cycle of the near forecast carried forward at ${percent(shrunk.perMonth)} a month (fitted ${percent(growth.perMonth)}, 80 %: ${percent(growth.lo80)} to ${percent(growth.hi80)} over ${growth.cycles} cycles, shrunk toward none by a prior of ±${(GROWTH_PRIOR_SD * 100).toFixed(0)} % a month); the band widens with that range`
        : `the last ${cycle}-step cycle of the near forecast carried forward flat: too few cycles to fit a growth`,
    },
  }
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
    warnings.push('less than three weeks of hourly history: no weekly cycle is modelled (two weeks fit it to noise)')
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
  const short = resolution === 'hour' && values.length < SHORT_HOURS
  const candidates = !short
    ? MODEL_NAMES
    : forced && !FEW_PARAMETERS.includes(forced)
      ? [...FEW_PARAMETERS, forced]
      : FEW_PARAMETERS
  const folds = backtestFolds(values, context, backtestHorizon, candidates, foldsFor(values.length))
  const choice = chooseModel(
    folds,
    candidates,
    leadWeights(backtestHorizon, options.horizonSteps),
    Math.round(context.periods[0] ?? backtestHorizon),
    forced,
  )
  if (folds.length === 0)
    warnings.push('too little history to backtest: no model could be scored, intervals are approximate')
  const {model} = choice
  const fitter = MODELS[model]

  const fit = fitter(values, context)
  const near = fit.forecast(options.horizonSteps)
  const growth = estimateGrowth(
    values,
    context.season > 1 ? context.season : Math.max(1, Math.round(STEPS_PER_MONTH[resolution])),
    STEPS_PER_MONTH[resolution],
  )
  // The backtest checked leads up to its horizon; twice that is as far as the chosen model is trusted.
  const verifiedSteps = folds.length > 0 ? 2 * backtestHorizon : backtestHorizon
  const long =
    options.horizonSteps > verifiedSteps ? carryGrowth(near, verifiedSteps, context, growth, resolution) : undefined
  const mean = long?.forecast ?? near
  const nonNegative = values.every((v) => !Number.isFinite(v) || v >= 0)
  const lag = context.season > 1 ? context.season : 1
  const fallbackSpread = seasonalNaiveScale(values, lag)
  const intervals = intervalOffsets(
    intervalErrors(values, context, fitter, Math.min(options.horizonSteps, Math.max(1, Math.floor(values.length / 2)))),
    Number.isFinite(fallbackSpread) ? fallbackSpread : 0,
  )
  const clamp = (v: number) => (nonNegative ? Math.max(0, v) : v)
  const lastTimestamp = series.timestamps.at(-1) as number
  const points = mean.map((f, i): ForecastPoint => {
    const [l80, h80, l95, h95] = intervals.at(i + 1)
    // Past the verified horizon the band grows with the growth's own range, on top of the model's errors.
    const [g80lo, g80hi, g95lo, g95hi] = long?.range(i) ?? [1, 1, 1, 1]
    const scale = long?.factor(i) ?? 1
    return {
      timestamp: addSteps(lastTimestamp, i + 1, resolution),
      forecast: clamp(f),
      lo80: clamp(f * g80lo + l80 * scale),
      hi80: clamp(f * g80hi + h80 * scale),
      lo95: clamp(f * g95lo + l95 * scale),
      hi95: clamp(f * g95hi + h95 * scale),
    }
  })
  const components = (model.endsWith('fourier') ? fit : MODELS['damped-fourier'](values, context)).components?.(
    options.horizonSteps,
  )
  const nearPart: HorizonPart = {
    fromStep: 1,
    toStep: Math.min(options.horizonSteps, verifiedSteps),
    model,
    description:
      folds.length > 0
        ? `${choice.reason}; backtested on leads 1–${backtestHorizon}, trusted to ${verifiedSteps}`
        : choice.reason,
  }
  const month = (t: number) => stepStart(t, 'month')
  return {
    resolution,
    model,
    members: model === 'combination' ? [...COMBINATION_MEMBERS] : [],
    choice: choice.reason,
    horizons: long ? [nearPart, long.part] : [nearPart],
    periods: context.periods,
    season: context.season,
    points,
    backtest: choice.scores,
    interval: intervals.basis,
    growth,
    components,
    dailyPeaks:
      resolution === 'month' ? [] : peaksBy(points, dayStartMs).map(({key, ...rest}) => ({day: key, ...rest})),
    monthlyPeaks: peaksBy(points, month).map(({key, ...rest}) => ({month: key, ...rest})),
    warnings,
  }
}

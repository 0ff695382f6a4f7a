/**
 * Forecasting models as pure functions from history (a regular series; NaN marks a gap) to point
 * forecasts. Intervals are not the models' business: forecast.ts derives them from each model's
 * own rolling-origin backtest errors, so that their coverage is measured, not assumed.
 */
import {median} from 'simple-statistics'
import {ridgeLeastSquares} from './least-squares.js'
import type {ModelName} from '../../contracts/results/forecast-document.js'

export interface ModelContext {
  /** Seasonal periods in steps that the history can support, e.g. [24, 168] for hourly data. */
  periods: number[]
  /** The main seasonal period (the longest with two full cycles of history), 1 for none. */
  season: number
}

export interface ModelFit {
  /** Point forecasts for the next h steps. */
  forecast(h: number): number[]
  /** Trend and each seasonal component for the next h steps, where the model has them. */
  components?(h: number): Record<string, number[]>
}

export type ModelFitter = (history: readonly number[], context: ModelContext) => ModelFit

function lastFinite(history: readonly number[]): number {
  for (let i = history.length - 1; i >= 0; i--) if (Number.isFinite(history[i])) return history[i] as number
  return 0
}

/** The value one season back from step i of the future, skipping gaps season by season. */
function seasonalValue(history: readonly number[], m: number, i: number): number {
  const n = history.length
  for (let back = n - m + (i % m); back >= 0; back -= m)
    if (Number.isFinite(history[back])) return history[back] as number
  return lastFinite(history)
}

/** ŷ(n + i) = y(n + i − m·k) for the smallest k that lands in the history. */
export const seasonalNaive: ModelFitter = (history, {season}) => ({
  forecast: (h) => Array.from({length: h}, (_, i) => seasonalValue(history, season, i)),
})

/**
 * The seasonal naive moved by the level shift of the last short cycle: δ, the median over its
 * last `window` steps (the shortest period) of y(t) − y(t − m), is added with a half-life of one
 * main season. A short history that stepped up or down mid-season is carried at its new level,
 * which the plain seasonal naive only reaches a season later; a one-off spike moves no median.
 */
export const shiftedNaive: ModelFitter = (history, {periods, season}) => {
  const n = history.length
  const window = Math.max(1, Math.round(periods[0] ?? season))
  const changes: number[] = []
  for (let t = Math.max(season, n - window); t < n; t++) {
    const d = (history[t] as number) - (history[t - season] as number)
    if (Number.isFinite(d)) changes.push(d)
  }
  const shift = changes.length > 0 ? median(changes) : 0
  const keep = 0.5 ** (1 / Math.max(1, season))
  return {
    forecast: (h) => Array.from({length: h}, (_, i) => seasonalValue(history, season, i) + shift * keep ** (i + 1)),
  }
}

/**
 * The median of the same phase over the last `seasons` seasons, moved to the level of the last
 * short cycle (the median of its departures from that profile): a one-off spike in the last season
 * is not copied into the forecast, and a level that stepped up or down mid-season is kept.
 */
export function seasonalMedianModel(seasons = 4): ModelFitter {
  return (history, {periods, season}) => {
    const n = history.length
    const profile: number[] = []
    for (let phase = 0; phase < season; phase++) {
      const values: number[] = []
      for (let k = 1; k <= seasons; k++) {
        const index = n - k * season + phase
        if (index >= 0 && Number.isFinite(history[index])) values.push(history[index] as number)
      }
      profile.push(values.length > 0 ? median(values) : seasonalValue(history, season, phase))
    }
    const window = Math.max(1, Math.round(periods[0] ?? season))
    const departures: number[] = []
    for (let t = Math.max(0, n - window); t < n; t++) {
      const d = (history[t] as number) - (profile[(((t - n) % season) + season) % season] as number)
      if (Number.isFinite(d)) departures.push(d)
    }
    const level = departures.length > 0 ? median(departures) : 0
    return {forecast: (h) => Array.from({length: h}, (_, i) => (profile[i % season] as number) + level)}
  }
}

/** Fourier harmonics to use for a period: enough for the daily and weekly shapes of traffic. */
function harmonicsFor(period: number): number {
  if (period >= 300) return 10
  if (period >= 100) return 12
  if (period >= 20) return 8
  return Math.max(1, Math.floor(period / 2))
}

interface RegressionOptions {
  /**
   * none: additive; log: model log(1 + y), exponential growth and multiplicative seasonality;
   * logistic: model logit(y / cap), growth that saturates at cap = 1.5 × the history's maximum.
   */
  transform: 'none' | 'log' | 'logistic'
  /** Damp the extrapolated slope: each step keeps this share of the previous step's slope. */
  dampingPerStep: number
}

/**
 * Trend + Fourier seasonality by ridge regression (Prophet's structure): a piecewise-linear
 * trend with 25 changepoint candidates in the first 80 % of history, shrunk so only real slope
 * changes survive, plus sin/cos terms for every supported period.
 */
/**
 * Fits memoised per history array: within one backtest fold every model gets the same training
 * array, and trend-fourier, damped-fourier and the combination share one regression (only the
 * extrapolation differs), as ETS is shared by itself and the combination. A WeakMap, so a fit
 * lives only as long as its history; results are exactly those of fitting again.
 */
const fitCache = new WeakMap<readonly number[], Map<string, unknown>>()

function memoised<T>(history: readonly number[], key: string, fit: () => T): T {
  let fits = fitCache.get(history)
  if (!fits) {
    fits = new Map()
    fitCache.set(history, fits)
  }
  if (!fits.has(key)) fits.set(key, fit())
  return fits.get(key) as T
}

const waveCache = new Map<string, {sin: Float64Array; cos: Float64Array}>()

/** sin and cos of 2πkt/period for t = 0 … length − 1 (at least), computed once per period and k. */
function fourierColumns(period: number, k: number, length: number): {sin: Float64Array; cos: Float64Array} {
  const key = `${period}:${k}`
  const cached = waveCache.get(key)
  if (cached && cached.sin.length >= length) return cached
  const sin = new Float64Array(length)
  const cos = new Float64Array(length)
  for (let t = 0; t < length; t++) {
    const angle = (2 * Math.PI * k * t) / period
    sin[t] = Math.sin(angle)
    cos[t] = Math.cos(angle)
  }
  const wave = {sin, cos}
  waveCache.set(key, wave)
  return wave
}

interface RegressionFit {
  n: number
  transform: RegressionOptions['transform']
  cap: number
  changepoints: number[]
  harmonics: number[]
  scaleT: number
  beta: Float64Array
}

/** The ridge regression behind the trend + Fourier models; undefined when it is singular. */
function fitRegression(
  history: readonly number[],
  periods: readonly number[],
  requested: RegressionOptions['transform'],
): RegressionFit | undefined {
  const n = history.length
  const positive = history.every((v) => !Number.isFinite(v) || v >= 0)
  const transform = positive ? requested : 'none'
  const cap = 1.5 * Math.max(...history.filter(Number.isFinite))
  const toModel = (v: number): number => {
    if (transform === 'log') return Math.log1p(v)
    if (transform !== 'logistic') return v
    const share = Math.min(1 - 1e-6, Math.max(1e-6, v / cap))
    return Math.log(share / (1 - share))
  }
  const y = history.map(toModel)
  const changepoints = Array.from({length: n >= 50 ? 25 : 0}, (_, k) => Math.floor(((k + 1) / 26) * 0.8 * n))
  const harmonics = periods.map(harmonicsFor)
  const width = 2 + changepoints.length + harmonics.reduce((sum, k) => sum + 2 * k, 0)
  const scaleT = 1 / Math.max(1, n)
  // One buffer for the whole design (rows are views into it), and the sin/cos columns from a
  // table shared by every fit: the backtest fits each model on five prefixes of one history.
  const design = new Float64Array(n * width)
  const waves = periods.flatMap((period, p) =>
    Array.from({length: harmonics[p] as number}, (_, k) => fourierColumns(period, k + 1, n)),
  )
  const rows: Float64Array[] = []
  for (let t = 0; t < n; t++) {
    const x = design.subarray(t * width, (t + 1) * width)
    x[0] = 1
    x[1] = t * scaleT
    let c = 2
    for (const cp of changepoints) x[c++] = Math.max(0, t - cp) * scaleT
    for (const wave of waves) {
      x[c++] = wave.sin[t] as number
      x[c++] = wave.cos[t] as number
    }
    rows.push(x)
  }
  // Changepoint slopes are shrunk (only real slope changes survive); seasonality barely.
  const penalties = [
    0,
    0,
    ...changepoints.map(() => n * 0.05),
    ...harmonics.flatMap((k) => Array.from({length: 2 * k}, () => 1e-3 * n)),
  ]
  const beta = ridgeLeastSquares(rows, y, penalties)
  return beta ? {n, transform, cap, changepoints, harmonics, scaleT, beta} : undefined
}

export function trendFourierModel(options: RegressionOptions): ModelFitter {
  return (history, {periods}) => {
    const fit = memoised(history, `regression:${options.transform}:${periods.join(',')}`, () =>
      fitRegression(history, periods, options.transform),
    )
    if (!fit) return seasonalNaive(history, {periods, season: periods.at(-1) ?? 1})
    const {n, transform, cap, changepoints, harmonics, scaleT, beta: b} = fit
    const trendAt = (t: number): number => {
      let value = (b[0] as number) + (b[1] as number) * t * scaleT
      changepoints.forEach((cp, k) => {
        value += (b[2 + k] as number) * Math.max(0, t - cp) * scaleT
      })
      return value
    }
    const finalSlope = trendAt(n) - trendAt(n - 1)
    const seasonalAt = (t: number, p: number): number => {
      let offset = 2 + changepoints.length
      for (let q = 0; q < p; q++) offset += 2 * (harmonics[q] as number)
      let value = 0
      for (let k = 1; k <= (harmonics[p] as number); k++) {
        const angle = (2 * Math.PI * k * t) / (periods[p] as number)
        value +=
          (b[offset + 2 * (k - 1)] as number) * Math.sin(angle) +
          (b[offset + 2 * (k - 1) + 1] as number) * Math.cos(angle)
      }
      return value
    }
    const futureTrend = (h: number): number[] => {
      const out: number[] = []
      let level = trendAt(n - 1)
      let slope = finalSlope
      for (let i = 0; i < h; i++) {
        slope *= options.dampingPerStep
        level += slope
        out.push(level)
      }
      return out
    }
    const back = (v: number) =>
      transform === 'log' ? Math.expm1(v) : transform === 'logistic' ? cap / (1 + Math.exp(-v)) : v
    return {
      forecast(h) {
        const trend = futureTrend(h)
        return trend.map((level, i) => back(level + periods.reduce((sum, _period, p) => sum + seasonalAt(n + i, p), 0)))
      },
      components(h) {
        const trend = futureTrend(h)
        const parts: Record<string, number[]> = {trend: trend.map(back)}
        periods.forEach((period, p) => {
          parts[`season-${period}`] = Array.from({length: h}, (_, i) =>
            transform !== 'none'
              ? back((trend[i] as number) + seasonalAt(n + i, p)) - back(trend[i] as number)
              : seasonalAt(n + i, p),
          )
        })
        return parts
      },
    }
  }
}

/**
 * Additive Holt–Winters with a damped trend; α, β, γ, φ chosen by grid search on the one-step
 * squared error. Gaps are filled by the model's own one-step forecast.
 */
export const etsModel: ModelFitter = (history, {season}) =>
  memoised(history, `ets:${season}`, () => fitEts(history, season))

function fitEts(history: readonly number[], season: number): ModelFit {
  const m = Math.max(1, season)
  const n = history.length
  const y = [...history]
  const firstFinite = y.find(Number.isFinite) ?? 0
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(y[i]))
      y[i] = i >= m && Number.isFinite(y[i - m]) ? (y[i - m] as number) : i > 0 ? (y[i - 1] as number) : firstFinite
  if (n < 2 * m + 2) return seasonalNaive(history, {periods: [], season: m})
  const mean = (from: number, to: number) => y.slice(from, to).reduce((s, v) => s + (v as number), 0) / (to - from)
  const level0 = mean(0, m)
  const trend0 = (mean(m, 2 * m) - level0) / m
  const seasonal0 = Array.from({length: m}, (_, i) => (y[i] as number) - level0)
  const run = (alpha: number, beta: number, gamma: number, phi: number, keep = false) => {
    let level = level0
    let trend = trend0
    const seasonal = [...seasonal0]
    let sse = 0
    for (let t = m; t < n; t++) {
      const s = seasonal[t % m] as number
      const prediction = level + phi * trend + s
      const value = history[t]
      const actual = Number.isFinite(value) ? (value as number) : prediction
      const error = actual - prediction
      sse += error * error
      const previousLevel = level
      level = alpha * (actual - s) + (1 - alpha) * (previousLevel + phi * trend)
      trend = beta * (level - previousLevel) + (1 - beta) * phi * trend
      seasonal[t % m] = gamma * (actual - level) + (1 - gamma) * s
    }
    return keep ? {sse, level, trend, seasonal} : {sse, level: 0, trend: 0, seasonal}
  }
  let best = {alpha: 0.2, beta: 0.01, gamma: 0.1, phi: 0.98, sse: Number.POSITIVE_INFINITY}
  for (const alpha of [0.05, 0.1, 0.2, 0.35, 0.5, 0.7])
    for (const beta of [0, 0.01, 0.05])
      for (const gamma of [0.01, 0.05, 0.1, 0.2, 0.35])
        for (const phi of [0.9, 0.98]) {
          const {sse} = run(alpha, beta, gamma, phi)
          if (sse < best.sse) best = {alpha, beta, gamma, phi, sse}
        }
  const final = run(best.alpha, best.beta, best.gamma, best.phi, true)
  return {
    forecast(h) {
      const out: number[] = []
      let damped = 0
      let power = 1
      for (let i = 1; i <= h; i++) {
        power *= best.phi
        damped += power
        out.push(final.level + damped * final.trend + (final.seasonal[(n + i - 1) % m] as number))
      }
      return out
    },
  }
}

/** The models the combination takes the median of: the seasonal naive, its robust cousin and a growing trend. */
export const COMBINATION_MEMBERS = ['seasonal-naive', 'seasonal-median', 'loglinear-fourier'] as const

/**
 * The median of three contenders that fail in different ways (the naive copies spikes, the median
 * lags a turn, the regression extrapolates): on the development and public series it was within a
 * few per cent of the best single model everywhere and far from the worst anywhere.
 */
export const combinationModel: ModelFitter = (history, context) => {
  const members = COMBINATION_MEMBERS.map((name) => MODELS[name](history, context))
  return {
    forecast(h) {
      const forecasts = members.map((member) => member.forecast(h))
      return Array.from({length: h}, (_, i) => median(forecasts.map((f) => f[i] as number)))
    },
  }
}

export const MODELS: Record<ModelName, ModelFitter> = {
  'seasonal-naive': seasonalNaive,
  'shifted-naive': shiftedNaive,
  'seasonal-median': seasonalMedianModel(4),
  'trend-fourier': trendFourierModel({transform: 'none', dampingPerStep: 1}),
  'damped-fourier': trendFourierModel({transform: 'none', dampingPerStep: 0.995}),
  'loglinear-fourier': trendFourierModel({transform: 'log', dampingPerStep: 1}),
  'saturating-fourier': trendFourierModel({transform: 'logistic', dampingPerStep: 1}),
  ets: etsModel,
  combination: combinationModel,
}

/**
 * What `loadplan forecast --json` writes and `plan` builds on: the forecast of one series, with its
 * bands, backtest scores, growth and peaks. Versioned plain data.
 */

/** The resolution a series is regularised to. */
export type Resolution = 'hour' | 'day' | 'month'

/** The forecasting models, by the name `--model` takes. */
export const MODEL_NAMES = [
  'seasonal-naive',
  'shifted-naive',
  'seasonal-median',
  'trend-fourier',
  'damped-fourier',
  'loglinear-fourier',
  'saturating-fourier',
  'ets',
  'combination',
] as const
export type ModelName = (typeof MODEL_NAMES)[number]

export interface ForecastPoint {
  timestamp: number
  forecast: number
  lo80: number
  hi80: number
  lo95: number
  hi95: number
}

export interface BacktestScore {
  model: ModelName
  /** Mean over folds of MASE (scaled by the in-sample seasonal naive of each fold). */
  mase: number
  /** Geometric mean over folds of the error relative to the seasonal naive's in the fold: below 1 beats it. */
  relative: number
  /** Mean relative error of each shortest cycle's peak (a day's, for hours), what plans size on. */
  peakError: number
  folds: number
}

/** Which model serves which steps of the horizon, and why. */
export interface HorizonPart {
  fromStep: number
  toStep: number
  /** A model's name, or 'growth': the near part's last cycle carried forward at the history's growth. */
  model: ModelName | 'growth'
  description: string
}

export interface GrowthEstimate {
  /** Median growth per month (Theil–Sen on log cycle means), e.g. 0.05 for +5 %/month. */
  perMonth: number
  /** 80 % interval of the pairwise slopes. */
  lo80: number
  hi80: number
  cycles: number
}

/** How the prediction bands were built, and from how much evidence. */
export interface IntervalBasis {
  /** conformal: from the chosen model's backtest errors; fallback: too few errors, a normal band. */
  method: 'conformal' | 'fallback'
  /** Backtest errors the band was built from, and the rolling origins they came from. */
  errors: number
  origins: number
  /** Errors grow like lead^exponent. */
  leadExponent: number
  description: string
}

export interface ForecastResult {
  resolution: Resolution
  /** The model of the near horizon (see `horizons`). */
  model: ModelName
  /** The models averaged when `model` is the combination. */
  members: ModelName[]
  /** Why the model was chosen. */
  choice: string
  horizons: HorizonPart[]
  periods: number[]
  season: number
  points: ForecastPoint[]
  backtest: BacktestScore[]
  interval: IntervalBasis
  growth: GrowthEstimate | undefined
  components: Record<string, number[]> | undefined
  dailyPeaks: Array<{day: number; forecast: number; hi95: number}>
  monthlyPeaks: Array<{month: number; forecast: number; hi95: number}>
  warnings: string[]
}

export const FORECAST_SCHEMA = 'loadplan/forecast'
export const FORECAST_VERSION = 1

/** A whole forecast month's peak over sample paths (P10, P50, P90): what `plan` sizes on, not the smoothed forecast's maximum. */
export interface MonthPeakBand {
  month: number
  p10: number
  p50: number
  p90: number
}

export interface ForecastDocument {
  schema: typeof FORECAST_SCHEMA
  version: typeof FORECAST_VERSION
  source: string
  history: {points: number; first: string; last: string; resolution: string; notes: string[]}
  result: ForecastResult
  /** Each whole month of the horizon (the partial first month is left out). */
  monthlyPeakBands: MonthPeakBand[]
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')

/** The document for a forecast of `timestamps` (the regularised history) from `source`. */
export function forecastDocument(
  source: string,
  timestamps: readonly number[],
  notes: string[],
  result: ForecastResult,
  monthlyPeakBands: MonthPeakBand[],
): ForecastDocument {
  return {
    schema: FORECAST_SCHEMA,
    version: FORECAST_VERSION,
    source,
    history: {
      points: timestamps.length,
      first: iso(timestamps[0] as number),
      last: iso(timestamps.at(-1) as number),
      resolution: result.resolution,
      notes,
    },
    result,
    monthlyPeakBands,
  }
}

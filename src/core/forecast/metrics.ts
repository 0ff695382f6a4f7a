/**
 * Forecast accuracy measures as the M4 competition defined them (Makridakis et al., 2020,
 * "The M4 Competition: 100,000 time series and 61 forecasting methods"): sMAPE, MASE scaled by
 * the in-sample seasonal-naive MAE, MSIS for intervals; plus plain interval coverage. Gaps (NaN)
 * in the actuals are skipped.
 */

/** In-sample mean absolute error of the seasonal naive with lag m: (1/(n−m)) Σ |y_t − y_{t−m}|. */
export function seasonalNaiveScale(insample: readonly number[], m: number): number {
  let sum = 0
  let count = 0
  for (let t = m; t < insample.length; t++) {
    const d = (insample[t] as number) - (insample[t - m] as number)
    if (Number.isFinite(d)) {
      sum += Math.abs(d)
      count++
    }
  }
  return count === 0 ? Number.NaN : sum / count
}

/** Mean absolute error over the points where both are finite. */
export function meanAbsoluteError(actual: readonly number[], forecast: readonly number[]): number {
  let sum = 0
  let count = 0
  for (let i = 0; i < actual.length; i++) {
    const d = (actual[i] as number) - (forecast[i] as number)
    if (Number.isFinite(d)) {
      sum += Math.abs(d)
      count++
    }
  }
  return count === 0 ? Number.NaN : sum / count
}

/**
 * Mean absolute scaled error.
 * @example mase([3, 5], [4, 4], [1, 2, 3, 4], 1) // => 1 (MAE 1 over in-sample naive MAE 1)
 */
export function mase(
  actual: readonly number[],
  forecast: readonly number[],
  insample: readonly number[],
  m: number,
): number {
  return meanAbsoluteError(actual, forecast) / seasonalNaiveScale(insample, m)
}

/** Symmetric MAPE in percent: (200/h) Σ |y − ŷ| / (|y| + |ŷ|); terms with y = ŷ = 0 count as 0. */
export function smape(actual: readonly number[], forecast: readonly number[]): number {
  let sum = 0
  let count = 0
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i] as number
    const f = forecast[i] as number
    if (!Number.isFinite(y) || !Number.isFinite(f)) continue
    const denominator = Math.abs(y) + Math.abs(f)
    sum += denominator === 0 ? 0 : Math.abs(y - f) / denominator
    count++
  }
  return count === 0 ? Number.NaN : (200 * sum) / count
}

/** Share of actuals inside [lo, hi]. */
export function coverage(actual: readonly number[], lo: readonly number[], hi: readonly number[]): number {
  let inside = 0
  let count = 0
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i] as number
    if (!Number.isFinite(y)) continue
    count++
    if (y >= (lo[i] as number) && y <= (hi[i] as number)) inside++
  }
  return count === 0 ? Number.NaN : inside / count
}

/**
 * Mean scaled interval score for a (1 − α) interval:
 * (1/h) Σ [(U − L) + (2/α)(L − y)·1{y < L} + (2/α)(y − U)·1{y > U}] / scale.
 */
export function msis(
  actual: readonly number[],
  lo: readonly number[],
  hi: readonly number[],
  insample: readonly number[],
  m: number,
  alpha = 0.05,
): number {
  let sum = 0
  let count = 0
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i] as number
    if (!Number.isFinite(y)) continue
    const l = lo[i] as number
    const u = hi[i] as number
    sum += u - l + (y < l ? (2 / alpha) * (l - y) : 0) + (y > u ? (2 / alpha) * (y - u) : 0)
    count++
  }
  return count === 0 ? Number.NaN : sum / count / seasonalNaiveScale(insample, m)
}

/**
 * Mean relative error of each period's peak: the actual and forecast series are cut into
 * consecutive periods of `period` steps (the last may be shorter) and the mean of
 * |max(forecast) − max(actual)| / max(actual) taken over the periods whose actual peak is positive.
 * @example peakError([1, 4, 2, 2], [2, 3, 1, 3], 2) // => 0.375 (|3−4|/4 and |3−2|/2)
 */
export function peakError(actual: readonly number[], forecast: readonly number[], period: number): number {
  let sum = 0
  let count = 0
  for (let start = 0; start < actual.length; start += period) {
    let actualPeak = Number.NEGATIVE_INFINITY
    let forecastPeak = Number.NEGATIVE_INFINITY
    for (let i = start; i < Math.min(actual.length, start + period); i++) {
      const y = actual[i] as number
      const f = forecast[i] as number
      if (!Number.isFinite(y) || !Number.isFinite(f)) continue
      actualPeak = Math.max(actualPeak, y)
      forecastPeak = Math.max(forecastPeak, f)
    }
    if (actualPeak > 0 && Number.isFinite(forecastPeak)) {
      sum += Math.abs(forecastPeak - actualPeak) / actualPeak
      count++
    }
  }
  return count === 0 ? Number.NaN : sum / count
}

/**
 * How bursty real arrivals are, from a recorded request rate (a monitor recording or a CSV at a
 * fine, regular step): the index of dispersion of the per-period counts, Var/Mean, after removing
 * the slow changes of the rate (the daily cycle, a ramp) with a centred moving mean. For a renewal
 * process the index over periods holding many arrivals tends to the squared coefficient of
 * variation of the gaps, which is what the fleet simulation's `arrivalCv2` takes: 1 for Poisson,
 * more for bursty traffic. Pure.
 */

/** Periods each side of the centred moving mean that stands for the rate's slow changes. */
export const DETREND_HALF_WINDOW = 30
/** Periods needed beyond the window for a usable estimate. */
export const MIN_BURSTINESS_PERIODS = 4 * DETREND_HALF_WINDOW + 1

export interface ArrivalBurstiness {
  /** The index of dispersion of the detrended counts: the cv² the simulation uses. */
  cv2: number
  /** The recording's step, seconds (its median gap). */
  periodSec: number
  /** Periods used (the ends of the moving mean's window are left out). */
  periods: number
  meanRatePerSec: number
}

/**
 * @param observations requests/s per period (the period's mean rate), in time order
 * @returns undefined when there are too few periods or no arrivals
 */
export function arrivalBurstiness(
  observations: ReadonlyArray<{timeMs: number; value: number}>,
): ArrivalBurstiness | undefined {
  if (observations.length < MIN_BURSTINESS_PERIODS) return undefined
  const gaps = observations
    .slice(1)
    .map((o, i) => o.timeMs - (observations[i] as {timeMs: number}).timeMs)
    .sort((a, b) => a - b)
  const periodSec = (gaps[Math.floor(gaps.length / 2)] as number) / 1000
  if (!(periodSec > 0)) return undefined
  const counts = observations.map((o) => o.value * periodSec)
  const w = DETREND_HALF_WINDOW
  const width = 2 * w + 1
  let windowSum = 0
  for (let i = 0; i < width; i++) windowSum += counts[i] as number
  let residualSquares = 0
  let countSum = 0
  let n = 0
  for (let i = w; i + w < counts.length; i++) {
    if (i > w) windowSum += (counts[i + w] as number) - (counts[i - w - 1] as number)
    const residual = (counts[i] as number) - windowSum / width
    residualSquares += residual * residual
    countSum += counts[i] as number
    n++
  }
  const mean = countSum / n
  if (!(mean > 0)) return undefined
  // Subtracting a mean of `width` counts that includes the count itself removes 1/width of its variance.
  const variance = residualSquares / n / (1 - 1 / width)
  return {cv2: variance / mean, periodSec, periods: n, meanRatePerSec: mean / periodSec}
}

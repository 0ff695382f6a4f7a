/**
 * The Theil–Sen estimator: the median of pairwise slopes, robust to spikes. Pure.
 *
 * Hand-written on purpose: ml-regression's TheilSenRegression gives the same slope and intercept
 * when the number of pairwise slopes is odd (test/unit/statistics.test.ts), but for an even count
 * it takes the lower of the two middle slopes (a quickselect median) where this takes their mean
 * (R's median), and it does not expose the slope quantiles the 80 % interval needs.
 */
import {quantileSorted} from 'simple-statistics'

/** Theil–Sen slope with an 80 % interval from the pairwise slopes, and the fitted level at the last x. */
export function theilSen(
  points: ReadonlyArray<[number, number]>,
): {slope: number; lo: number; hi: number; levelAtLast: number} | undefined {
  if (points.length < 3) return undefined
  const slopes: number[] = []
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++) {
      const [xi, yi] = points[i] as [number, number]
      const [xj, yj] = points[j] as [number, number]
      if (xj !== xi) slopes.push((yj - yi) / (xj - xi))
    }
  if (slopes.length === 0) return undefined
  slopes.sort((a, b) => a - b)
  const slope = quantileSorted(slopes, 0.5)
  const intercepts = points.map(([x, y]) => y - slope * x).sort((a, b) => a - b)
  const lastX = Math.max(...points.map(([x]) => x))
  return {
    slope,
    lo: quantileSorted(slopes, 0.1),
    hi: quantileSorted(slopes, 0.9),
    levelAtLast: quantileSorted(intercepts, 0.5) + slope * lastX,
  }
}

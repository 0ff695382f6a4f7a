/**
 * Mean, sample variance and lag-1 autocovariance of a series, both over n − 1: what the
 * local-level estimate of a wandering level and the correlation of consecutive errors are made
 * of. Pure.
 */
export function lagOneMoments(xs: readonly number[]): {mean: number; variance: number; lag1Covariance: number} {
  const n = xs.length
  const mean = xs.reduce((a, b) => a + b, 0) / n
  if (n < 2) return {mean, variance: 0, lag1Covariance: 0}
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)
  const lag1Covariance = xs.slice(1).reduce((a, x, i) => a + (x - mean) * ((xs[i] as number) - mean), 0) / (n - 1)
  return {mean, variance, lag1Covariance}
}

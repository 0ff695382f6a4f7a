/**
 * Ridge least squares by the normal equations and a Cholesky factorisation: small, dense and
 * fast for the tens of columns a trend-plus-Fourier design has. A per-column penalty lets
 * changepoint columns shrink (Prophet's sparse prior, approximated by L2) while the level and
 * seasonality stay free.
 *
 * Hand-written on purpose: ml-regression's MultivariateLinearRegression solves ordinary least
 * squares only (no per-column penalty), and the penalty is what keeps 25 changepoints from
 * overfitting.
 */

/**
 * Minimises ‖y − Xβ‖² + Σ λ_j β_j² over rows with a finite y.
 * @param rows design matrix as row arrays (n × p)
 * @param penalties λ per column (0 for none)
 * @returns β (p), or undefined when the system is singular
 */
export function ridgeLeastSquares(
  rows: readonly Float64Array[],
  y: readonly number[],
  penalties: readonly number[],
): Float64Array | undefined {
  const p = penalties.length
  const a = new Float64Array(p * p)
  const b = new Float64Array(p)
  for (let i = 0; i < rows.length; i++) {
    const yi = y[i] as number
    if (!Number.isFinite(yi)) continue
    const x = rows[i] as Float64Array
    for (let j = 0; j < p; j++) {
      const xj = x[j] as number
      if (xj === 0) continue
      b[j] = (b[j] as number) + xj * yi
      for (let k = j; k < p; k++) a[j * p + k] = (a[j * p + k] as number) + xj * (x[k] as number)
    }
  }
  for (let j = 0; j < p; j++) {
    a[j * p + j] = (a[j * p + j] as number) + (penalties[j] as number) + 1e-9
    for (let k = 0; k < j; k++) a[j * p + k] = a[k * p + j] as number
  }
  // Cholesky: A = L Lᵀ, in place in the lower triangle.
  for (let j = 0; j < p; j++) {
    let diagonal = a[j * p + j] as number
    for (let k = 0; k < j; k++) diagonal -= (a[j * p + k] as number) ** 2
    if (!(diagonal > 0)) return undefined
    const ljj = Math.sqrt(diagonal)
    a[j * p + j] = ljj
    for (let i = j + 1; i < p; i++) {
      let sum = a[i * p + j] as number
      for (let k = 0; k < j; k++) sum -= (a[i * p + k] as number) * (a[j * p + k] as number)
      a[i * p + j] = sum / ljj
    }
  }
  const z = new Float64Array(p)
  for (let i = 0; i < p; i++) {
    let sum = b[i] as number
    for (let k = 0; k < i; k++) sum -= (a[i * p + k] as number) * (z[k] as number)
    z[i] = sum / (a[i * p + i] as number)
  }
  const beta = new Float64Array(p)
  for (let i = p - 1; i >= 0; i--) {
    let sum = z[i] as number
    for (let k = i + 1; k < p; k++) sum -= (a[k * p + i] as number) * (beta[k] as number)
    beta[i] = sum / (a[i * p + i] as number)
  }
  return beta
}

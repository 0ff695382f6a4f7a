/**
 * The Universal Scalability Law (Gunther): throughput at concurrency N is
 *
 *   X(N) = λN / (1 + σ(N − 1) + κN(N − 1))
 *
 * with λ the throughput of one unit of concurrency, σ contention (serialisation) and κ coherency
 * (crosstalk). Fitted by nonlinear least squares on all three coefficients (Levenberg–Marquardt,
 * started from the linearised fit), as the R package `usl` does with nls.
 */
import type {UslFit, UslPoint} from '../../contracts/results/capacity-result.js'
import {DataError} from '../../contracts/errors.js'

/** Throughput the law predicts at concurrency n. */
export function uslThroughput(n: number, sigma: number, kappa: number, lambda: number): number {
  return (lambda * n) / (1 + sigma * (n - 1) + kappa * n * (n - 1))
}

function sumSquaredErrors(points: readonly UslPoint[], sigma: number, kappa: number, lambda: number): number {
  let sse = 0
  for (const p of points) sse += (p.throughput - uslThroughput(p.concurrency, sigma, kappa, lambda)) ** 2
  return sse
}

/** Solves the 3×3 system A·x = b by Gaussian elimination with partial pivoting. */
function solve3(a: number[][], b: number[]): number[] | undefined {
  const m = a.map((row, i) => [...row, b[i] as number])
  for (let col = 0; col < 3; col++) {
    let pivot = col
    for (let r = col + 1; r < 3; r++)
      if (Math.abs((m[r] as number[])[col] as number) > Math.abs((m[pivot] as number[])[col] as number)) pivot = r
    if (Math.abs((m[pivot] as number[])[col] as number) < 1e-300) return undefined
    ;[m[col], m[pivot]] = [m[pivot] as number[], m[col] as number[]]
    for (let r = 0; r < 3; r++) {
      if (r === col) continue
      const factor = ((m[r] as number[])[col] as number) / ((m[col] as number[])[col] as number)
      for (let c = col; c < 4; c++)
        (m[r] as number[])[c] = ((m[r] as number[])[c] as number) - factor * ((m[col] as number[])[c] as number)
    }
  }
  return m.map((row, i) => (row[3] as number) / (row[i] as number))
}

/** Starting point: λ from the lowest concurrency, then σ and κ by linear least squares on N·λ/X − 1 = σ(N−1) + κN(N−1). */
function initialGuess(points: readonly UslPoint[]): [number, number, number] {
  const lowest = points.reduce((a, b) => (b.concurrency < a.concurrency ? b : a))
  const lambda = lowest.throughput / lowest.concurrency
  let s11 = 0
  let s12 = 0
  let s22 = 0
  let t1 = 0
  let t2 = 0
  for (const p of points) {
    const y = (p.concurrency * lambda) / p.throughput - 1
    const u = p.concurrency - 1
    const v = p.concurrency * (p.concurrency - 1)
    s11 += u * u
    s12 += u * v
    s22 += v * v
    t1 += u * y
    t2 += v * y
  }
  const det = s11 * s22 - s12 * s12
  const sigma = det === 0 ? 0 : (t1 * s22 - t2 * s12) / det
  const kappa = det === 0 ? 0 : (s11 * t2 - s12 * t1) / det
  return [Math.max(0, sigma), Math.max(0, kappa), lambda]
}

/**
 * Fits σ, κ and λ to measured throughput.
 * @param points at least three distinct concurrency levels with positive throughput
 * @throws DataError with fewer than three levels (three coefficients need three points)
 * @example fitUsl([{concurrency: 1, throughput: 100}, {concurrency: 2, throughput: 190}, ...])
 */
export function fitUsl(points: readonly UslPoint[]): UslFit {
  const usable = points.filter((p) => p.concurrency > 0 && p.throughput > 0)
  if (new Set(usable.map((p) => p.concurrency)).size < 3)
    throw new DataError('the USL fit needs throughput at three or more concurrency levels')
  let [sigma, kappa, lambda] = initialGuess(usable)
  let sse = sumSquaredErrors(usable, sigma, kappa, lambda)
  let damping = 1e-3
  for (let iteration = 0; iteration < 500; iteration++) {
    // Normal equations JᵀJ·δ = Jᵀr with analytic derivatives.
    const jtj = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]
    const jtr = [0, 0, 0]
    for (const p of usable) {
      const n = p.concurrency
      const d = 1 + sigma * (n - 1) + kappa * n * (n - 1)
      const x = (lambda * n) / d
      const grad = [(-lambda * n * (n - 1)) / (d * d), (-lambda * n * n * (n - 1)) / (d * d), n / d]
      const r = p.throughput - x
      for (let i = 0; i < 3; i++) {
        jtr[i] = (jtr[i] as number) + (grad[i] as number) * r
        for (let j = 0; j < 3; j++)
          (jtj[i] as number[])[j] = ((jtj[i] as number[])[j] as number) + (grad[i] as number) * (grad[j] as number)
      }
    }
    let improved = false
    while (damping < 1e12) {
      const damped = jtj.map((row, i) => row.map((value, j) => (i === j ? value * (1 + damping) : value)))
      const step = solve3(damped, jtr)
      if (!step) {
        damping *= 10
        continue
      }
      // σ and κ are physical costs: keep them non-negative (projected step).
      const candidate: [number, number, number] = [
        Math.max(0, sigma + (step[0] as number)),
        Math.max(0, kappa + (step[1] as number)),
        lambda + (step[2] as number),
      ]
      const candidateSse = sumSquaredErrors(usable, ...candidate)
      if (candidateSse < sse) {
        const relativeGain = (sse - candidateSse) / Math.max(sse, 1e-300)
        ;[sigma, kappa, lambda] = candidate
        sse = candidateSse
        damping = Math.max(damping / 10, 1e-12)
        improved = relativeGain > 1e-12
        break
      }
      damping *= 10
    }
    if (!improved) break
  }

  const mean = usable.reduce((sum, p) => sum + p.throughput, 0) / usable.length
  const sst = usable.reduce((sum, p) => sum + (p.throughput - mean) ** 2, 0)
  const peakConcurrency = kappa > 0 ? Math.sqrt((1 - sigma) / kappa) : Number.POSITIVE_INFINITY
  const optimalConcurrency = sigma > 0 ? 1 / sigma : Number.POSITIVE_INFINITY
  return {
    sigma,
    kappa,
    lambda,
    rSquared: sst === 0 ? 1 : 1 - sse / sst,
    rmse: Math.sqrt(sse / usable.length),
    peakConcurrency,
    peakThroughput: Number.isFinite(peakConcurrency)
      ? uslThroughput(peakConcurrency, sigma, kappa, lambda)
      : sigma > 0
        ? lambda / sigma
        : Number.POSITIVE_INFINITY,
    optimalConcurrency,
    optimalThroughput: Number.isFinite(optimalConcurrency)
      ? uslThroughput(optimalConcurrency, sigma, kappa, lambda)
      : Number.POSITIVE_INFINITY,
    limitThroughput: sigma > 0 ? lambda / sigma : Number.POSITIVE_INFINITY,
    points: usable.map((p) => ({...p, fitted: uslThroughput(p.concurrency, sigma, kappa, lambda)})),
  }
}

/**
 * Sizing by the risk of overload (issue 29): one knob, the probability that a month's peak exceeds
 * what the fleet carries, read off the month's peak over sample paths. Pure.
 */
import type {Range} from '../../contracts/results/plan-document.js'

/**
 * The empirical quantile that is a value of the sample (R's type 1, the inverse of the empirical
 * distribution function): the smallest value with at least a share `q` of the sample at or below
 * it. It commutes with any non-decreasing map, so the P90 of the instances a month needs is the
 * instances its P90 demand needs, and the demand with at most `risk` of the paths above it is
 * `inverseCdf(ascending, 1 − risk)`.
 */
export function inverseCdf(ascending: readonly number[], q: number): number {
  const n = ascending.length
  // 1e-9: (1 − 0.05) · 1000 is 950.0000000000001 in floating point, not 950.
  const index = Math.min(n - 1, Math.max(0, Math.ceil(q * n - 1e-9) - 1))
  return ascending[index] as number
}

/** The share of `ascending` strictly above `limit`. */
export function shareAbove(ascending: readonly number[], limit: number): number {
  let lo = 0
  let hi = ascending.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((ascending[mid] as number) > limit) hi = mid
    else lo = mid + 1
  }
  return ascending.length === 0 ? 0 : (ascending.length - lo) / ascending.length
}

/** P10, P50 and P90 of `ascending`, values of the sample (see inverseCdf). */
export function rangeOf(ascending: readonly number[]): Range {
  return {p10: inverseCdf(ascending, 0.1), p50: inverseCdf(ascending, 0.5), p90: inverseCdf(ascending, 0.9)}
}

export const ascending = (values: Iterable<number>): number[] => [...values].sort((a, b) => a - b)

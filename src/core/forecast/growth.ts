/**
 * Growth per month of a history, and how sure of it one can be. Pure.
 */
import {mean} from 'simple-statistics'
import {theilSen} from '../../contracts/stats/theil-sen.js'
import type {GrowthEstimate} from '../../contracts/results/forecast-document.js'

/** Growth per month by Theil–Sen on the log of whole-cycle means. */
export function estimateGrowth(
  values: readonly number[],
  cycle: number,
  stepsPerMonth: number,
): GrowthEstimate | undefined {
  const means: Array<[number, number]> = []
  for (let start = values.length % cycle, i = 0; start + cycle <= values.length; start += cycle, i++) {
    const chunk = values.slice(start, start + cycle).filter(Number.isFinite)
    if (chunk.length >= cycle / 2) {
      const chunkMean = mean(chunk)
      if (chunkMean > 0) means.push([i, Math.log(chunkMean)])
    }
  }
  const trend = theilSen(means)
  if (!trend) return undefined
  const perMonth = (slope: number) => Math.exp((slope * stepsPerMonth) / cycle) - 1
  return {perMonth: perMonth(trend.slope), lo80: perMonth(trend.lo), hi80: perMonth(trend.hi), cycles: means.length}
}

/**
 * The spread (standard deviation of log(1 + g)) of the monthly growth a plan assumes before it has
 * seen the history: 80 % of services between −3.8 % and +3.9 % a month (−37 % … +59 % a year).
 */
export const GROWTH_PRIOR_SD = 0.03
/** z of the 90th percentile: an 80 % range spans ±1.2816 standard deviations. */
export const Z80 = 1.2815515655446004

/** The standard deviation of log(1 + g) that a growth's 80 % range stands for (a normal on the log). */
export function logGrowthSd(range: {lo80: number; hi80: number}): number {
  return Math.max(0, Math.log1p(range.hi80) - Math.log1p(range.lo80)) / (2 * Z80)
}

/**
 * A fitted growth with its 80 % range, shrunk toward none by GROWTH_PRIOR_SD (normal prior and
 * normal likelihood on log(1 + g)): a range as wide as seven weekly means give (−24 % … +63 % a
 * month) leaves about 0 ± 3 %; a tight one (three years: ±0.2 %) stays as it is. Seven weekly means
 * of a utility's load in spring say −12 % a month with a tight range too: no prior catches a season
 * mistaken for growth, which is why a history of a year is read by the year (yearly-peaks.ts).
 * @example shrinkGrowth({perMonth: 0.1, lo80: 0.1, hi80: 0.1}).perMonth // => 0.1 (no doubt, no shrinking)
 */
export function shrinkGrowth(growth: {perMonth: number; lo80: number; hi80: number}): {
  perMonth: number
  lo80: number
  hi80: number
} {
  const fitted = Math.log1p(growth.perMonth)
  const sd = logGrowthSd(growth)
  const weight = GROWTH_PRIOR_SD ** 2 / (GROWTH_PRIOR_SD ** 2 + sd ** 2)
  const center = fitted * weight
  const spread = Math.sqrt(weight) * sd
  return {
    perMonth: Math.expm1(center),
    lo80: Math.expm1(center - Z80 * spread),
    hi80: Math.expm1(center + Z80 * spread),
  }
}

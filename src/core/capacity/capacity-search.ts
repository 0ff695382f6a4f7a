/**
 * The capacity search policy, as a pure function of the steps so far: a geometric ramp of the
 * arrival rate until the SLO breaks, a bisection between the last good and the first bad rate,
 * and a repeat of the final good rate to confirm it. A rate that failed once is bad, even if it
 * also passed once: near the limit, the pessimistic reading is the safe one.
 */
import type {SearchPhase} from '../../contracts/results/capacity-result.js'

export interface SearchSettings {
  startRatePerSec: number
  /** Ramp multiplier, e.g. 2. */
  growthFactor: number
  maxRatePerSec: number
  /** Bisection stops when (bad − good)/good is at most this, e.g. 0.05. */
  precision: number
  /** Repeat the final good rate once before reporting it. */
  confirm: boolean
  /** Below this rate a failing target is reported as having no sustainable rate. */
  minRatePerSec: number
}

export interface StepVerdict {
  phase: SearchPhase
  ratePerSec: number
  passed: boolean
  /**
   * Set when the target could not keep up (throughput fell well behind the arrivals): the rate it
   * did serve. Nothing above it can pass, so the bisection's upper bound drops to just above it.
   */
  saturatedAtRatePerSec?: number
}

/** The bisection's upper bound over a saturated step's served rate: served rates scatter a little. */
export const SATURATION_MARGIN = 0.05

export type SearchDecision =
  | {action: 'step'; phase: SearchPhase; ratePerSec: number}
  | {
      action: 'done'
      /** Highest rate that passed every time it was tried; undefined when none did. */
      sustainableRatePerSec: number | undefined
      /** Lowest rate that failed; undefined when none did (the maximum rate was sustained). */
      breakingRatePerSec: number | undefined
      reason: 'converged' | 'max-rate' | 'nothing-sustainable'
    }

/** Rates people can read: whole numbers from 10/s up, two decimals below. */
export function roundRate(ratePerSec: number): number {
  return ratePerSec >= 10 ? Math.round(ratePerSec) : Math.round(ratePerSec * 100) / 100
}

/**
 * The current bracket: the best rate that always passed, the lowest that ever failed, and `ceiling`,
 * the upper bound the bisection works to: `bad`, or just above what a saturated step served.
 */
export function bracket(steps: readonly StepVerdict[]): {
  good: number | undefined
  bad: number | undefined
  ceiling: number | undefined
} {
  let bad: number | undefined
  let ceiling: number | undefined
  for (const step of steps) {
    if (step.passed) continue
    bad = bad === undefined ? step.ratePerSec : Math.min(bad, step.ratePerSec)
    const bound =
      step.saturatedAtRatePerSec === undefined
        ? step.ratePerSec
        : Math.min(step.ratePerSec, roundRate(step.saturatedAtRatePerSec * (1 + SATURATION_MARGIN)))
    ceiling = ceiling === undefined ? bound : Math.min(ceiling, bound)
  }
  let good: number | undefined
  for (const step of steps) {
    if (!step.passed || (bad !== undefined && step.ratePerSec >= bad)) continue
    good = good === undefined ? step.ratePerSec : Math.max(good, step.ratePerSec)
  }
  return {good, bad, ceiling}
}

/**
 * Decides the next step.
 * @example nextSearchStep(settings, []) // => {action: 'step', phase: 'ramp', ratePerSec: settings.startRatePerSec}
 */
export function nextSearchStep(settings: SearchSettings, steps: readonly StepVerdict[]): SearchDecision {
  if (steps.length === 0)
    return {
      action: 'step',
      phase: 'ramp',
      ratePerSec: roundRate(Math.min(settings.startRatePerSec, settings.maxRatePerSec)),
    }
  const {good, bad, ceiling} = bracket(steps)

  if (bad === undefined) {
    const best = good as number
    if (best >= settings.maxRatePerSec)
      return {action: 'done', sustainableRatePerSec: best, breakingRatePerSec: undefined, reason: 'max-rate'}
    return {
      action: 'step',
      phase: 'ramp',
      ratePerSec: roundRate(Math.min(best * settings.growthFactor, settings.maxRatePerSec)),
    }
  }

  if (good === undefined) {
    // Below a saturated step's served rate, or a ramp step down from the failure.
    const lower = roundRate(Math.min(bad / settings.growthFactor, (ceiling as number) * (1 - settings.precision)))
    if (lower < settings.minRatePerSec)
      return {action: 'done', sustainableRatePerSec: undefined, breakingRatePerSec: bad, reason: 'nothing-sustainable'}
    return {action: 'step', phase: 'ramp', ratePerSec: lower}
  }

  const upper = ceiling as number
  if ((upper - good) / good > settings.precision) {
    const middle = roundRate((good + upper) / 2)
    // Rounding can land on a bound when the bracket is a few requests wide: then it has converged.
    if (middle > good && middle < upper) return {action: 'step', phase: 'bisect', ratePerSec: middle}
  }

  const timesTried = steps.filter((step) => step.ratePerSec === good).length
  if (settings.confirm && timesTried < 2) return {action: 'step', phase: 'confirm', ratePerSec: good}
  return {action: 'done', sustainableRatePerSec: good, breakingRatePerSec: bad, reason: 'converged'}
}

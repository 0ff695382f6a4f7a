/**
 * Whether an open-model step was steady: a target that cannot keep up with the arrivals still
 * answers every request for a while, but its queue grows, so latency climbs through the step and
 * it serves fewer requests per second than arrive. Judged from the step's per-second samples, so
 * that a short step at 3 % over capacity fails even though its totals look fine (p50 11 → 55 ms
 * within a 5 s step at 387/s against a 377/s server).
 */

import {median} from 'simple-statistics'

/** What the check reads of one second of a run (see RunResultSecond). */
export interface StepSecond {
  /** Seconds since the start of the step, warm-up included. */
  second: number
  requests: number
  errors: number
  p50Ms: number | null
}

export interface StepWindow {
  /** The measured window, in ms since the step's start: after the warm-up, until the last arrival. */
  fromMs: number
  toMs: number
  offeredRatePerSec: number
}

/**
 * Latency climbs: the last third's p50 is above the first third's by this share of it… (a queue
 * that began in the warm-up rises from an already raised start: 75 → 125 ms in a 1 s window.)
 */
export const MIN_RISE_SHARE = 0.5
/** …and by at least this much (one busy second doubles a 1 ms p50 without any queue). */
export const MIN_RISE_MS = 5
/** A second judged for its p50 needs this many responses. */
const MIN_RESPONSES = 20
/** The steady seconds served less than this share of the offered rate: the target fell behind. */
export const MIN_SERVED_SHARE = 0.97

const SECOND_MS = 1000

const ms = (value: number) => (value >= 10 ? value.toFixed(0) : value.toFixed(1))

/** Why a step was not steady, in words for its failure list; both undefined when it was. */
export interface StepStability {
  latencyClimb: string | undefined
  servedShortfall: string | undefined
}

/**
 * Whether a step was steady. Too short to tell counts as steady: a climb needs two seconds with
 * responses, the served rate two whole seconds after the first.
 * @example stepStability([{second: 2, requests: 387, errors: 0, p50Ms: 11}, …, {second: 6, requests: 377, errors: 0, p50Ms: 56}], {fromMs: 2000, toMs: 7000, offeredRatePerSec: 387})
 *   // => {latencyClimb: 'latency climbed within the step (p50 11 → 56 ms): a queue was building', servedShortfall: …}
 */
export function stepStability(seconds: readonly StepSecond[], window: StepWindow): StepStability {
  const result: StepStability = {latencyClimb: undefined, servedShortfall: undefined}
  // Every second that overlaps the window: a partial one still samples the latency of its arrivals.
  const inWindow = seconds.filter(
    (s) => (s.second + 1) * SECOND_MS > window.fromMs && s.second * SECOND_MS < window.toMs,
  )
  const timed = inWindow.filter((s) => s.p50Ms !== null && s.requests >= MIN_RESPONSES)
  if (timed.length >= 2) {
    const third = Math.ceil(timed.length / 3)
    const p50 = (part: readonly StepSecond[]) => median(part.map((s) => s.p50Ms as number))
    const firstMs = p50(timed.slice(0, third))
    const lastMs = p50(timed.slice(-third))
    // A queue only grows: the middle (when there is one) lies on the way, not above or below both.
    const middle = timed.slice(third, -third)
    const steadyClimb = middle.length === 0 || (p50(middle) >= firstMs && p50(middle) <= lastMs)
    if (steadyClimb && lastMs - firstMs >= Math.max(MIN_RISE_MS, firstMs * MIN_RISE_SHARE))
      result.latencyClimb = `latency climbed within the step (p50 ${ms(firstMs)} → ${ms(lastMs)} ms): a queue was building`
  }
  // The served rate: whole seconds after the first (whose responses start one latency late).
  const steady = inWindow.filter(
    (s) => s.second * SECOND_MS >= window.fromMs + SECOND_MS && (s.second + 1) * SECOND_MS <= window.toMs,
  )
  const failed = steady.some((s) => s.errors > 0)
  if (steady.length >= 2 && !failed) {
    const servedPerSec = steady.reduce((sum, s) => sum + s.requests, 0) / steady.length
    if (servedPerSec < window.offeredRatePerSec * MIN_SERVED_SHARE)
      result.servedShortfall = `served ${servedPerSec.toFixed(0)}/s of the ${window.offeredRatePerSec}/s offered: the target fell behind`
  }
  return result
}

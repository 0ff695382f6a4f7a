/**
 * The open-model schedule as plain data: stages of linearly ramping arrival rates, and the
 * exact time of the k-th arrival measured from one absolute origin. Computing every send time
 * from the origin (instead of chaining relative timers) is what keeps a long run from drifting.
 */

export interface Stage {
  /** How long the stage lasts. */
  durationMs: number
  /** Arrival rate reached at the end of the stage; the rate ramps linearly towards it. */
  targetRatePerSec: number
}

export interface ScheduleSegment {
  startMs: number
  durationMs: number
  fromRatePerSec: number
  toRatePerSec: number
  /** Arrivals due before this segment starts (a real number: the integral of the rate). */
  arrivalsBefore: number
}

export interface ArrivalSchedule {
  segments: ScheduleSegment[]
  totalDurationMs: number
  /** Expected number of arrivals over the whole schedule (the integral of the rate). */
  totalArrivals: number
}

/**
 * Compiles stages into segments with their cumulative arrival counts.
 * @param stages ramps, in order; a constant rate is one stage whose start and target agree
 * @param startRatePerSec the rate at time zero (k6's `startRate`)
 * @example compileArrivalSchedule([{durationMs: 10_000, targetRatePerSec: 100}], 100).totalArrivals // => 1000
 */
export function compileArrivalSchedule(stages: readonly Stage[], startRatePerSec: number): ArrivalSchedule {
  const segments: ScheduleSegment[] = []
  let startMs = 0
  let fromRatePerSec = startRatePerSec
  let arrivalsBefore = 0
  for (const stage of stages) {
    segments.push({
      startMs,
      durationMs: stage.durationMs,
      fromRatePerSec,
      toRatePerSec: stage.targetRatePerSec,
      arrivalsBefore,
    })
    arrivalsBefore += ((fromRatePerSec + stage.targetRatePerSec) / 2) * (stage.durationMs / 1000)
    startMs += stage.durationMs
    fromRatePerSec = stage.targetRatePerSec
  }
  return {segments, totalDurationMs: startMs, totalArrivals: arrivalsBefore}
}

/** The schedule of a constant arrival rate. */
export function constantArrivalSchedule(ratePerSec: number, durationMs: number): ArrivalSchedule {
  return compileArrivalSchedule([{durationMs, targetRatePerSec: ratePerSec}], ratePerSec)
}

/**
 * Offset from the origin at which arrival number `k` (0-based) is due: the time t at which the
 * integral of the rate reaches k. Within a linear ramp r(t) = r0 + (r1 - r0)·t/D the integral is
 * r0·t + a·t² with a = (r1 - r0)/(2D); solving a·t² + r0·t - n = 0 in the cancellation-free
 * form t = 2n / (r0 + √(r0² + 4an)) works for ramps up, down and flat.
 * @returns milliseconds from the origin, or undefined when arrival k falls after the schedule ends
 * @example arrivalOffsetMs(constantArrivalSchedule(100, 1000), 3) // => 30
 */
export function arrivalOffsetMs(schedule: ArrivalSchedule, k: number): number | undefined {
  const {segments} = schedule
  // The last segment whose arrivalsBefore ≤ k holds arrival k (binary search: schedules are tiny
  // but k is unbounded, and this runs once per request).
  let lo = 0
  let hi = segments.length - 1
  if (hi < 0) return undefined
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if ((segments[mid] as ScheduleSegment).arrivalsBefore <= k) lo = mid
    else hi = mid - 1
  }
  // Zero-rate segments hold no arrivals; move to the first later segment that can.
  for (let i = lo; i < segments.length; i++) {
    const segment = segments[i] as ScheduleSegment
    const n = k - segment.arrivalsBefore
    if (n < 0) return segment.startMs
    const r0 = segment.fromRatePerSec
    const durationSec = segment.durationMs / 1000
    const a = (segment.toRatePerSec - r0) / (2 * durationSec)
    const capacity = r0 * durationSec + a * durationSec * durationSec
    // The tolerance keeps arrival k = total (due exactly at the end) out of the run.
    if (n >= capacity - 1e-9) continue
    const denominator = r0 + Math.sqrt(Math.max(0, r0 * r0 + 4 * a * n))
    const tSec = denominator === 0 ? 0 : (2 * n) / denominator
    return segment.startMs + tSec * 1000
  }
  return undefined
}

/** The target arrival rate at a moment of the schedule. */
export function rateAt(schedule: ArrivalSchedule, elapsedMs: number): number {
  for (const segment of schedule.segments) {
    if (elapsedMs < segment.startMs + segment.durationMs) {
      const fraction = Number.isFinite(segment.durationMs)
        ? Math.max(0, elapsedMs - segment.startMs) / segment.durationMs
        : 0
      return segment.fromRatePerSec + (segment.toRatePerSec - segment.fromRatePerSec) * fraction
    }
  }
  return 0
}

/**
 * The stages cut, or held, to last exactly `durationMs` (a `--duration` over a file's stages: the
 * flag wins). A stage that crosses the end is cut there, its target the rate its ramp had reached;
 * stages shorter than the duration are followed by a hold at their last rate.
 */
export function fitStagesToDuration(stages: readonly Stage[], startRatePerSec: number, durationMs: number): Stage[] {
  const fitted: Stage[] = []
  let elapsedMs = 0
  let rate = startRatePerSec
  for (const stage of stages) {
    if (elapsedMs + stage.durationMs >= durationMs) {
      const partMs = durationMs - elapsedMs
      const reached = rate + ((stage.targetRatePerSec - rate) * partMs) / stage.durationMs
      if (partMs > 0) fitted.push({durationMs: partMs, targetRatePerSec: reached})
      return fitted
    }
    fitted.push(stage)
    elapsedMs += stage.durationMs
    rate = stage.targetRatePerSec
  }
  fitted.push({durationMs: durationMs - elapsedMs, targetRatePerSec: rate})
  return fitted
}

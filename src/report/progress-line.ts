/** The one-line progress report written to stderr while a run is going. Pure. */
import {formatCount, formatDurationMs} from '../contracts/format/units.js'
import type {EngineSnapshot} from '../contracts/results/engine-snapshot.js'

export interface ProgressState {
  /** Completed count at the previous report, to show the current rate. */
  previousCompleted: number
  previousElapsedMs: number
}

export function formatProgressLine(snapshot: EngineSnapshot, previous: ProgressState): string {
  const {counters, elapsedMs} = snapshot
  const windowMs = elapsedMs - previous.previousElapsedMs
  const ratePerSec = windowMs > 0 ? ((counters.completed - previous.previousCompleted) * 1000) / windowMs : 0
  const planned = snapshot.plannedDurationMs
  const time =
    planned === undefined
      ? formatDurationMs(elapsedMs)
      : `${formatDurationMs(Math.min(elapsedMs, planned))} / ${formatDurationMs(planned)}`
  const parts = [
    time,
    `${ratePerSec.toFixed(0)}/s${snapshot.targetRatePerSec === undefined ? '' : ` (target ${snapshot.targetRatePerSec.toFixed(0)}/s)`}`,
    `${formatCount(counters.completed)} done`,
    `${formatCount(counters.httpErrors + counters.transportErrors)} errors`,
    `${snapshot.inFlight} in flight`,
  ]
  if (snapshot.queued > 0) parts.push(`${snapshot.queued} queued`)
  if (counters.dropped > 0) parts.push(`${formatCount(counters.dropped)} dropped`)
  return parts.join(' · ')
}

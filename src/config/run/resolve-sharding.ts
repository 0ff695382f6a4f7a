/** How a run is split into shards over machines (`--segment i/n`) and started together (`--start-at`). */
import {formatDurationMs} from '../../contracts/format/units.js'
import type {ClosedLoad, OpenLoad, Segment} from '../../core/engine/run-options.js'
import type {RunContext} from './run-context.js'

/** The most shards a run may be split into. */
export const MAX_SEGMENTS = 10_000

/** How far in the past --start-at may be: a shard this late still joins, catching up on the schedule. */
export const START_AT_LATE_MS = 5_000

/** How far ahead --start-at may be. */
const START_AT_AHEAD_MS = 86_400_000

/** `--segment i/n`: shard i (from 0) of n. */
export function parseSegment(text: string): Segment | {error: string} {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  const fix = 'expected i/n, shard i (counting from 0) of n, e.g. --segment 0/3'
  if (!match) return {error: fix}
  const index = Number(match[1])
  const count = Number(match[2])
  if (count < 1 || count > MAX_SEGMENTS) return {error: `n must be 1 to ${MAX_SEGMENTS}; ${fix}`}
  if (index >= count) return {error: `i must be below n (shards are numbered 0 to ${count - 1}); ${fix}`}
  return {index, count}
}

/** `--start-at`: an ISO 8601 time with a zone (…Z or …+01:00) or `@EPOCH` in seconds, as epoch ms. */
export function parseStartAt(text: string): number | {error: string} {
  const trimmed = text.trim()
  const fix =
    'expected an absolute time with a zone, e.g. --start-at 2026-12-01T09:30:00Z, or @EPOCH seconds, e.g. @1764581400'
  if (/^@\d+(\.\d+)?$/.test(trimmed)) {
    const ms = Math.round(Number(trimmed.slice(1)) * 1000)
    // Beyond the year 275760 a JavaScript date is invalid.
    return Number.isFinite(new Date(ms).getTime()) ? ms : {error: fix}
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed)) return {error: fix}
  const ms = Date.parse(trimmed)
  return Number.isFinite(ms) ? ms : {error: fix}
}

/** `--segment i/n` and `--start-at`: which shard this process is and when every shard starts. */
export function resolveSharding(
  ctx: RunContext,
  load: ClosedLoad | OpenLoad,
  workers: number,
): {segment?: Segment; startAtEpochMs?: number} {
  const {problems, flags, input} = ctx
  const loadConnections = load.connections
  const segment = flags.segment === undefined ? undefined : parseSegment(flags.segment)
  if (segment && 'error' in segment) problems.add('--segment', segment.error, flags.segment)
  else if (segment && segment.count > 1) {
    // Every shard needs a connection for each of its workers, and a request in flight at least.
    const perShard = Math.floor(loadConnections / segment.count)
    if (perShard < workers)
      problems.add(
        '--segment',
        `${segment.count} shards of ${loadConnections} connections leave ${perShard} per shard, fewer than its ${workers} worker(s); use more connections or fewer shards`,
        flags.segment,
      )
    if (load.model === 'open' && load.maxInFlight < segment.count)
      problems.add(
        '--segment',
        `--max-in-flight ${load.maxInFlight} cannot be split over ${segment.count} shards`,
        flags.segment,
      )
    if (load.amount !== undefined && load.amount < segment.count)
      problems.add(
        '--segment',
        `--amount ${load.amount} leaves some of ${segment.count} shards nothing to send`,
        flags.segment,
      )
  }
  const startAtEpochMs = flags.startAt === undefined ? undefined : parseStartAt(flags.startAt)
  if (typeof startAtEpochMs === 'object') problems.add('--start-at', startAtEpochMs.error, flags.startAt)
  else if (startAtEpochMs !== undefined && input.nowEpochMs !== undefined) {
    const aheadMs = startAtEpochMs - input.nowEpochMs
    if (aheadMs < -START_AT_LATE_MS)
      problems.add(
        '--start-at',
        `is ${formatDurationMs(-aheadMs)} in the past (a shard may join at most ${formatDurationMs(START_AT_LATE_MS)} late); choose a later time for every shard`,
        flags.startAt,
      )
    if (aheadMs > START_AT_AHEAD_MS) problems.add('--start-at', 'is more than 24 hours ahead', flags.startAt)
  }

  const resolved: {segment?: Segment; startAtEpochMs?: number} = {}
  if (segment && !('error' in segment)) resolved.segment = segment
  if (typeof startAtEpochMs === 'number') resolved.startAtEpochMs = startAtEpochMs
  return resolved
}

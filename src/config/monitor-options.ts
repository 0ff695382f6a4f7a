/** `loadplan monitor` and `monitor export` options, checked at once. Pure. */
import {homedir} from 'node:os'
import {join} from 'node:path'
import {ProblemList} from '../contracts/errors.js'
import {parseDurationMs} from '../contracts/parse/parse-units.js'

/** Where monitor writes and headroom, forecast and plan read by default. */
/** The metric `monitor --traffic-log` records: the request rate that plan and simulate read from a recording. */
export const TRAFFIC_METRIC = 'traffic.requests_per_sec'

export const DEFAULT_DB = join(homedir(), '.loadplan', 'metrics.db')

export interface MonitorFlags {
  db: string
  interval: string
  rollup: string
  for?: string
  retention: string
  trafficLog?: string
}

export interface MonitorOptions {
  db: string
  intervalMs: number
  rollupMs: number
  /** Undefined: until stopped. */
  durationMs?: number
  retentionMs: number
  trafficLog?: string
  /** As the user wrote them, for the start-up line. */
  intervalText: string
  rollupText: string
}

function duration(problems: ProblemList, flag: string, text: string | undefined, minMs: number): number | undefined {
  if (text === undefined) return undefined
  const ms = parseDurationMs(text)
  if (ms === undefined || ms < minMs)
    problems.add(flag, `expected a duration of at least ${minMs} ms, such as 1s, 1m or 24h`, text)
  return ms
}

/** @throws InputError listing every problem */
export function resolveMonitorOptions(flags: MonitorFlags): MonitorOptions {
  const problems = new ProblemList()
  const intervalMs = duration(problems, '--interval', flags.interval, 10) ?? 1000
  const rollupMs = duration(problems, '--rollup', flags.rollup, 100) ?? 60_000
  const durationMs = duration(problems, '--for', flags.for, 1)
  const retentionMs = duration(problems, '--retention', flags.retention, 1) ?? 30 * 86_400_000
  if (rollupMs < intervalMs)
    problems.add('--rollup', `must be at least the sampling --interval (${flags.interval})`, flags.rollup)
  problems.throwIfAny('Cannot monitor:')
  return {
    db: flags.db,
    intervalMs,
    rollupMs,
    durationMs,
    retentionMs,
    trafficLog: flags.trafficLog,
    intervalText: flags.interval,
    rollupText: flags.rollup,
  }
}

export interface MonitorExportOptions {
  db: string
  format: 'csv' | 'json'
  metric?: string
  sinceMs?: number
}

/** @throws InputError listing every problem */
export function resolveMonitorExportOptions(flags: {
  db: string
  format: string
  json?: boolean
  metric?: string
  since?: string
}): MonitorExportOptions {
  const problems = new ProblemList()
  const format = flags.json ? 'json' : flags.format
  if (format !== 'csv' && format !== 'json') problems.add('--format', 'expected csv or json', format)
  const sinceMs = flags.since === undefined ? undefined : parseDurationMs(flags.since)
  if (flags.since !== undefined && sinceMs === undefined)
    problems.add('--since', 'expected a duration such as 24h or 7d', flags.since)
  problems.throwIfAny('Cannot export:')
  return {db: flags.db, format: format as 'csv' | 'json', metric: flags.metric, sinceMs}
}

/** How much load a run sends, and how: the closed or open model and the limits around it. */
import {parseDurationMs, parseRatePerSec} from '../../contracts/parse/parse-units.js'
import {formatDurationMs} from '../../contracts/format/units.js'
import type {ClosedLoad, OpenLoad} from '../../core/engine/run-options.js'
import {fitStagesToDuration, type Stage} from '../../core/schedule/arrival-schedule.js'
import {
  MAX_DURATION_MS,
  MAX_LOAD_RATE_PER_SEC,
  TOO_FAST,
  TOO_LONG,
  parseDurationField,
  parseRateField,
  parseWholeNumberField,
} from '../field-parsers.js'
import {RUN_DEFAULTS} from './run-flags.js'
import type {RunContext} from './run-context.js'

/** File descriptors kept for everything but the connections (stdio, files written, the event loop). */
const FILE_DESCRIPTOR_RESERVE = 64

/** The most HTTP/2 streams per connection loadplan opens (servers usually allow 100 to 250). */
const MAX_STREAMS = 1000

/** The load model and what bounds it: connections, workers, timeouts and the warm-up. */
export interface ResolvedLoad {
  load: ClosedLoad | OpenLoad
  http2: boolean
  workers: number
  timeoutMs: number
  gracefulStopMs: number
  warmupMs: number | undefined
}

/**
 * The closed model (connections, optionally rate-capped) or the open one (an arrival rate or
 * ramping stages), from the flags over the file's load: section over the defaults.
 */
export function resolveLoad(ctx: RunContext, {multiplexed = false}: {multiplexed?: boolean} = {}): ResolvedLoad {
  const {problems, flags, file, fileField, fileLoad, input} = ctx
  const askedHttp2 = flags.http2 ?? file.h2 ?? false
  // Load model.
  const connections =
    parseWholeNumberField(problems, '--connections', flags.connections, 'e.g. -c 50') ??
    parseWholeNumberField(problems, fileField('load.connections'), fileLoad.connections, 'e.g. 50')
  // gRPC is HTTP/2: its calls share a connection as streams do (--streams), without --http2.
  const http2 = askedHttp2 || multiplexed
  const streams = parseWholeNumberField(problems, '--streams', flags.streams, 'e.g. --streams 10') ?? fileLoad.streams
  const streamsField = flags.streams !== undefined ? '--streams' : fileField('load.streams')
  if (streams !== undefined && !http2)
    problems.add(streamsField, 'streams are HTTP/2; add --http2 (or h2: true in the file)', streams)
  if (streams !== undefined && streams > MAX_STREAMS)
    problems.add(streamsField, `at most ${MAX_STREAMS} per connection`, streams)
  const flagPipelining =
    parseWholeNumberField(problems, '--pipelining', flags.pipelining, 'e.g. -p 10') ?? fileLoad.pipelining
  if (http2 && (flagPipelining ?? 1) > 1)
    problems.add(
      flags.pipelining !== undefined ? '--pipelining' : fileField('load.pipelining'),
      'HTTP/2 multiplexes instead of pipelining: use --streams N',
      flagPipelining,
    )
  // HTTP/2 streams take the place of pipelined requests: requests in flight per connection.
  const pipelining = http2 ? streams : flagPipelining
  const workers =
    parseWholeNumberField(problems, '--workers', flags.workers, 'e.g. -w 2') ?? fileLoad.workers ?? RUN_DEFAULTS.workers
  const maxInFlight =
    parseWholeNumberField(problems, '--max-in-flight', flags.maxInFlight, 'e.g. --max-in-flight 2000') ??
    fileLoad.maxInFlight
  const flagAmount = parseWholeNumberField(problems, '--amount', flags.amount, 'e.g. -a 10000')
  const flagDurationMs = parseDurationField(problems, '--duration', flags.duration)
  if (flags.amount !== undefined && flags.duration !== undefined)
    problems.add('--amount', 'give either --duration or --amount, not both', flags.amount)
  const lengthFromFlags = flags.amount !== undefined || flags.duration !== undefined
  const amount = lengthFromFlags ? flagAmount : fileLoad.amount
  const durationMs = lengthFromFlags
    ? flagDurationMs
    : parseDurationField(problems, fileField('load.duration'), fileLoad.duration)

  const flagStages: Stage[] = []
  for (const [i, text] of (flags.stage ?? []).entries()) {
    const [durationText = '', targetText = ''] = text.split(':')
    const stageDurationMs = parseDurationMs(durationText)
    const target = parseRatePerSec(targetText)
    if (stageDurationMs === undefined || stageDurationMs <= 0 || target === undefined) {
      problems.add(`--stage[${i}]`, 'expected "duration:target", e.g. --stage 30s:200 (ramp to 200/s over 30 s)', text)
    } else if (stageDurationMs > MAX_DURATION_MS) problems.add(`--stage[${i}]`, TOO_LONG, text)
    else if (target > MAX_LOAD_RATE_PER_SEC) problems.add(`--stage[${i}]`, TOO_FAST, text)
    else flagStages.push({durationMs: stageDurationMs, targetRatePerSec: target})
  }
  const flagArrivalRate = parseRateField(problems, '--arrival-rate', flags.arrivalRate)
  if (flags.arrivalRate !== undefined && flags.stage !== undefined)
    problems.add('--stage', 'give either --arrival-rate (constant) or --stage (ramping), not both')
  const openFromFlags = flags.arrivalRate !== undefined || flags.stage !== undefined
  const fileModel =
    fileLoad.model === 'arrival-rate' || fileLoad.model === 'open'
      ? 'open'
      : fileLoad.model === undefined
        ? undefined
        : 'closed'
  const fileIsOpen =
    fileModel === 'open' ||
    (fileModel === undefined && (fileLoad.arrivalRate !== undefined || fileLoad.stages !== undefined))
  const model = openFromFlags ? 'open' : flags.rate !== undefined ? 'closed' : fileIsOpen ? 'open' : 'closed'
  const timeoutMs =
    parseDurationField(problems, '--timeout', flags.timeout) ??
    parseDurationField(problems, fileField('timeout'), file.timeout) ??
    RUN_DEFAULTS.timeoutMs
  const gracefulStopMs =
    parseDurationField(problems, '--graceful-stop', flags.gracefulStop) ?? RUN_DEFAULTS.gracefulStopMs
  const warmupMs = flags.warmup === undefined ? undefined : parseDurationMs(flags.warmup)
  if (flags.warmup !== undefined && warmupMs === undefined)
    problems.add('--warmup', 'expected a duration such as "5s" (0 for none)', flags.warmup)
  else if (warmupMs !== undefined && warmupMs > MAX_DURATION_MS) problems.add('--warmup', TOO_LONG, flags.warmup)

  let load: ClosedLoad | OpenLoad | undefined
  if (model === 'closed') {
    if (flags.maxInFlight !== undefined)
      problems.add(
        '--max-in-flight',
        'applies to the open model only (--arrival-rate or --stage); the closed model keeps connections × pipelining in flight',
        flags.maxInFlight,
      )
    const ratePerSec =
      flags.rate !== undefined
        ? parseRateField(problems, '--rate', flags.rate)
        : parseRateField(problems, fileField('load.rate'), fileLoad.rate)
    const closed: ClosedLoad = {
      model: 'closed',
      connections: connections ?? RUN_DEFAULTS.connections,
      pipelining: pipelining ?? RUN_DEFAULTS.pipelining,
    }
    if (amount !== undefined) closed.amount = amount
    else closed.durationMs = durationMs ?? RUN_DEFAULTS.durationMs
    if (ratePerSec !== undefined) closed.ratePerSec = ratePerSec
    load = closed
  } else {
    if (flags.rate !== undefined)
      problems.add('--rate', 'caps the closed model; for a constant arrival rate use --arrival-rate', flags.rate)
    if (!http2 && (pipelining ?? 1) > 1)
      problems.add(
        flags.pipelining !== undefined ? '--pipelining' : fileField('load.pipelining'),
        'the open model sends each request on its own connection slot; pipelining is for the closed model',
        pipelining,
      )
    let stages: Stage[] = []
    let startRatePerSec = 0
    if (flags.stage !== undefined) {
      stages = flagStages
      if (flags.duration !== undefined)
        problems.add(
          '--duration',
          'stages set their own durations; drop --duration or use --arrival-rate',
          flags.duration,
        )
    } else if (flags.arrivalRate !== undefined) {
      // A refused --arrival-rate has its own problem; the file's rate is not asked for on top.
      if (flagArrivalRate !== undefined) {
        stages = [
          {
            durationMs: amount !== undefined ? Number.POSITIVE_INFINITY : (durationMs ?? RUN_DEFAULTS.durationMs),
            targetRatePerSec: flagArrivalRate,
          },
        ]
        startRatePerSec = flagArrivalRate
      }
    } else if (fileLoad.stages !== undefined) {
      startRatePerSec = parseRateField(problems, fileField('load.startRate'), fileLoad.startRate ?? 0, true) ?? 0
      fileLoad.stages.forEach((stage, i) => {
        const stageDurationMs = parseDurationField(problems, fileField(`load.stages[${i}].duration`), stage.duration)
        const target = parseRateField(problems, fileField(`load.stages[${i}].target`), stage.target, true)
        if (stageDurationMs !== undefined && target !== undefined)
          stages.push({durationMs: stageDurationMs, targetRatePerSec: target})
      })
      if (fileLoad.stages.length === 0)
        problems.add(fileField('load.stages'), 'needs at least one {duration, target} stage')
      // --duration wins over the file's schedule: the stages are cut (or their last rate held) to it.
      else if (flags.duration !== undefined && durationMs !== undefined)
        stages = fitStagesToDuration(stages, startRatePerSec, durationMs)
    } else {
      const rate = parseRateField(problems, fileField('load.arrivalRate'), fileLoad.arrivalRate)
      if (fileLoad.arrivalRate === undefined)
        problems.add(fileField('load.arrivalRate'), 'the arrival-rate model needs arrivalRate: (e.g. 200) or stages:')
      if (rate !== undefined) {
        stages = [
          {
            durationMs: amount !== undefined ? Number.POSITIVE_INFINITY : (durationMs ?? RUN_DEFAULTS.durationMs),
            targetRatePerSec: rate,
          },
        ]
        startRatePerSec = rate
      }
    }
    if (stages.length > 0 && stages.every((stage) => stage.targetRatePerSec === 0) && startRatePerSec === 0) {
      problems.add(
        flags.stage !== undefined ? '--stage' : fileField('load.stages'),
        'every stage has a target of 0/s, so nothing would be sent',
      )
    }
    const inFlight = maxInFlight ?? RUN_DEFAULTS.maxInFlight
    const streamsPerConnection = http2 ? (streams ?? 1) : 1
    const open: OpenLoad = {
      model: 'open',
      startRatePerSec,
      stages,
      maxInFlight: inFlight,
      connections: Math.min(connections ?? Math.ceil(inFlight / streamsPerConnection), inFlight),
      streams: streamsPerConnection,
    }
    if (amount !== undefined) open.amount = amount
    load = open
  }
  const loadConnections = load.connections
  if (workers > loadConnections)
    problems.add(
      '--workers',
      `cannot exceed the number of connections (${loadConnections}); each worker needs at least one`,
      workers,
    )
  const plannedMs =
    load.model === 'closed' ? load.durationMs : load.stages.reduce((sum, stage) => sum + stage.durationMs, 0)
  if (
    warmupMs !== undefined &&
    warmupMs > 0 &&
    plannedMs !== undefined &&
    Number.isFinite(plannedMs) &&
    warmupMs >= plannedMs
  ) {
    problems.add(
      '--warmup',
      `must be shorter than the run (${formatDurationMs(plannedMs)}), or nothing would be measured`,
      flags.warmup,
    )
  }
  // Each connection is a socket, and so a file descriptor: past the limit they fail as "other" errors.
  if (input.openFileLimit !== undefined && loadConnections > input.openFileLimit - FILE_DESCRIPTOR_RESERVE) {
    problems.add(
      load.model === 'open' && flags.connections === undefined ? '--max-in-flight' : '--connections',
      `at most ${input.openFileLimit - FILE_DESCRIPTOR_RESERVE} here: the open-file limit is ${input.openFileLimit} (raise it with ulimit -n, or use fewer connections)`,
      loadConnections,
    )
  }
  return {load, http2: askedHttp2, workers, timeoutMs, gracefulStopMs, warmupMs}
}

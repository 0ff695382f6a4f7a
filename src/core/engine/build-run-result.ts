/**
 * Merges what each thread measured into one RunResult. Histograms are added (exact), never
 * averaged; per-second samples are merged by second index the same way.
 */
import {addSessions} from './session-summaries.js'
import {MergedTally, addTallies, describeTally, addSteps, checkCounts, scheduleLateness} from './tally-summaries.js'
import {createHash} from 'node:crypto'
import type {RunOptions} from './run-options.js'
import {hideEnvValues, isSecretName, redactHeaders, REDACTED, redactText, redactUrl} from '../../contracts/redact.js'
import {
  ERROR_CLASSES,
  MAX_ERROR_CODES,
  RUN_RESULT_SCHEMA,
  RUN_RESULT_VERSION,
  type ErrorClass,
  type RunResult,
  type RunResultScenario,
  type RunResultSecond,
  type RunResultSegment,
  type StopReason,
} from '../../contracts/results/run-result.js'
import {
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  percentileMs,
  summarizeHistogram,
  type Histogram,
} from '../../contracts/stats/histogram.js'
import {evaluateThresholds, type Threshold, type ThresholdSubject} from '../../contracts/stats/thresholds.js'
import {clockOffset, intersectClockBounds} from './clock-offset.js'
import type {EngineResult} from './engine-result.js'
import {emptyCounters, type EngineCounters} from '../../contracts/results/engine-snapshot.js'

const STOP_PRECEDENCE: StopReason[] = ['interrupted', 'duration', 'completed']

function nullable(value: number): number | null {
  return Number.isFinite(value) ? value : null
}

function describeOptions(options: RunOptions): RunResult['options'] {
  const {load} = options
  const hide = (text: string) => hideEnvValues(text, options.envSecrets)
  const described: RunResult['options'] = {
    origin: hide(redactUrl(options.origin, options.redact)),
    model: load.model,
    connections: load.connections,
    workers: options.workers,
    timeoutMs: options.timeoutMs,
    warmupMs: options.warmupMs ?? 0,
    scenarios: options.scenarios.map((s) => ({
      name: s.name,
      weight: s.weight,
      method: s.method,
      path: hide(redactText(s.path, options.redact)),
      query: s.query.map(([name, value]): [string, string] => [
        name,
        isSecretName(name, options.redact) ? REDACTED : hide(redactText(value, options.redact)),
      ]),
      headers: Object.fromEntries(
        Object.entries(redactHeaders(s.headers, options.redact)).map(([name, value]) => [name, hide(value)]),
      ),
      hasBody: s.body !== undefined || s.bodyBytes !== undefined,
    })),
  }
  if (load.model === 'closed') {
    described.pipelining = load.pipelining
    if (load.durationMs !== undefined) described.durationMs = load.durationMs
    if (load.ratePerSec !== undefined) described.ratePerSec = load.ratePerSec
  } else {
    described.startRatePerSec = load.startRatePerSec
    described.stages = load.stages.map((stage) => ({
      durationMs: nullable(stage.durationMs),
      targetRatePerSec: stage.targetRatePerSec,
    }))
    described.maxInFlight = load.maxInFlight
  }
  if (load.amount !== undefined) described.amount = load.amount
  if (options.http2) {
    described.http2 = true
    if (load.model === 'open') described.streams = load.streams
  }
  if (options.balance)
    described.balance =
      options.balance.key === undefined ? options.balance.policy : `${options.balance.policy}:${options.balance.key}`
  return described
}

function mergeSeconds(results: readonly EngineResult[]): RunResultSecond[] {
  const bySecond = new Map<
    number,
    {durationMs: number; requests: number; errors: number; dropped: number; histogram: Histogram}
  >()
  for (const result of results) {
    for (const sample of result.seconds) {
      let entry = bySecond.get(sample.second)
      if (!entry) {
        entry = {durationMs: 0, requests: 0, errors: 0, dropped: 0, histogram: createLatencyHistogram()}
        bySecond.set(sample.second, entry)
      }
      entry.durationMs = Math.max(entry.durationMs, sample.durationMs)
      entry.requests += sample.requests
      entry.errors += sample.errors
      entry.dropped += sample.dropped
      entry.histogram.add(decodeHistogram(sample.histogram))
    }
  }
  return [...bySecond.entries()]
    .sort(([a], [b]) => a - b)
    .filter(([, e]) => e.durationMs > 0 || e.requests > 0)
    .map(([second, e]) => ({
      second,
      requests: e.requests,
      errors: e.errors,
      dropped: e.dropped,
      requestsPerSec: e.durationMs > 0 ? (e.requests * 1000) / e.durationMs : 0,
      p50Ms: nullable(percentileMs(e.histogram, 50)),
      p90Ms: nullable(percentileMs(e.histogram, 90)),
      p99Ms: nullable(percentileMs(e.histogram, 99)),
      maxMs: e.histogram.totalCount === 0 ? null : e.histogram.maxValue / 1000,
      histogram: encodeHistogram(e.histogram),
    }))
}

/**
 * What the run sends, as a short digest that every shard of one plan shares: origin and targets,
 * scenarios, load, data rows and timeouts; not the shard, workers, seed, thresholds or start time.
 */
export function planDigest(options: RunOptions): string {
  const {origin, targets, balance, scenarios, load, timeoutMs, warmupMs, gracefulStopMs, insecure, data} = options
  const what = {
    origin,
    targets,
    balance,
    scenarios,
    load,
    timeoutMs,
    warmupMs: warmupMs ?? 0,
    gracefulStopMs,
    insecure,
    data,
  }
  return createHash('sha256')
    .update(JSON.stringify(what, (_key, v: unknown) => (v === Number.POSITIVE_INFINITY ? 'Infinity' : v)))
    .digest('hex')
    .slice(0, 16)
}

function describeSegment(options: RunOptions, results: readonly EngineResult[]): RunResultSegment | undefined {
  const {segment, startAtEpochMs} = options
  if (!segment) return undefined
  const described: RunResultSegment = {index: segment.index, count: segment.count, planDigest: planDigest(options)}
  if (startAtEpochMs !== undefined) {
    described.startAt = new Date(startAtEpochMs).toISOString()
    const lags = results.flatMap((r) => (r.startLagMs === undefined ? [] : [r.startLagMs]))
    if (lags.length > 0) described.startLagMs = Math.max(...lags)
  }
  return described
}

export interface BuildRunResultInput {
  options: RunOptions
  results: readonly EngineResult[]
  toolVersion: string
}

/** What assembling a result needs besides the threads' measurements: the run as described in it. */
export interface AssembleRunResultInput {
  described: RunResult['options']
  thresholds: readonly Threshold[]
  /** A balanced run's targets, in order. */
  targets: ReadonlyArray<{origin: string; weight: number}> | undefined
  /** The run's scenarios, in order. */
  scenarios: ReadonlyArray<{name: string; weight: number}>
  results: readonly EngineResult[]
  toolVersion: string
}

/** Keeps the most frequent MAX_ERROR_CODES − 1 codes and counts the rest as `other` (workers' codes may differ). */
function boundErrorCodes(codes: Record<string, number>): Record<string, number> {
  const sorted = Object.entries(codes)
    .filter(([code]) => code !== 'other')
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
  const kept = sorted.slice(0, MAX_ERROR_CODES - 1)
  const other = (codes.other ?? 0) + sorted.slice(MAX_ERROR_CODES - 1).reduce((sum, [, n]) => sum + n, 0)
  return Object.fromEntries(other > 0 ? [...kept, ['other', other]] : kept)
}

/** The values thresholds judge, from a histogram and counts. */
function thresholdSubject(
  histogram: Histogram,
  counts: {
    completed: number
    errors: number
    attempts: number
    droppedRatio: number
    requestsPerSec: number
    checks: {passed: number; failed: number}
  },
  statusClassRatio: ThresholdSubject['statusClassRatio'],
): ThresholdSubject {
  const summary = summarizeHistogram(histogram)
  const judged = counts.checks.passed + counts.checks.failed
  return {
    checkRatio: judged === 0 ? Number.NaN : counts.checks.passed / judged,
    latencyAtPercentileMs: (p) => percentileMs(histogram, p),
    meanMs: summary.meanMs,
    minMs: summary.minMs,
    maxMs: summary.maxMs,
    errorRatio: counts.attempts === 0 ? Number.NaN : counts.errors / counts.attempts,
    droppedRatio: counts.droppedRatio,
    statusClassRatio,
    requestsPerSec: counts.requestsPerSec,
  }
}

/** Builds the RunResult, thresholds judged. Pure. */
export function buildRunResult({options, results, toolVersion}: BuildRunResultInput): RunResult {
  const result = assembleRunResult({
    described: describeOptions(options),
    thresholds: options.thresholds,
    targets: options.targets,
    scenarios: options.scenarios,
    results,
    toolVersion,
  })
  if (options.service !== undefined) result.service = options.service
  const segment = describeSegment(options, results)
  if (segment) result.segment = segment
  return result
}

/** Adds the threads' (or shards') measurements exactly and judges the thresholds on the sum. */
export function assembleRunResult({
  described,
  thresholds: thresholdList,
  targets: targetList,
  scenarios: scenarioList,
  results,
  toolVersion,
}: AssembleRunResultInput): RunResult {
  const corrected = createLatencyHistogram()
  const uncorrected = createLatencyHistogram()
  const counters: EngineCounters = emptyCounters()
  const errors = Object.fromEntries(ERROR_CLASSES.map((name) => [name, 0])) as Record<ErrorClass, number>
  const statusCodes: Record<string, number> = {}
  const errorCodes: Record<string, number> = {}
  let elapsedMs = 0
  let measuredMs = 0
  let startedAtEpochMs = Number.POSITIVE_INFINITY
  let stopReason: StopReason = 'completed'
  for (const result of results) {
    corrected.add(decodeHistogram(result.corrected))
    uncorrected.add(decodeHistogram(result.uncorrected))
    for (const key of Object.keys(counters) as Array<keyof EngineCounters>) counters[key] += result.counters[key]
    for (const name of ERROR_CLASSES) errors[name] += result.errors[name]
    for (const [status, count] of Object.entries(result.statusCodes))
      statusCodes[status] = (statusCodes[status] ?? 0) + count
    for (const [code, count] of Object.entries(result.errorCodes)) errorCodes[code] = (errorCodes[code] ?? 0) + count
    elapsedMs = Math.max(elapsedMs, result.elapsedMs)
    measuredMs = Math.max(measuredMs, result.measuredMs)
    startedAtEpochMs = Math.min(startedAtEpochMs, result.startedAtEpochMs)
    if (STOP_PRECEDENCE.indexOf(result.stopReason) < STOP_PRECEDENCE.indexOf(stopReason)) stopReason = result.stopReason
  }

  const totalErrors = counters.httpErrors + counters.transportErrors
  const attempts = counters.completed + counters.transportErrors
  const errorRatio = attempts === 0 ? Number.NaN : totalErrors / attempts
  const droppedRatio =
    counters.sent + counters.dropped === 0 ? 0 : counters.dropped / (counters.sent + counters.dropped)
  const requestsPerSec = measuredMs > 0 ? (counters.completed * 1000) / measuredMs : 0
  const correctedSummary = summarizeHistogram(corrected)

  const steps = scenarioList ? addSteps(scenarioList, results) : []
  const checks = checkCounts(steps)
  const sessions = addSessions(
    results.map((r) => r.sessions),
    measuredMs,
  )
  const subject = thresholdSubject(
    corrected,
    {completed: counters.completed, errors: totalErrors, attempts, droppedRatio, requestsPerSec, checks},
    (statusClass) => {
      if (counters.completed === 0) return Number.NaN
      let count = 0
      for (const [status, n] of Object.entries(statusCodes)) if (status.startsWith(String(statusClass))) count += n
      return count / counters.completed
    },
  )
  const targetTallies = targetList
    ? addTallies(
        targetList.length,
        results.map((r) => r.targets),
      )
    : undefined
  const scenarioTallies =
    scenarioList && (scenarioList.length > 1 || steps.some(Boolean))
      ? addTallies(
          scenarioList.length,
          results.map((r) => r.scenarios),
        )
      : undefined
  const scenarioSubject = (name: string): ThresholdSubject | undefined => {
    const index = scenarioList?.findIndex((s) => s.name === name) ?? -1
    if (index < 0) return undefined
    // One scenario: the run's own figures.
    if (!scenarioTallies) return subject
    const t = scenarioTallies[index] as MergedTally
    const rate = measuredMs > 0 ? (t.completed * 1000) / measuredMs : 0
    return thresholdSubject(
      t.histogram,
      {
        completed: t.completed,
        errors: t.httpErrors + t.transportErrors,
        attempts: t.completed + t.transportErrors,
        droppedRatio: Number.NaN,
        requestsPerSec: rate,
        checks: checkCounts([steps[index]]),
      },
      () => Number.NaN,
    )
  }
  if (sessions) subject.sessions = sessions.subject
  const thresholds = evaluateThresholds(thresholdList, subject, scenarioSubject)

  const result: RunResult = {
    schema: RUN_RESULT_SCHEMA,
    version: RUN_RESULT_VERSION,
    tool: {name: 'loadplan', version: toolVersion},
    startedAt: new Date(Number.isFinite(startedAtEpochMs) ? startedAtEpochMs : 0).toISOString(),
    durationMs: elapsedMs,
    stopReason,
    options: described,
    totals: {
      sent: counters.sent,
      completed: counters.completed,
      errors: totalErrors,
      httpErrors: counters.httpErrors,
      transportErrors: counters.transportErrors,
      errorRatio,
      dropped: counters.dropped,
      droppedRatio,
      aborted: counters.aborted,
      warmup: counters.warmup,
      requestsPerSec,
      bytesSent: counters.bytesSent,
      bytesReceived: counters.bytesReceived,
      connectionsOpened: counters.connectionsOpened,
      http2Connections: counters.http2Connections,
    },
    statusCodes,
    errors,
    errorCodes: boundErrorCodes(errorCodes),
    latency: {corrected: correctedSummary, uncorrected: summarizeHistogram(uncorrected)},
    histograms: {corrected: encodeHistogram(corrected), uncorrected: encodeHistogram(uncorrected)},
    seconds: mergeSeconds(results),
    thresholds,
    passed: thresholds.every((t) => t.passed),
  }
  if (sessions) result.sessions = sessions.sessions
  if (targetList && targetTallies)
    result.targets = targetTallies.map((t, i) => ({
      origin: targetList[i]?.origin as string,
      weight: targetList[i]?.weight as number,
      ...describeTally(t, targetTallies),
    }))
  if (scenarioList && scenarioTallies) {
    result.scenarios = scenarioTallies.map((t, i) => {
      const scenario: RunResultScenario = {
        name: scenarioList[i]?.name as string,
        weight: scenarioList[i]?.weight as number,
        ...describeTally(t, scenarioTallies),
      }
      const scenarioSteps = steps[i]
      if (scenarioSteps) scenario.steps = scenarioSteps
      return scenario
    })
  }
  const streams = results.flatMap((r) => (r.maxStreamsPerConnection === undefined ? [] : [r.maxStreamsPerConnection]))
  if (streams.length > 0) result.totals.maxStreamsPerConnection = Math.max(...streams)
  const client = results.find((r) => r.client !== undefined)?.client
  if (client) result.totals.client = client
  const declined = results.reduce((sum, r) => sum + (r.declinedRequests ?? 0), 0)
  if (declined > 0) result.totals.declinedRequests = declined
  if (checks.passed + checks.failed > 0) {
    result.totals.checksPassed = checks.passed
    result.totals.checksFailed = checks.failed
  }
  const clock = clockOffset(intersectClockBounds(results.map((r) => r.clockBounds)))
  if (clock) result.clock = clock
  const schedule = scheduleLateness(results)
  if (schedule) {
    result.schedule = schedule.summary
    result.histograms.lateness = schedule.histogram
  }
  return result
}

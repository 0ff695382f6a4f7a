/**
 * `loadplan merge`: adds the results of the shards of one split run (`--segment i/n`) into the
 * result one process would have written. Everything is added exactly, as the threads of one run
 * are (histograms, counters, status codes, errors, per-target tallies, per-second samples aligned
 * on the shared origin), and the thresholds are judged again on the sum. Pure.
 */
import {ProblemList} from '../../contracts/errors.js'
import type {RunResult, RunResultMerge} from '../../contracts/results/run-result.js'
import {decodeHistogram} from '../../contracts/stats/histogram.js'
import {parseThreshold, type Threshold} from '../../contracts/stats/thresholds.js'
import {assembleRunResult} from './build-run-result.js'
import type {EngineResult, SecondSample} from './engine-result.js'
import {sessionCountMismatches, sessionSampleOf} from './session-summaries.js'

const SECOND_MS = 1000

export interface MergeInput {
  /** The shards' results, with the name each came from (for messages). */
  results: ReadonlyArray<{name: string; result: RunResult}>
  /** Thresholds to judge besides the shards' own. */
  thresholds?: readonly string[]
  toolVersion: string
  /** Problems found already (files that could not be read): reported with the shards' own. */
  problems?: ProblemList
}

/** A second's length from what the result keeps (requests and their rate); a second without requests counts as whole. */
function secondDurationMs(second: RunResult['seconds'][number]): number {
  return second.requests > 0 && second.requestsPerSec > 0 ? (second.requests * 1000) / second.requestsPerSec : SECOND_MS
}

/** A shard's result as the measurements of one thread, its seconds moved onto the shared origin. */
function asEngineResult(result: RunResult, offsetSeconds: number): EngineResult {
  const {totals} = result
  const seconds: SecondSample[] = result.seconds.map((s) => ({
    second: s.second + offsetSeconds,
    durationMs: secondDurationMs(s),
    requests: s.requests,
    errors: s.errors,
    dropped: s.dropped,
    histogram: s.histogram as string,
  }))
  const engine: EngineResult = {
    startedAtEpochMs: Date.parse(result.startedAt),
    elapsedMs: result.durationMs,
    measuredMs: Math.max(0, result.durationMs - result.options.warmupMs),
    stopReason: result.stopReason,
    counters: {
      sent: totals.sent,
      completed: totals.completed,
      httpErrors: totals.httpErrors,
      transportErrors: totals.transportErrors,
      dropped: totals.dropped,
      aborted: totals.aborted,
      warmup: totals.warmup,
      bytesSent: totals.bytesSent,
      bytesReceived: totals.bytesReceived,
      connectionsOpened: totals.connectionsOpened ?? 0,
      http2Connections: totals.http2Connections ?? 0,
    },
    errors: result.errors,
    statusCodes: result.statusCodes,
    errorCodes: result.errorCodes ?? {},
    corrected: result.histograms.corrected,
    uncorrected: result.histograms.uncorrected,
    seconds,
  }
  if (result.histograms.lateness && result.schedule)
    engine.schedule = {lateness: result.histograms.lateness, pollMs: result.schedule.pollMs}
  const sample = (t: {completed: number; errors: number; transportErrors: number; histogram: string}) => ({
    completed: t.completed,
    httpErrors: t.errors - t.transportErrors,
    transportErrors: t.transportErrors,
    histogram: t.histogram,
  })
  if (result.targets) engine.targets = result.targets.map((t) => ({origin: t.origin, ...sample(t)}))
  if (totals.maxStreamsPerConnection !== undefined) engine.maxStreamsPerConnection = totals.maxStreamsPerConnection
  if (totals.client !== undefined) engine.client = totals.client
  if (totals.declinedRequests !== undefined) engine.declinedRequests = totals.declinedRequests
  if (result.sessions) engine.sessions = sessionSampleOf(result.sessions)
  if (result.scenarios) {
    engine.scenarios = result.scenarios.map((s) =>
      s.steps
        ? {
            name: s.name,
            ...sample(s),
            steps: s.steps.map((step) => ({name: step.name, ...sample(step), checks: step.checks})),
          }
        : {name: s.name, ...sample(s)},
    )
  }
  return engine
}

/** What a shard's own histograms count: the responses in each of the run's and in its seconds'. */
interface HistogramCounts {
  corrected: number
  uncorrected: number
  seconds: number
}

/**
 * Decodes every encoded histogram in a result once: their counts, or undefined when one does not
 * decode (a hand-edited file must not crash the merge).
 */
function decodedCounts(result: RunResult): HistogramCounts | undefined {
  const others = [
    ...(result.histograms.lateness === undefined ? [] : [result.histograms.lateness]),
    ...(result.targets ?? []).map((t) => t.histogram),
    ...(result.scenarios ?? []).flatMap((s) => [s.histogram, ...(s.steps ?? []).map((step) => step.histogram)]),
    ...(result.sessions ? [result.sessions.histograms.connect, result.sessions.histograms.duration] : []),
  ]
  try {
    for (const text of others) decodeHistogram(text)
    return {
      corrected: decodeHistogram(result.histograms.corrected).totalCount,
      uncorrected: decodeHistogram(result.histograms.uncorrected).totalCount,
      seconds: result.seconds.reduce((n, s) => n + decodeHistogram(s.histogram as string).totalCount, 0),
    }
  } catch {
    return undefined
  }
}

/**
 * Where a shard's counters disagree with its own histograms and tallies (a hand-edited file): the
 * merge adds counters and histograms separately, so one edited number would make the merged
 * result contradict itself. Each response is in both histograms, one status tally and one second.
 */
function counterMismatches(result: RunResult, counts: HistogramCounts): string[] {
  const {totals} = result
  const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0)
  const checks: Array<[what: string, counted: number]> = [
    ['its corrected histogram', counts.corrected],
    ['its uncorrected histogram', counts.uncorrected],
    // Round trips of WebSocket and gRPC runs have no HTTP status.
    ...(result.sessions ? [] : [['its status codes', sum(Object.values(result.statusCodes))] as [string, number]]),
    ['its seconds', sum(result.seconds.map((s) => s.requests))],
    ['its seconds’ histograms', counts.seconds],
  ]
  const out = checks
    .filter(([, counted]) => counted !== totals.completed)
    .map(([what, counted]) => `completed is ${totals.completed} but ${what} hold ${counted}`)
  const transport = sum(Object.values(result.errors))
  if (transport !== totals.transportErrors)
    out.push(`transportErrors is ${totals.transportErrors} but its error classes add to ${transport}`)
  if (totals.errors !== totals.httpErrors + totals.transportErrors)
    out.push(
      `errors is ${totals.errors}, not httpErrors + transportErrors (${totals.httpErrors + totals.transportErrors})`,
    )
  if (totals.httpErrors > totals.completed)
    out.push(`httpErrors (${totals.httpErrors}) exceeds completed (${totals.completed})`)
  if (result.sessions) out.push(...sessionCountMismatches(result.sessions))
  return out
}

/** Checks that the results are distinct shards of one plan; every problem at once. */
function checkShards(results: MergeInput['results'], extra: readonly string[], problems: ProblemList): Threshold[] {
  if (results.length < 1 && problems.items.length === 0)
    problems.add(
      'files',
      'give the result files of the shards, e.g. loadplan merge shard-0.json shard-1.json shard-2.json',
    )
  const first = results[0]?.result.segment
  const seen = new Map<number, string>()
  for (const {name, result} of results) {
    const segment = result.segment
    if (!segment) {
      problems.add(
        name,
        result.merged
          ? 'is already a merged result; merge the shards’ own results'
          : 'is not a shard of a split run (it was run without --segment i/n), so it cannot be added to others without counting the same plan twice',
      )
      continue
    }
    if (result.seconds.some((s) => s.histogram === undefined))
      problems.add(
        name,
        'has no per-second histograms (saved by an older loadplan); run the shard again with this version',
      )
    else {
      const counts = decodedCounts(result)
      const mismatches = counts === undefined ? [] : counterMismatches(result, counts)
      if (counts === undefined)
        problems.add(
          name,
          'has a histogram that does not decode (the file was edited or cut short); use the file the shard wrote',
        )
      else if (mismatches.length > 0)
        problems.add(
          name,
          `contradicts itself (${mismatches.join('; ')}): the file was edited; use the file the shard wrote`,
        )
    }
    if (first && segment.planDigest !== first.planDigest)
      problems.add(
        name,
        `is a shard of a different plan (digest ${segment.planDigest}, not ${first.planDigest} like ${results[0]?.name}): targets, scenarios, load, data or timeouts differ`,
      )
    else if (first && segment.count !== first.count)
      problems.add(
        name,
        `is shard ${segment.index}/${segment.count}, not of ${first.count} shards like ${results[0]?.name}`,
      )
    const other = seen.get(segment.index)
    if (other !== undefined)
      problems.add(
        name,
        `overlaps ${other}: both are shard ${segment.index}/${segment.count}, so their requests would be counted twice`,
      )
    else seen.set(segment.index, name)
  }
  const thresholds: Threshold[] = []
  const expressions = new Set<string>()
  for (const {result} of results) for (const outcome of result.thresholds) expressions.add(outcome.expression)
  extra.forEach((text, i) => {
    const parsed = parseThreshold(text)
    if ('error' in parsed) problems.add(`--threshold[${i}]`, parsed.error, text)
    else expressions.add(text)
  })
  for (const expression of expressions) {
    const parsed = parseThreshold(expression)
    if (!('error' in parsed)) thresholds.push(parsed)
  }
  problems.throwIfAny('Cannot merge:')
  return thresholds
}

/**
 * Merges shards into one result. Refuses (bad input) results from different plans, overlapping
 * shards and results that are not shards; missing shards are allowed and listed in `merged.missing`.
 */
export function mergeRunResults({
  results,
  thresholds: extra = [],
  toolVersion,
  problems = new ProblemList(),
}: MergeInput): RunResult {
  const thresholds = checkShards(results, extra, problems)
  const shards = [...results].sort((a, b) => (a.result.segment?.index ?? 0) - (b.result.segment?.index ?? 0))
  const starts = shards.map(({result}) => Date.parse(result.startedAt))
  const originMs = Math.min(...starts)
  const engineResults = shards.map(({result}, i) =>
    asEngineResult(result, Math.round(((starts[i] as number) - originMs) / SECOND_MS)),
  )
  const [first] = shards as [MergeInput['results'][number]]
  const segment = first.result.segment as NonNullable<RunResult['segment']>
  const targets = first.result.targets?.map((t) => ({origin: t.origin, weight: t.weight}))
  const scenarios = first.result.options.scenarios.map((s) => ({name: s.name, weight: s.weight}))
  const merged = assembleRunResult({
    described: first.result.options,
    thresholds,
    targets,
    scenarios,
    results: engineResults,
    toolVersion,
  })
  if (first.result.service !== undefined) merged.service = first.result.service
  const indexes = shards.map(({result}) => result.segment?.index ?? 0)
  const lags = shards.flatMap(({result}) =>
    result.segment?.startLagMs === undefined ? [] : [result.segment.startLagMs],
  )
  const summary: RunResultMerge = {
    count: segment.count,
    segments: indexes,
    missing: Array.from({length: segment.count}, (_, i) => i).filter((i) => !indexes.includes(i)),
    planDigest: segment.planDigest,
    startSpreadMs: Math.max(...starts) - originMs,
  }
  if (lags.length > 0) summary.maxStartLagMs = Math.max(...lags)
  const clocks = shards.flatMap(({result}) => (result.clock ? [result.clock] : []))
  if (clocks.length >= 2) {
    const offsets = clocks.map((c) => c.targetOffsetMs)
    const [u1 = 0, u2 = 0] = clocks.map((c) => c.uncertaintyMs).sort((a, b) => b - a)
    summary.clockSkewMs = Math.max(...offsets) - Math.min(...offsets)
    summary.clockSkewUncertaintyMs = u1 + u2
  }
  merged.merged = summary
  const generators = shards.flatMap(({result}) =>
    result.generator ? [{index: result.segment?.index ?? 0, generator: result.generator}] : [],
  )
  if (generators.length > 0) {
    // The busiest shard speaks for the run: one saturated generator makes the whole result unreliable.
    const saturated = generators.find((g) => g.generator.saturated)
    merged.generator = {
      cpuPct: Math.max(...generators.map((g) => g.generator.cpuPct)),
      eventLoopLagP99Ms: Math.max(...generators.map((g) => g.generator.eventLoopLagP99Ms)),
      ...(merged.schedule ? {lateP99Ms: merged.schedule.lateP99Ms} : {}),
      saturated: saturated !== undefined,
      ...(saturated ? {reason: `shard ${saturated.index}: ${saturated.generator.reason}`} : {}),
    }
  }
  return merged
}

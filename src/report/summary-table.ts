/**
 * The human summary of a run, as printed on stdout. A pure function of the result, so it can be
 * tested from a fixture.
 */
import Table from 'cli-table3'
import pc from 'picocolors'
import {formatBytes, formatCount, formatDurationMs, formatMaybeMs} from '../contracts/format/units.js'
import {errorCodeLines} from './error-reasons.js'
import {roundTripNoun, sessionSummaryLines} from './session-views.js'
import type {LatencySummary} from '../contracts/stats/histogram.js'
import type {ThresholdOutcome} from '../contracts/stats/thresholds.js'
import {runTargetLabel, type RunResult} from '../contracts/results/run-result.js'
import {printable} from '../contracts/format/printable.js'

export interface SummaryOptions {
  color: boolean
}

const LATENCY_COLUMNS: Array<[string, (s: LatencySummary) => number]> = [
  ['p50', (s) => s.percentilesMs['50'] as number],
  ['p90', (s) => s.percentilesMs['90'] as number],
  ['p95', (s) => s.percentilesMs['95'] as number],
  ['p99', (s) => s.percentilesMs['99'] as number],
  ['p99.9', (s) => s.percentilesMs['99.9'] as number],
  ['max', (s) => s.maxMs],
  ['mean', (s) => s.meanMs],
  ['stdev', (s) => s.stdevMs],
]

const ms = formatMaybeMs

function percent(ratio: number): string {
  return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(ratio > 0 && ratio < 0.001 ? 3 : 2)}%` : '–'
}

const count = formatCount

/** The measured value or limit of a threshold, in its unit. */
export function formatThresholdValue(outcome: ThresholdOutcome, value: number): string {
  if (!Number.isFinite(value)) return 'not measured'
  if (outcome.unit === 'ms') return formatDurationMs(value)
  if (outcome.unit === 'ratio') return percent(value)
  return `${value.toFixed(1)}/s`
}

/** What a threshold measured against its limit: `p99<250ms  p99 was 312 ms, limit < 250 ms`. */
export function describeThreshold(outcome: ThresholdOutcome): string {
  return `${outcome.expression}  ${outcome.name} was ${formatThresholdValue(outcome, outcome.value)}, limit ${outcome.operator} ${formatThresholdValue(outcome, outcome.limit)}`
}

/** One line per threshold: `✗ FAIL  p99<250ms  p99 was 312 ms, limit < 250 ms`. */
export function formatThresholdLine(outcome: ThresholdOutcome, color: boolean): string {
  const paint = color ? pc : pc.createColors(false)
  const mark = outcome.passed ? paint.green('✓ pass') : paint.red('✗ FAIL')
  return `${mark}  ${describeThreshold(outcome)}`
}

function describeLoad(result: RunResult): string {
  const o = result.options
  const parts: string[] = []
  if (o.model === 'closed') {
    parts.push(`closed model, ${o.connections} connection${o.connections === 1 ? '' : 's'}`)
    if (o.http2) parts.push(`HTTP/2, ${o.pipelining ?? 1} stream${o.pipelining === 1 ? '' : 's'} per connection`)
    else if ((o.pipelining ?? 1) > 1) parts.push(`pipelining ${o.pipelining}`)
    if (o.ratePerSec !== undefined) parts.push(`rate cap ${o.ratePerSec}/s`)
  } else {
    const rates = o.stages?.map((s) => s.targetRatePerSec) ?? []
    const constant = rates.every((r) => r === o.startRatePerSec)
    parts.push(
      constant
        ? `open model, ${o.startRatePerSec}/s`
        : `open model, ${o.stages?.length} stages up to ${Math.max(...rates)}/s`,
    )
    parts.push(`max ${o.maxInFlight} in flight`)
    if (o.http2) parts.push(`HTTP/2, up to ${o.streams ?? 1} stream${o.streams === 1 ? '' : 's'} per connection`)
  }
  if (o.workers > 1) parts.push(`${o.workers} workers`)
  if (result.targets) parts.push(`${result.targets.length} targets, ${o.balance ?? 'round-robin'}`)
  if (o.amount !== undefined) parts.push(`${count(o.amount)} ${result.sessions ? 'sessions' : 'requests'}`)
  return parts.join(', ')
}

/** A shard's place in its split run, or what a merged result combined. */
function describeShards(result: RunResult): string | undefined {
  const {segment, merged} = result
  if (segment) {
    const start = segment.startAt
      ? `, started at ${segment.startAt}${segment.startLagMs === undefined ? '' : ` (${segment.startLagMs.toFixed(0)} ms late by its clock)`}`
      : ''
    const clock = result.clock
      ? `; the target's clock is ${signedMs(result.clock.targetOffsetMs)} ± ${result.clock.uncertaintyMs.toFixed(1)} ms from ours`
      : ''
    return `shard ${segment.index}/${segment.count} of plan ${segment.planDigest}${start}${clock}: merge the shards with loadplan merge`
  }
  if (!merged) return undefined
  const missing =
    merged.missing.length > 0 ? `; MISSING ${merged.missing.join(', ')} (their share is not in these figures)` : ''
  const lag = merged.maxStartLagMs === undefined ? '' : `, start lag up to ${merged.maxStartLagMs.toFixed(0)} ms`
  const skew =
    merged.clockSkewMs === undefined
      ? ''
      : `, clock skew ${merged.clockSkewMs.toFixed(1)} ± ${(merged.clockSkewUncertaintyMs ?? 0).toFixed(1)} ms (by the target's Date headers)`
  return `merged ${merged.segments.length} of ${merged.count} shards of plan ${merged.planDigest}; start spread ${merged.startSpreadMs.toFixed(0)} ms${lag}${skew}${missing}`
}

function signedMs(ms: number): string {
  return `${ms >= 0 ? '+' : '−'}${Math.abs(ms).toFixed(1)} ms`
}

export function renderSummary(result: RunResult, {color}: SummaryOptions): string {
  const paint = color ? pc : pc.createColors(false)
  const lines: string[] = []
  const target = result.service ? `${result.service} (${runTargetLabel(result)})` : runTargetLabel(result)
  const stopNote = result.stopReason === 'interrupted' ? paint.yellow('  [interrupted: partial result]') : ''
  lines.push(`${paint.bold('loadplan run')}  ${target}  ${formatDurationMs(result.durationMs)}${stopNote}`)
  lines.push(paint.dim(describeLoad(result)))
  const shards = describeShards(result)
  if (shards) lines.push(paint.dim(shards))
  lines.push('')

  const table = new Table({
    head: ['latency', ...LATENCY_COLUMNS.map(([name]) => name)],
    style: {head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true},
    colAligns: ['left', ...LATENCY_COLUMNS.map(() => 'right' as const)],
  })
  for (const [label, summary] of [
    ['corrected', result.latency.corrected],
    ['uncorrected', result.latency.uncorrected],
  ] as const) {
    table.push([label, ...LATENCY_COLUMNS.map(([, pick]) => ms(pick(summary)))])
  }
  lines.push(table.toString())
  if (result.schedule) {
    const {lateP50Ms, lateP99Ms, lateMaxMs} = result.schedule
    lines.push(
      paint.dim(
        `generator delay: arrivals went out p50 ${ms(lateP50Ms)}, p99 ${ms(lateP99Ms)}, max ${ms(lateMaxMs)} after their due time (loadplan's own, inside corrected latency)`,
      ),
    )
  }
  lines.push('')
  if (result.scenarios) {
    const scenarios = new Table({
      head: ['scenarios', 'weight', 'share', 'completed', 'errors', 'p50', 'p90', 'p99'],
      style: {head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true},
      colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    })
    for (const s of result.scenarios) {
      scenarios.push([
        printable(s.name),
        String(s.weight),
        percent(s.share),
        count(s.completed),
        count(s.errors),
        ms(s.latency.percentilesMs['50']),
        ms(s.latency.percentilesMs['90']),
        ms(s.latency.percentilesMs['99']),
      ])
      for (const step of s.steps ?? [])
        scenarios.push([
          `  ${printable(step.name)}`,
          '',
          '',
          count(step.completed),
          count(step.errors),
          ms(step.latency.percentilesMs['50']),
          ms(step.latency.percentilesMs['90']),
          ms(step.latency.percentilesMs['99']),
        ])
    }
    lines.push(scenarios.toString(), '')
    const checkLines = result.scenarios.flatMap((s) =>
      (s.steps ?? []).flatMap((step) =>
        step.checks.map(
          (c) =>
            `  ${c.failed === 0 ? '✓' : '✗'} ${printable(`${s.name} › ${step.name} › ${c.name}`)}  ${count(c.passed)} passed, ${count(c.failed)} failed`,
        ),
      ),
    )
    if (checkLines.length > 0) lines.push(paint.bold('checks'), ...checkLines, '')
  }
  if (result.targets) {
    const targets = new Table({
      head: [
        `targets (${result.options.balance ?? 'round-robin'})`,
        'weight',
        'share',
        'completed',
        'errors',
        'p50',
        'p90',
        'p99',
      ],
      style: {head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true},
      colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    })
    for (const target of result.targets) {
      targets.push([
        target.origin,
        String(target.weight),
        percent(target.share),
        count(target.completed),
        count(target.errors),
        ms(target.latency.percentilesMs['50']),
        ms(target.latency.percentilesMs['90']),
        ms(target.latency.percentilesMs['99']),
      ])
    }
    lines.push(targets.toString(), '')
  }

  const t = result.totals
  const errorText = `${count(t.errors)} (${percent(t.errorRatio)})`
  const noun = roundTripNoun(result)
  lines.push(
    `${noun.length <= 10 ? noun.padEnd(11) : `${noun} `}${count(t.completed)} completed, ${paint.bold(`${t.requestsPerSec.toFixed(1)}/s`)}, errors ${t.errors > 0 ? paint.red(errorText) : errorText}`,
  )
  if (result.options.model === 'open' || t.dropped > 0)
    lines.push(`dropped    ${count(t.dropped)} (${percent(t.droppedRatio)}) arrivals not sent: in-flight limit reached`)
  if (t.aborted > 0) lines.push(`aborted    ${count(t.aborted)} cut off at the end of the run`)
  const statuses = Object.entries(result.statusCodes).map(([status, n]) => `${status}: ${count(n)}`)
  if (result.sessions) lines.push(...sessionSummaryLines(result))
  else lines.push(`status     ${statuses.length > 0 ? statuses.join(', ') : 'no responses'}`)
  const errorClasses = Object.entries(result.errors).filter(([, n]) => n > 0)
  if (errorClasses.length > 0)
    lines.push(`transport  ${errorClasses.map(([name, n]) => `${name}: ${count(n)}`).join(', ')}`)
  for (const line of errorCodeLines(result.errorCodes, count)) lines.push(`           ${line}`)
  const seconds = result.durationMs / 1000
  if (result.options.http2)
    lines.push(
      `connections ${count(t.connectionsOpened ?? 0)} opened, ${count(t.http2Connections ?? 0)} of them HTTP/2, up to ${count(t.maxStreamsPerConnection ?? 0)} streams at once on one`,
    )
  else if (t.declinedRequests !== undefined)
    lines.push(
      `client     ${count(t.declinedRequests)} requests the raw HTTP/1.1 client cannot send went through undici (a streamed body, Expect, Upgrade, or framing headers of their own)`,
    )
  const g = result.generator
  if (g)
    lines.push(
      `generator  CPU ${g.cpuPct.toFixed(0)}% of one core, event-loop lag p99 ${g.eventLoopLagP99Ms.toFixed(1)} ms${g.lateP99Ms !== undefined ? `, arrivals late p99 ${g.lateP99Ms.toFixed(1)} ms` : ''}${g.saturated ? ` — SATURATED: ${g.reason ?? ''}` : ''}`,
    )
  lines.push(
    `bytes      sent ${formatBytes(t.bytesSent)} (${formatBytes(t.bytesSent / Math.max(seconds, 1e-9))}/s), received ${formatBytes(t.bytesReceived)} (${formatBytes(t.bytesReceived / Math.max(seconds, 1e-9))}/s)`,
  )

  if (result.thresholds.length > 0) {
    lines.push('')
    lines.push(paint.bold('thresholds'))
    for (const outcome of result.thresholds) lines.push(`  ${formatThresholdLine(outcome, color)}`)
  }
  return `${lines.join('\n')}\n`
}

/**
 * The sessions of a WebSocket or gRPC run's threads (or shards) added exactly, summarised for the
 * result, and judged by thresholds; and back again, so that `loadplan merge` adds shards' sessions.
 */
import type {RunResultSessions} from '../../contracts/results/run-result.js'
import {
  decodeHistogram,
  encodeHistogram,
  mergeEncodedHistograms,
  percentileMs,
  summarizeHistogram,
  type Histogram,
} from '../../contracts/stats/histogram.js'
import type {SessionSubject, ThresholdSubject} from '../../contracts/stats/thresholds.js'
import type {SessionSample} from './engine-result.js'

function latencySubject(
  histogram: Histogram,
): Pick<ThresholdSubject, 'latencyAtPercentileMs' | 'meanMs' | 'minMs' | 'maxMs'> {
  const summary = summarizeHistogram(histogram)
  return {
    latencyAtPercentileMs: (p) => percentileMs(histogram, p),
    meanMs: summary.meanMs,
    minMs: summary.minMs,
    maxMs: summary.maxMs,
  }
}

/** Adds the threads' sessions; undefined for an HTTP run. */
export function addSessions(
  samples: ReadonlyArray<SessionSample | undefined>,
  measuredMs: number,
): {sessions: RunResultSessions; subject: SessionSubject} | undefined {
  const present = samples.filter((s): s is SessionSample => s !== undefined)
  const first = present[0]
  if (!first) return undefined
  const connect = mergeEncodedHistograms(present.map((s) => s.connect))
  const duration = mergeEncodedHistograms(present.map((s) => s.duration))
  const sum = (key: 'started' | 'completed' | 'failed' | 'messagesSent' | 'messagesReceived') =>
    present.reduce((total, s) => total + s[key], 0)
  const closeCodes: Record<string, number> = {}
  for (const s of present)
    for (const [code, n] of Object.entries(s.closeCodes)) closeCodes[code] = (closeCodes[code] ?? 0) + n
  const completed = sum('completed')
  const failed = sum('failed')
  const perSec = (n: number) => (measuredMs > 0 ? (n * 1000) / measuredMs : 0)
  const sessions: RunResultSessions = {
    kind: first.kind,
    started: sum('started'),
    completed,
    failed,
    failedRatio: completed + failed === 0 ? Number.NaN : failed / (completed + failed),
    messagesSent: sum('messagesSent'),
    messagesReceived: sum('messagesReceived'),
    messagesSentPerSec: perSec(sum('messagesSent')),
    messagesReceivedPerSec: perSec(sum('messagesReceived')),
    connect: summarizeHistogram(connect),
    duration: summarizeHistogram(duration),
    closeCodes,
    histograms: {connect: encodeHistogram(connect), duration: encodeHistogram(duration)},
  }
  const subject: SessionSubject = {
    latency: (of) => latencySubject(of === 'connect' ? connect : duration),
    failedRatio: sessions.failedRatio,
    sentPerSec: sessions.messagesSentPerSec,
    receivedPerSec: sessions.messagesReceivedPerSec,
  }
  return {sessions, subject}
}

/** A saved result's sessions as one thread's sample (a shard, for `loadplan merge`). */
export function sessionSampleOf(sessions: RunResultSessions): SessionSample {
  return {
    kind: sessions.kind,
    started: sessions.started,
    completed: sessions.completed,
    failed: sessions.failed,
    messagesSent: sessions.messagesSent,
    messagesReceived: sessions.messagesReceived,
    connect: sessions.histograms.connect,
    duration: sessions.histograms.duration,
    closeCodes: sessions.closeCodes,
  }
}

/** Histogram counts a shard's sessions must agree with (a hand-edited file is refused). */
export function sessionCountMismatches(sessions: RunResultSessions): string[] {
  const problems: string[] = []
  const durations = decodeHistogram(sessions.histograms.duration).totalCount
  if (durations !== sessions.completed + sessions.failed)
    problems.push(
      `sessions.histograms.duration counts ${durations} sessions, but completed + failed is ${sessions.completed + sessions.failed}`,
    )
  return problems
}

/**
 * `RunResult`: what `loadplan run --json` writes. Versioned, self-contained (the encoded
 * histograms travel with it), and free of secrets, so results can be stored, merged and compared.
 */
import type {LatencySummary} from '../stats/histogram.js'
import type {ThresholdOutcome} from '../stats/thresholds.js'

/** Transport failures are classified into this bounded set (see engine/classify-error). */
export const ERROR_CLASSES = ['timeout', 'refused', 'reset', 'dns', 'tls', 'other'] as const
export type ErrorClass = (typeof ERROR_CLASSES)[number]

/** Why the run stopped. */
export type StopReason = 'completed' | 'duration' | 'interrupted'

/** Distinct transport error codes a result keeps, so that its size stays bounded. */
export const MAX_ERROR_CODES = 24

export const RUN_RESULT_SCHEMA = 'loadplan/run-result'
export const RUN_RESULT_VERSION = 1

export interface RunResultSecond {
  /** Seconds since the start of the run. */
  second: number
  requests: number
  errors: number
  dropped: number
  requestsPerSec: number
  p50Ms: number | null
  p90Ms: number | null
  p99Ms: number | null
  maxMs: number | null
  /**
   * Corrected latency of the responses completed in this second (encoded like `histograms`), so
   * that merged results keep exact per-second percentiles. Absent in results saved before 0.4.
   */
  histogram?: string
}

/** A shard of a run split with `--segment i/n`. */
export interface RunResultSegment {
  index: number
  count: number
  /**
   * Digest of what the run sends (targets, scenarios, load, data, timeouts), the same for every
   * shard of one plan: `loadplan merge` refuses shards whose digests differ.
   */
  planDigest: string
  /** The shared origin (`--start-at`), ISO 8601. */
  startAt?: string
  /** How late this shard's slowest thread woke after `startAt` (ms), by its own clock. */
  startLagMs?: number
}

/** What `loadplan merge` combined. */
export interface RunResultMerge {
  count: number
  /** The segment indexes merged, ascending. */
  segments: number[]
  /** Segments of the plan with no result among those merged (the merged figures leave them out). */
  missing: number[]
  planDigest: string
  /** Latest start less earliest start over the shards, by their clocks (ms): clock skew plus start lag. */
  startSpreadMs: number
  /** The largest start lag any shard reported (ms), when they used --start-at. */
  maxStartLagMs?: number
  /**
   * How far apart the shards' clocks were: the largest difference of their offsets to the target's
   * clock (ms), ± the sum of the two largest uncertainties. Absent when fewer than two shards had one.
   */
  clockSkewMs?: number
  clockSkewUncertaintyMs?: number
}

export interface RunResult {
  schema: typeof RUN_RESULT_SCHEMA
  version: typeof RUN_RESULT_VERSION
  tool: {name: 'loadplan'; version: string}
  service?: string
  startedAt: string
  durationMs: number
  stopReason: StopReason
  /** The options the run used, secrets redacted. */
  options: {
    origin: string
    model: 'closed' | 'open'
    connections: number
    pipelining?: number
    workers: number
    durationMs?: number
    amount?: number
    ratePerSec?: number
    startRatePerSec?: number
    stages?: Array<{durationMs: number | null; targetRatePerSec: number}>
    maxInFlight?: number
    /** With targets: the balancing policy (`least-conn`, `hash:x-user`, …). */
    balance?: string
    /** HTTP/2 was asked for (`--http2`); `pipelining` (closed) or `streams` (open) is then streams per connection. */
    http2?: boolean
    streams?: number
    timeoutMs: number
    warmupMs: number
    scenarios: Array<{
      name: string
      weight: number
      method: string
      path: string
      query: Array<[string, string]>
      headers: Record<string, string>
      hasBody: boolean
    }>
  }
  totals: {
    /** Requests handed to a connection. */
    sent: number
    /** Responses received, any status. */
    completed: number
    /** Responses with status ≥ 400 plus transport errors. */
    errors: number
    httpErrors: number
    transportErrors: number
    /** errors / (completed + transportErrors). */
    errorRatio: number
    dropped: number
    /** dropped / (sent + dropped). */
    droppedRatio: number
    aborted: number
    /** Requests due during the warm-up, left out of every other figure. */
    warmup: number
    /** Completed responses per second over the measured time (after the warm-up). */
    requestsPerSec: number
    bytesSent: number
    bytesReceived: number
    /** Sockets opened, reconnections included (absent before loadplan 0.4). */
    connectionsOpened?: number
    /** Of those, the ones that spoke HTTP/2. */
    http2Connections?: number
    /** HTTP/2: the most streams open at once on one connection. */
    maxStreamsPerConnection?: number
    /** The client that sent: loadplan's own (raw sockets, HTTP/1.1 and HTTP/2), or undici (absent before 0.6). */
    client?: 'raw' | 'undici'
    /** Requests the raw client could not send itself (a streamed body, Expect, Upgrade…), sent by undici (node:http2 for HTTP/2). */
    declinedRequests?: number
    /** Journeys: checks judged on measured responses, over all steps. */
    checksPassed?: number
    checksFailed?: number
  }
  statusCodes: Record<string, number>
  errors: Record<ErrorClass, number>
  /**
   * Transport errors by their code (`DEPTH_ZERO_SELF_SIGNED_CERT`, `ECONNRESET`, …): the reason
   * behind each class. At most MAX_ERROR_CODES distinct codes; the rest are counted as `other`.
   * Absent in results saved before loadplan 0.3.
   */
  errorCodes?: Record<string, number>
  latency: {
    /** Measured from the intended send time: what users arriving on schedule saw. */
    corrected: LatencySummary
    /** Measured from the moment the request was written. */
    uncorrected: LatencySummary
  }
  /** HdrHistogram V2 compressed base64, values in microseconds; add them to merge runs exactly. */
  histograms: {
    corrected: string
    uncorrected: string
    /** Open model: how late arrivals went out (see `schedule`), so that merged shards keep it exactly. */
    lateness?: string
  }
  /**
   * Open model: how late loadplan itself sent measured arrivals after their due time (timer and
   * event-loop delay, not the target's), which corrected latency includes; and the time spent
   * polling the event loop just before due times to keep that small. Absent before loadplan 0.5.
   */
  schedule?: {lateP50Ms: number; lateP99Ms: number; lateMaxMs: number; pollMs: number}
  /**
   * The load generator itself over the measured time (issue 33): its CPU, its event loop and, in
   * the open model, how late it sent. `saturated` says the run measured loadplan as much as the
   * target; thresholds then fail unless --allow-saturated. Absent before loadplan 0.6.
   */
  generator?: RunGenerator
  /**
   * A WebSocket or gRPC run (issue 34): its sessions (WebSocket sessions, gRPC calls). The figures
   * above count round trips: a message and its reply, a call, or a streamed message.
   */
  sessions?: RunResultSessions
  /** A balanced run (`--targets`): what each target received, measured requests only, in the order given. */
  targets?: RunResultTarget[]
  /** A run of several scenarios: each one's requests, in the order given. */
  scenarios?: RunResultScenario[]
  seconds: RunResultSecond[]
  /**
   * The target's clock minus this run's, bounded from the Date headers of sampled responses (every
   * 32nd): shards of one run measured against one target show their clocks' skew through it.
   */
  clock?: {targetOffsetMs: number; uncertaintyMs: number; samples: number}
  /** This result is one shard of a split run (`--segment`). */
  segment?: RunResultSegment
  /** This result merges shards (`loadplan merge`). */
  merged?: RunResultMerge
  thresholds: ThresholdOutcome[]
  /** True when every threshold passed (or none was set). */
  passed: boolean
}

/** A part of a run's measured requests (a scenario, a step, a target): they add up exactly to the run's. */
export interface RunResultTally {
  /** Responses received, any status. */
  completed: number
  errors: number
  transportErrors: number
  /** Corrected latency of these responses. */
  latency: LatencySummary
  /** Its histogram (encoded like `histograms`). */
  histogram: string
}

/** One scenario of a run with several (or a journey). */
export interface RunResultScenario extends RunResultTally {
  name: string
  weight: number
  /** This scenario's completed + transport errors over all scenarios'. */
  share: number
  /** A journey: each step, in order. */
  steps?: RunResultStep[]
}

/** One step of a journey: its requests and its checks. */
export interface RunResultStep extends RunResultTally {
  name: string
  /** Each check on the step's response: how often it passed and failed. */
  checks: Array<{name: string; passed: number; failed: number}>
}

/** The sessions of a WebSocket or gRPC run, measured ones only. */
export interface RunResultSessions {
  kind: 'ws' | 'grpc'
  started: number
  /** Ended normally: the close code asked for (WebSocket), status OK (gRPC). */
  completed: number
  failed: number
  /** failed / (completed + failed). */
  failedRatio: number
  messagesSent: number
  messagesReceived: number
  messagesSentPerSec: number
  messagesReceivedPerSec: number
  /** Connection set-up: the WebSocket handshake, a gRPC channel getting ready. */
  connect: LatencySummary
  /** From the session's start (or the call's) to its end. */
  duration: LatencySummary
  /** How sessions ended: WebSocket close codes (1000, 1006, …), gRPC status names (OK, UNAVAILABLE, …). */
  closeCodes: Record<string, number>
  histograms: {connect: string; duration: string}
}

export interface RunGenerator {
  /** Process CPU time over wall time, % of one core (workers can take it past 100); merged shards: the busiest. */
  cpuPct: number
  /** 99th percentile of the main thread's event-loop delay (the thread that sends, without --workers), ms. */
  eventLoopLagP99Ms: number
  /** Open model: p99 of how late arrivals went out. */
  lateP99Ms?: number
  saturated: boolean
  /**
   * With a rate to keep: the target got less load than asked for (a full core, or arrivals sent
   * late), so a threshold may have passed because of it. A late event loop alone only adds
   * loadplan's delay to latency: thresholds that pass then pass with room to spare.
   */
  underDelivered?: boolean
  /** Why, when saturated. */
  reason?: string
}

export interface RunResultTarget extends RunResultTally {
  origin: string
  weight: number
  /** This target's completed + transport errors over all targets'. */
  share: number
}

/** JSON with NaN and ±Infinity written as null (JSON has no such numbers). */
export function stringifyResult(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`
}

/**
 * What a run was aimed at, for titles and CI test names: the origin with the request's path and
 * (already redacted) query when the run sends one request, so that two endpoints on one host get
 * different names; with several scenarios, the origin and their count.
 */
export function runTargetLabel(result: Pick<RunResult, 'options'>): string {
  const {origin, scenarios} = result.options
  if (scenarios.length !== 1) return `${origin} (${scenarios.length} scenarios)`
  const [only] = scenarios as [RunResult['options']['scenarios'][number]]
  const query = only.query.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&')
  return `${origin.replace(/\/$/, '')}${only.path}${query ? `?${query}` : ''}`
}

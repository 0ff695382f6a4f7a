/**
 * What a running load test shows while it runs: counters and the last second's latency, as plain
 * data that the engine publishes and the progress line and dashboards read.
 */

export interface EngineCounters {
  /** Requests handed to a connection. */
  sent: number
  /** Responses received (any status). */
  completed: number
  /** Responses with status ≥ 400. */
  httpErrors: number
  /** Transport failures (see `errors`). */
  transportErrors: number
  /** Open model: arrivals not sent because the in-flight limit was reached. */
  dropped: number
  /** Requests cut off at the end of the run (still in flight after the graceful stop). */
  aborted: number
  /** Requests due during the warm-up: sent, but left out of every measurement. */
  warmup: number
  bytesSent: number
  bytesReceived: number
  /** Sockets opened (connections, reconnections included). */
  connectionsOpened: number
  /** Of those, the ones that speak HTTP/2 (ALPN h2, or h2c). */
  http2Connections: number
}

/** All counters at zero. */
export function emptyCounters(): EngineCounters {
  return {
    sent: 0,
    completed: 0,
    httpErrors: 0,
    transportErrors: 0,
    dropped: 0,
    aborted: 0,
    warmup: 0,
    bytesSent: 0,
    bytesReceived: 0,
    connectionsOpened: 0,
    http2Connections: 0,
  }
}

/** Latency of the last completed second (corrected), for live views. */
export interface SecondStats {
  second: number
  requests: number
  errors: number
  p50Ms: number
  p90Ms: number
  p99Ms: number
  maxMs: number
}

/** A snapshot of nothing yet (before a run, or between capacity steps). */
export function emptySnapshot(): EngineSnapshot {
  return {
    elapsedMs: 0,
    lastSecond: undefined,
    statusClasses: {},
    counters: emptyCounters(),
    inFlight: 0,
    queued: 0,
    targetRatePerSec: undefined,
    plannedDurationMs: undefined,
  }
}

/** A WebSocket or gRPC run's sessions so far (measured ones). */
export interface SessionCounters {
  kind: 'ws' | 'grpc'
  started: number
  /** Ended normally: the close code asked for (WebSocket), status OK (gRPC). */
  completed: number
  failed: number
  messagesSent: number
  messagesReceived: number
}

export interface EngineSnapshot {
  /** The generator's own load so far (run-load.ts): CPU, event-loop lag p99, and whether it is saturated. */
  generator?: {cpuPct: number; eventLoopLagP99Ms: number; saturated: boolean}
  /** A WebSocket or gRPC run: its sessions so far; `inFlight` then counts sessions under way. */
  sessions?: SessionCounters
  elapsedMs: number
  lastSecond: SecondStats | undefined
  /** Responses by status class: 1xx … 5xx. */
  statusClasses: Record<string, number>
  counters: EngineCounters
  inFlight: number
  /** Open model: requests waiting for a free connection. */
  queued: number
  /** Target arrival rate right now (open model) or the rate cap (closed model), per second. */
  targetRatePerSec: number | undefined
  /** Total planned length, when known. */
  plannedDurationMs: number | undefined
}

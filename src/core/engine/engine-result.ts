/**
 * What one thread of the load engine measured: plain data, so it can cross a worker boundary and
 * be merged exactly (build-run-result.ts, merge-run-results.ts).
 */
import type {ErrorClass, StopReason} from '../../contracts/results/run-result.js'
import type {EngineCounters, SessionCounters} from '../../contracts/results/engine-snapshot.js'
import type {ClockOffsetBounds} from './clock-offset.js'

/** One second of one thread, with its interval histogram so seconds can be merged exactly. */
export interface SecondSample {
  second: number
  /** Length of the interval: 1000 except for the last, partial second. */
  durationMs: number
  requests: number
  errors: number
  dropped: number
  /** Corrected latency of responses completed in this second, encoded. */
  histogram: string
}

/** Everything one thread measured: plain data, so it can cross a worker boundary. */
export interface EngineResult {
  startedAtEpochMs: number
  elapsedMs: number
  /** Elapsed time after the warm-up: the denominator of rates. */
  measuredMs: number
  stopReason: StopReason
  counters: EngineCounters
  errors: Record<ErrorClass, number>
  statusCodes: Record<string, number>
  /** Measured transport errors by code (bounded: see MAX_ERROR_CODES). */
  errorCodes: Record<string, number>
  corrected: string
  uncorrected: string
  seconds: SecondSample[]
  /** A balanced run (`--targets`): what each target received, in the order given. */
  targets?: TargetSample[]
  /** With --start-at: how late this thread woke after it (ms). */
  startLagMs?: number
  /** Bounds on the target's clock offset from sampled Date headers. */
  clockBounds?: ClockOffsetBounds
  /** With several scenarios: what each received, in the order given. */
  scenarios?: ScenarioSample[]
  /** HTTP/2: the most streams this thread had open at once on one connection. */
  maxStreamsPerConnection?: number
  /** The client that sent (loadplan's own: raw-http1-client.ts, node-http2-client.ts; or undici), and the requests the raw one left to undici. */
  client?: 'raw' | 'undici'
  declinedRequests?: number
  /** A WebSocket or gRPC run: its sessions (calls), beside the round trips counted above. */
  sessions?: SessionSample
  /** Open model: how late arrivals went out (encoded histogram) and the time spent polling for due times. */
  schedule?: {lateness: string; pollMs: number}
}

/** What the engine adds to the recorder's result at the end (load-engine.ts), beside the lifecycle's figures. */
export type EngineExtra = Pick<
  EngineResult,
  'startLagMs' | 'clockBounds' | 'maxStreamsPerConnection' | 'client' | 'declinedRequests'
>

/** A tally of measured requests, its latency histogram encoded. */
export interface TallySample {
  completed: number
  httpErrors: number
  transportErrors: number
  /** Corrected latency of the measured responses (encoded HdrHistogram). */
  histogram: string
}

export interface ScenarioSample extends TallySample {
  name: string
  /** A journey: each step's tally and checks. */
  steps?: StepSample[]
}

export interface StepSample extends TallySample {
  name: string
  checks: Array<{name: string; passed: number; failed: number}>
}

export interface TargetSample extends TallySample {
  origin: string
}

/**
 * The sessions of a WebSocket or gRPC run (session-recorder.ts): how many, how long they took to
 * connect and to run, how they ended, and the messages each way. Measured sessions only.
 */
export interface SessionSample extends SessionCounters {
  /** Encoded histograms: connection set-up (the WebSocket handshake; a gRPC channel getting ready), and session (call) duration. */
  connect: string
  duration: string
  /** How sessions ended: WebSocket close codes, gRPC status names. */
  closeCodes: Record<string, number>
}

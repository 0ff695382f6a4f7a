/**
 * What the engine runs: the resolved, validated options of one load test (src/config builds them
 * from the service file and flags). Plain data, so they can cross a worker boundary.
 */
import type {Stage} from '../schedule/arrival-schedule.js'
import type {BalancedTarget, TargetBalance} from './target-balancer.js'
import type {Threshold} from '../../contracts/stats/thresholds.js'
import type {StepCheck, StepExtract} from './journey.js'

export interface RequestSpec {
  name: string
  weight: number
  method: string
  /** Path template relative to the origin, base path included, without the query. */
  path: string
  /** Query parameters as [name, value template]. */
  query: Array<[string, string]>
  headers: Record<string, string>
  /** Body template (already serialised for JSON bodies). */
  body?: string
  /** The body is JSON: placeholders in it are JSON-escaped. */
  bodyIsJson: boolean
  /** A body file's bytes, sent as they are (instead of body). */
  bodyBytes?: Uint8Array
  /** A journey: requests one virtual user sends in order (the fields above are its first step's). */
  steps?: JourneyStep[]
  /** A journey keeps a cookie jar per virtual user (default on). */
  cookies?: boolean
  /** A WebSocket or gRPC scenario (issue 34): each arrival is a session, path and headers its handshake's. */
  session?: SessionSpec
}

/**
 * A WebSocket session: connect (path, query and headers above are the handshake's), send
 * `messages` messages, take each message that passes `expect` as the reply to the oldest one
 * unanswered, close with `closeCode`.
 */
export interface WsSessionSpec {
  kind: 'ws'
  messages: number
  /** Message template: {{msg}} is the message's number in its session (0, 1, …), {{vars.x}} an extracted value. */
  send: string
  /** The template is JSON: placeholders in it are JSON-escaped. */
  sendIsJson: boolean
  /** Sent as binary frames (the template's UTF-8 bytes) instead of text. */
  binary: boolean
  /** One message every `everyMs` from the open (round trips corrected against that schedule); absent: each after the previous reply. */
  everyMs?: number
  /** What makes a received message a reply; absent: every message is one. */
  expect: StepCheck[]
  /** Values taken from replies into {{vars.name}} for the messages after them. */
  extracts: StepExtract[]
  closeCode: number
}

/** How .proto files are read, the same when checked (adapters/io/describe-grpc-method.ts) and when run: the JSON mapping's lowerCamelCase names. */
export const PROTO_LOAD_OPTIONS = {keepCase: false, longs: String, enums: String, defaults: false, oneofs: true}

/** The four kinds of gRPC method, from the .proto file. */
export type GrpcCallKind = 'unary' | 'server-stream' | 'client-stream' | 'bidi'

/** A gRPC call: each arrival is one call of `service`/`method` (path is `/service/method`, headers its metadata). */
export interface GrpcSessionSpec {
  kind: 'grpc'
  /** Absolute path of the .proto file and the directories its imports are searched in. */
  protoFile: string
  includeDirs: string[]
  /** Fully qualified: `package.Service`. */
  service: string
  method: string
  call: GrpcCallKind
  /** Message template in the JSON mapping of the request type; {{msg}} is the message's number in its call. */
  message: string
  /** Client-streaming and bidirectional calls: messages sent per call. */
  messages: number
  /** Streams: one message every `everyMs`; absent: a client stream sends all at once, a bidirectional one after each reply. */
  everyMs?: number
}

export type SessionSpec = WsSessionSpec | GrpcSessionSpec

/** One step of a journey. */
export interface JourneyStep {
  name: string
  request: Omit<RequestSpec, 'name' | 'weight' | 'steps' | 'cookies'>
  /** Pause after this step's response, before the next step: uniform in [minMs, maxMs]. */
  think?: {minMs: number; maxMs: number}
  checks: StepCheck[]
  extracts: StepExtract[]
  /** A failed check ends the journey (the user leaves). */
  abortOnFailure: boolean
  /** Checks or extracts read the body: it is kept (up to MAX_STEP_BODY_BYTES). */
  readsBody: boolean
}

export interface ClosedLoad {
  model: 'closed'
  connections: number
  /** Requests in flight per connection: HTTP/1.1 pipelining, or HTTP/2 streams. */
  pipelining: number
  durationMs?: number
  amount?: number
  /** Optional cap on the total request rate (wrk2-style, coordinated-omission corrected). */
  ratePerSec?: number
}

export interface OpenLoad {
  model: 'open'
  startRatePerSec: number
  stages: Stage[]
  /** Maximum requests outstanding (waiting for a socket or in flight); arrivals beyond it are dropped. */
  maxInFlight: number
  /** Maximum sockets; defaults to maxInFlight so that every in-flight request has its own. */
  connections: number
  /** HTTP/2: requests in flight per connection (streams); 1 otherwise. */
  streams: number
  amount?: number
}

export interface DataRows {
  columns: string[]
  rows: Array<Record<string, string>>
}

/**
 * A shard's place in a run split over several processes or hosts (`--segment i/n`): shard `index`
 * of `count` takes every count-th arrival, sequence number and row, and its share of connections
 * and amounts, so that the shards together send exactly what one process would.
 */
export interface Segment {
  index: number
  count: number
}

export interface RunOptions {
  service?: string
  /** Origin of every request, e.g. `http://127.0.0.1:8080` (the first target's with `targets`). */
  origin: string
  /** Several origins serving the same paths, picked per request by `balance` (client-side load balancing). */
  targets?: BalancedTarget[]
  balance?: TargetBalance
  scenarios: RequestSpec[]
  load: ClosedLoad | OpenLoad
  timeoutMs: number
  /** The HTTP client (`--client`): loadplan's own (absent: the default; raw sockets for HTTP/1.1 and HTTP/2) or undici. */
  client?: 'raw' | 'undici'
  /** HTTP/2 (`--http2`, `h2: true`): ALPN over TLS, prior knowledge (h2c) over plain TCP. */
  http2?: boolean
  /** Requests due in the first warmupMs are sent but not measured (capacity steps). */
  warmupMs?: number
  gracefulStopMs: number
  insecure: boolean
  workers: number
  thresholds: Threshold[]
  data?: DataRows
  seed: number
  segment?: Segment
  /** Wall-clock moment (epoch ms) every shard's schedule starts from (`--start-at`). */
  startAtEpochMs?: number
  /** Values taken from the environment ({{env.NAME}}): every output shows the placeholder instead. */
  envSecrets?: Array<{value: string; placeholder: string}>
  /** Header and query names to redact besides those the rule finds (contracts/redact.ts). */
  redact?: string[]
}

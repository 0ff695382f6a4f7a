/**
 * A request slot: one outstanding request at a time on a connection, the undici handler reused for
 * every request the slot sends. It only notes times and response parts, and reports the end of
 * each request to its owner (the engine).
 */
import type {Dispatcher} from 'undici'
import type {EngineClient} from './undici-client.js'
import type {JourneyStep} from './run-options.js'

/** The most of a journey step's response body kept for its checks and extracts. */
const MAX_STEP_BODY_BYTES = 1_048_576

/**
 * One connection slot's clients: one per target (one undici Client is one origin), made on first
 * use; with a single target just the one, made at once. Pipelined slots share a connection.
 */
export interface Connection {
  readonly pipelining: number
  readonly clients: Array<EngineClient | undefined>
  /** Request slots sharing it (HTTP/2 streams in the open model). */
  slots: number
  /** HTTP/2: streams open on it now. */
  streams: number
}

/** One virtual user's way through a journey: where it is, what it extracted, its cookies. */
export interface Journey {
  scenario: number
  steps: readonly JourneyStep[]
  step: number
  seq: number
  row: Readonly<Record<string, string>> | undefined
  vars: Record<string, string>
  cookies: Map<string, string> | undefined
}

/** What a slot reports to: the engine's clock, its clock sampling and the end of each request. */
export interface SlotOwner {
  readonly now: () => number
  /** The timeout is below undici's timer resolution, so the engine sweeps for silent requests. */
  readonly sweepsTimeouts: boolean
  /** Responses until the next Date header is sampled. */
  clockCountdown: number
  sampleClock(slot: RequestSlot, headers: Buffer[] | string[] | null): void
  complete(slot: RequestSlot): void
  fail(slot: RequestSlot, error: Error): void
}

/**
 * A request slot: the undici handler for one outstanding request at a time, reused for every
 * request the slot sends (no per-request closures or promises).
 */
export class RequestSlot implements Dispatcher.DispatchHandler {
  intendedMs = 0
  sentMs = 0
  status = 0
  /** Closed model under a rate cap: the slot's schedule index. */
  scheduleIndex = 0
  timer: NodeJS.Timeout | undefined
  /** A request is outstanding on this slot. */
  busy = false
  /** When the request was sent or last heard from (headers, a body chunk): the timeout runs from here. */
  lastActivityMs = 0
  /** undici's abort for the outstanding request. */
  abort: ((error: Error) => void) | undefined

  /** With several targets: the target of the outstanding request. */
  target = 0
  /** With several scenarios: the scenario of the outstanding request. */
  scenario = 0
  /** In a journey: the virtual user's state, its think timer, and the response parts its step reads. */
  journey: Journey | undefined
  thinkTimer: NodeJS.Timeout | undefined
  responseHeaders: Buffer[] | string[] | null = null
  bodyChunks: Buffer[] | undefined
  bodyBytes = 0

  constructor(
    readonly engine: SlotOwner,
    readonly connection: Connection,
    readonly index: number,
  ) {}

  /** The fast HTTP/1.1 path builds the header list only when it is read: a journey's step, or a clock sample. */
  wantsHeaders(): boolean {
    return this.journey !== undefined || this.engine.clockCountdown <= 1
  }

  onConnect(abort: (error: Error) => void): void {
    this.abort = abort
    this.sentMs = this.engine.now()
    this.lastActivityMs = this.sentMs
  }

  onHeaders(statusCode: number, headers: Buffer[] | string[] | null): boolean {
    // Informational responses (102 Processing, 103 Early Hints) are not the answer: they neither
    // count as a status nor hold off the timeout, which runs until the final response's headers.
    if (statusCode >= 100 && statusCode < 200) return true
    if (statusCode < 100 || statusCode > 999) {
      this.abort?.(
        Object.assign(new Error(`the status ${String(statusCode).padStart(3, '0')} is not an HTTP status (100–999)`), {
          code: 'LOADPLAN_INVALID_STATUS',
        }),
      )
      return false
    }
    this.status = statusCode
    if (this.engine.sweepsTimeouts) this.lastActivityMs = this.engine.now()
    if (--this.engine.clockCountdown === 0) this.engine.sampleClock(this, headers)
    if (this.journey) this.responseHeaders = headers
    return true
  }

  /** onData has work to do: a sub-second timeout watches the body, or the journey step reads it. */
  wantsBody(): boolean {
    return this.engine.sweepsTimeouts || this.journey?.steps[this.journey.step]?.readsBody === true
  }

  onData(chunk: Buffer): boolean {
    // The clock is read per chunk only when the engine enforces a sub-second timeout itself.
    if (this.engine.sweepsTimeouts) this.lastActivityMs = this.engine.now()
    if (this.journey?.steps[this.journey.step]?.readsBody && this.bodyBytes < MAX_STEP_BODY_BYTES) {
      // A copy: the raw client's chunks are views of the one buffer it reads into.
      ;(this.bodyChunks ??= []).push(Buffer.from(chunk))
      this.bodyBytes += chunk.length
    }
    return true
  }

  onComplete(): void {
    this.engine.complete(this)
  }

  onError(error: Error): void {
    this.engine.fail(this, error)
  }
}

/**
 * Aborts each request silent for longer than `timeoutMs` (no final headers, or no body data), as
 * undici would. With `headersOnly` it judges only requests still waiting for their final headers:
 * undici restarts its header timer on every 1xx, so a server sending 102 every 200 ms would hold a
 * request for ever.
 */
export function abortSilent(
  slots: readonly RequestSlot[],
  timeoutMs: number,
  nowMs: number,
  headersOnly = false,
): void {
  for (const slot of slots) {
    if (!slot.busy || slot.abort === undefined || nowMs - slot.lastActivityMs <= timeoutMs) continue
    if (headersOnly && slot.status !== 0) continue
    const abort = slot.abort
    slot.abort = undefined
    const headers = slot.status === 0
    abort(
      Object.assign(new Error(`no ${headers ? 'response headers' : 'body data'} within ${timeoutMs} ms`), {
        code: headers ? 'UND_ERR_HEADERS_TIMEOUT' : 'UND_ERR_BODY_TIMEOUT',
      }),
    )
  }
}

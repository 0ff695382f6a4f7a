/**
 * The load loop of WebSocket and gRPC runs (issue 34): the same load models as HTTP (closed:
 * concurrent sessions; open: session arrivals), the same recorder for round trips, and a driver
 * per protocol (ws-session.ts, grpc-session.ts) that runs one session on a slot and reports what
 * happens in it. A round trip is a message and its reply (WebSocket, bidirectional gRPC), a call
 * (unary, client-streaming) or a streamed message (server-streaming); the session's own figures
 * (connect time, duration, how it ended, messages) go to the session recorder beside them.
 */
import type {RunOptions, SessionSpec} from './run-options.js'
import type {StopReason} from '../../contracts/results/run-result.js'
import type {EngineSnapshot} from '../../contracts/results/engine-snapshot.js'
import {classifyError, isConnectFailure} from './classify-error.js'
import {createRequestFactory, type DispatchOptions, type RequestFactory} from './request-factory.js'
import {defaultEngineDeps, type EngineDeps} from './engine-deps.js'
import {createRandom} from '../../contracts/stats/random.js'
import {sliceSeed, WHOLE_RUN, type WorkSlice} from './work-slice.js'
import type {EngineResult} from './engine-result.js'
import {EngineRecorder, SECOND_MS} from './engine-recorder.js'
import {EngineTimers} from './engine-timers.js'
import {SessionRecorder} from './session-recorder.js'
import type {LoadModel, ModelHost, ModelSlot} from './load-model.js'
import {ClosedModel} from './closed-model.js'
import {OpenModel} from './open-model.js'
import {createWsDriver} from './ws-session.js'
import {createGrpcDriver} from './grpc-session.js'

/** Backoff of a slot after its connection failed, so a dead target is not spun on. */
const CONNECT_FAILURE_BACKOFF_MS = 10

/** Sessions sharing one connection (gRPC calls on one channel; a WebSocket is its own connection). */
export interface SessionConnection {
  slots: number
  readonly perConnection: number
  /** The driver's handle for it (a gRPC client), made on first use. */
  handle: unknown
}

/** One session at a time: its schedule, its measurement and the driver's state. */
export class SessionSlot implements ModelSlot {
  scheduleIndex = 0
  timer: NodeJS.Timeout | undefined
  busy = false
  /** The session arrived after the warm-up: its figures count. */
  measured = false
  intendedMs = 0
  startedMs = 0
  scenario = 0
  /** The recorder reads these for HTTP responses: a round trip has no status, target or journey. */
  readonly status = 0
  readonly target = 0
  readonly journey = undefined
  /** The driver's state of the session in progress. */
  state: unknown

  constructor(
    readonly connection: SessionConnection,
    readonly index: number,
  ) {}
}

/** How a session ended: its close code (WebSocket) or status name (gRPC), and the failure if it was one. */
export interface SessionEnd {
  code: string
  error?: Error
}

/** What a driver reports to. */
export interface SessionHost {
  readonly options: RunOptions
  readonly factory: RequestFactory
  readonly random: () => number
  now(): number
  /** The run is ending: send no more messages; end each session once its replies are in. */
  readonly winding: boolean
  /** A connection is ready, `connectMs` after it was asked for. */
  connected(slot: SessionSlot, connectMs: number): void
  messageSent(slot: SessionSlot, bytes: number): void
  messageReceived(slot: SessionSlot, bytes: number): void
  /** A reply (or a call's answer) to what was due at `intendedMs` and sent at `sentMs`. */
  roundTrip(slot: SessionSlot, intendedMs: number, sentMs: number): void
  /** A round trip that got no answer. */
  roundTripFailed(slot: SessionSlot, error: Error): void
  /** The session is over; `unanswered` round trips were still open. */
  ended(slot: SessionSlot, end: SessionEnd, unanswered: number): void
}

/** Runs sessions of one protocol on the slots it is given. */
export interface SessionDriver {
  start(slot: SessionSlot, spec: SessionSpec, handshake: DispatchOptions): void
  /** The run is ending: stop sending on the slot's session, end it once its replies are in. */
  wind(slot: SessionSlot): void
  /** Cut the slot's session off now (its `ended` still follows). */
  cut(slot: SessionSlot): void
  destroy(): Promise<void>
}

export class SessionEngine implements ModelHost<SessionSlot>, SessionHost {
  readonly now: () => number
  readonly slice: WorkSlice
  readonly slots: SessionSlot[] = []
  readonly spinBeforeDueMs: number
  readonly options: RunOptions
  readonly factory: RequestFactory
  readonly random: () => number
  private readonly deps: EngineDeps
  private readonly recorder: EngineRecorder
  private readonly sessions: SessionRecorder
  private readonly model: LoadModel<SessionSlot>
  private readonly driver: SessionDriver
  originMs = 0
  measureFromMs = 0
  inFlight = 0
  stopping = false
  winding = false
  private startedAtEpochMs = 0
  private stopReason: StopReason = 'completed'
  private finished = false
  private resolveDone: ((result: EngineResult) => void) | undefined
  private readonly timers: EngineTimers
  private startLagMs: number | undefined

  constructor(options: RunOptions, workerIndex = 0, workerCount = 1, deps: EngineDeps = defaultEngineDeps) {
    this.options = options
    this.deps = deps
    this.now = deps.now
    this.timers = new EngineTimers(deps.now)
    this.spinBeforeDueMs = deps.spinBeforeDueMs ?? 0
    this.slice = {segment: options.segment ?? WHOLE_RUN, workerIndex, workerCount}
    const {scenarios, data, seed} = options
    this.factory = createRequestFactory({scenarios, data, seed, slice: this.slice})
    this.random = createRandom(sliceSeed(seed, this.slice) + 1)
    this.recorder = new EngineRecorder(scenarios, [])
    const kind = (scenarios[0]?.session as SessionSpec).kind
    this.sessions = new SessionRecorder(kind)
    this.driver = kind === 'ws' ? createWsDriver(this) : createGrpcDriver(this)
    this.model =
      options.load.model === 'closed'
        ? new ClosedModel<SessionSlot>(this, options.load)
        : new OpenModel<SessionSlot>(this, options.load)
  }

  run(): Promise<EngineResult> {
    const done = new Promise<EngineResult>((resolve) => {
      this.resolveDone = resolve
    })
    const {startAtEpochMs} = this.options
    const epochMs = this.deps.epochNow()
    const untilStartMs = startAtEpochMs === undefined ? 0 : startAtEpochMs - epochMs
    this.originMs = this.now() + untilStartMs
    this.measureFromMs = this.originMs + (this.options.warmupMs ?? 0)
    this.startedAtEpochMs = startAtEpochMs ?? epochMs
    const begin = () => {
      if (startAtEpochMs !== undefined) this.startLagMs = this.deps.epochNow() - startAtEpochMs
      this.timers.everySecond(this.recorder, this.originMs)
      this.model.start()
    }
    if (untilStartMs > 0) this.timers.atOffset(this.originMs, 0, begin)
    else begin()
    return done
  }

  /**
   * Stops new sessions. At the end of a fixed amount, sessions under way run to their end; at the end
   * of the time (or an interrupt) they stop sending and end when their replies are in. What is still
   * open after the graceful stop (a fixed amount: the longest a session can take) is cut off and
   * its open round trips counted aborted.
   */
  stop(reason: StopReason, drainQueue = reason === 'completed'): void {
    if (this.stopping) {
      if (reason === 'interrupted') this.cutAll()
      return
    }
    this.stopping = true
    this.stopReason = reason
    this.model.halt()
    // Also the start, when it has not come yet.
    this.timers.clear()
    for (const slot of this.slots) if (slot.timer) clearTimeout(slot.timer)
    if (!drainQueue) this.recorder.counters.aborted += this.model.abandonQueue()
    if (reason !== 'completed') {
      this.winding = true
      for (const slot of this.slots) if (slot.busy) this.driver.wind(slot)
    }
    // A fixed amount waits for its last sessions, however long they run (each step has its timeout).
    const graceMs = reason === 'completed' ? sessionBoundMs(this.options) + SECOND_MS : this.options.gracefulStopMs
    this.timers.after(graceMs, () => this.cutAll())
    this.maybeFinish()
  }

  private cutAll(): void {
    this.winding = true
    this.recorder.counters.aborted += this.model.abandonQueue()
    for (const slot of this.slots) if (slot.busy) this.driver.cut(slot)
    this.maybeFinish()
  }

  snapshot(): EngineSnapshot {
    const elapsedMs = Math.max(0, this.now() - this.originMs)
    const target = this.model.target(elapsedMs)
    return {
      elapsedMs,
      lastSecond: this.recorder.lastSecond,
      statusClasses: {},
      counters: {...this.recorder.counters},
      inFlight: this.inFlight,
      queued: this.model.queued,
      targetRatePerSec: target.ratePerSec,
      plannedDurationMs: target.durationMs,
      sessions: this.sessions.counters(),
    }
  }

  newConnection(perConnection: number): SessionConnection {
    return {slots: 0, perConnection, handle: undefined}
  }

  newSlot(connection: SessionConnection): SessionSlot {
    const slot = new SessionSlot(connection, this.slots.length)
    this.slots.push(slot)
    return slot
  }

  dropped(): void {
    this.recorder.counters.dropped++
  }

  sentLate(lateMs: number, pollMs: number): void {
    this.recorder.sentLate(lateMs, pollMs)
  }

  /** A session is due: the factory renders its handshake (path, query, headers), the driver runs it. */
  send(slot: SessionSlot, intendedMs: number): void {
    slot.busy = true
    slot.intendedMs = intendedMs
    slot.startedMs = this.now()
    slot.measured = intendedMs >= this.measureFromMs
    this.inFlight++
    const handshake = this.factory.next()
    slot.scenario = this.factory.scenario
    if (slot.measured) this.sessions.started++
    this.driver.start(slot, this.options.scenarios[slot.scenario]?.session as SessionSpec, handshake)
  }

  connected(slot: SessionSlot, connectMs: number): void {
    this.recorder.counters.connectionsOpened++
    if (slot.measured) this.sessions.connected(connectMs)
  }

  messageSent(slot: SessionSlot, bytes: number): void {
    const {counters} = this.recorder
    counters.bytesSent += bytes
    if (!slot.measured) return
    counters.sent++
    this.sessions.messagesSent++
  }

  messageReceived(slot: SessionSlot, bytes: number): void {
    this.recorder.counters.bytesReceived += bytes
    if (slot.measured) this.sessions.messagesReceived++
  }

  roundTrip(slot: SessionSlot, intendedMs: number, sentMs: number): void {
    if (!slot.measured) {
      this.recorder.counters.warmup++
      return
    }
    const endMs = this.now()
    this.recorder.response(slot, endMs - intendedMs, endMs - sentMs, false)
  }

  roundTripFailed(slot: SessionSlot, error: Error): void {
    if (!slot.measured) this.recorder.counters.warmup++
    else this.recorder.transportError(slot, error, classifyError(error), false)
  }

  ended(slot: SessionSlot, end: SessionEnd, unanswered: number): void {
    if (!slot.busy) return
    slot.busy = false
    this.inFlight--
    const {counters} = this.recorder
    if (slot.measured) {
      this.sessions.ended(this.now() - slot.startedMs, end.code, end.error === undefined)
      if (end.error && !this.cutOff(end)) {
        // Every open round trip failed with the session; with none open, the session's own failure counts once.
        const failures = Math.max(1, unanswered)
        for (let i = 0; i < failures; i++)
          this.recorder.transportError(slot, end.error, classifyError(end.error), false)
      } else counters.aborted += unanswered
    } else counters.warmup += unanswered
    // A driver may end a session from inside start(); never recurse into the model from there. A
    // target that refuses connections is not spun on (as the HTTP engine's closed model).
    const refused = end.error !== undefined && isConnectFailure(classifyError(end.error))
    if (refused) this.timers.after(CONNECT_FAILURE_BACKOFF_MS, () => this.model.next(slot))
    else setImmediate(() => this.model.next(slot))
  }

  /** A session the run cut off at its end: its open round trips are aborted, not errors. */
  private cutOff(end: SessionEnd): boolean {
    return (end.error as {code?: string} | undefined)?.code === CUT_OFF_CODE
  }

  maybeFinish(): void {
    if (!this.stopping || this.finished || this.inFlight > 0) return
    this.finished = true
    void this.finish()
  }

  private async finish(): Promise<void> {
    const elapsedMs = Math.max(0, this.now() - this.originMs)
    this.timers.clear()
    this.timers.stopSeconds()
    this.recorder.closeSecond(elapsedMs)
    await this.driver.destroy()
    const extra = this.startLagMs === undefined ? {} : {startLagMs: this.startLagMs}
    const result = this.recorder.result(
      {
        startedAtEpochMs: this.startedAtEpochMs,
        elapsedMs,
        measuredMs: Math.max(0, elapsedMs - (this.options.warmupMs ?? 0)),
        stopReason: this.stopReason,
        counters: {...this.recorder.counters},
      },
      extra,
    )
    result.sessions = this.sessions.sample()
    this.resolveDone?.(result)
  }

  atOffset(offsetMs: number, callback: () => void): void {
    this.timers.atOffset(this.originMs, offsetMs, callback)
  }
}

/**
 * The longest a session can take, every step at its timeout: a WebSocket's handshake, each message
 * on its schedule and each reply at the timeout, its close; a gRPC call, its deadline.
 */
export function sessionBoundMs(options: Pick<RunOptions, 'scenarios' | 'timeoutMs'>): number {
  let boundMs = options.timeoutMs
  for (const {session} of options.scenarios) {
    if (session?.kind !== 'ws') continue
    const {messages, everyMs = 0} = session
    boundMs = Math.max(boundMs, options.timeoutMs * (messages + 2) + everyMs * messages)
  }
  return boundMs
}

/** The code of the error a driver ends a session with when the run cuts it off. */
export const CUT_OFF_CODE = 'LOADPLAN_CUT_OFF'

export function cutOffError(): Error {
  return Object.assign(new Error('cut off at the end of the run'), {code: CUT_OFF_CODE})
}

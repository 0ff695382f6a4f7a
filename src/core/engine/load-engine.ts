/**
 * The request loop of one thread. It executes a validated RunOptions slice; it never validates,
 * prints or waits for a UI (the UI pulls `snapshot()`).
 *
 * Hot-path rules (see bench/throughput): one undici Client per connection, one reused handler
 * object per request slot (connection × pipelining), `dispatch()` instead of promise APIs, no
 * per-request timers (undici's per-socket timers enforce the timeout), counters as plain numbers.
 *
 * Latency is recorded twice. *Corrected* is measured from when the request should have been sent
 * (its arrival time in the open model, its slot's schedule under a --rate cap): the latency a user
 * arriving on schedule saw, coordinated omission included. *Uncorrected* is measured from when
 * undici wrote the request to the socket. Without a schedule (closed model, no cap) corrected
 * starts at dispatch, so the two differ only by the generator's own delay before the write.
 */
import type {Dispatcher} from 'undici'
import type {Socket} from 'node:net'
import type {ClosedLoad, JourneyStep, OpenLoad, RunOptions} from './run-options.js'
import {arrivalOffsetMs, compileArrivalSchedule, rateAt, type ArrivalSchedule} from '../schedule/arrival-schedule.js'
import {
  createLatencyHistogram,
  encodeHistogram,
  recordLatencyMs,
  type Histogram,
} from '../../contracts/stats/histogram.js'
import {classifyError, isConnectFailure} from './classify-error.js'
import {ERROR_CLASSES, MAX_ERROR_CODES, type ErrorClass, type StopReason} from '../../contracts/results/run-result.js'
import {
  emptyCounters,
  type EngineCounters,
  type EngineSnapshot,
  type SecondStats,
} from '../../contracts/results/engine-snapshot.js'
import {TimeQueue} from '../../contracts/stats/time-queue.js'
import {createRequestFactory, type RequestFactory} from './request-factory.js'
import {TargetBalancer} from './target-balancer.js'
import {createUndiciClient, type EngineClient, type EngineClientOptions} from './undici-client.js'
import {addClockSample, emptyClockBounds, type ClockOffsetBounds} from './clock-offset.js'
import {applyResponse, cookieHeader, judgeChecks} from './journey.js'
import {createRandom} from '../../contracts/stats/random.js'
import {globalIndex, sliceFraction, sliceSeed, sliceShare, WHOLE_RUN, type WorkSlice} from './work-slice.js'

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
}

export interface EngineDeps {
  /** Monotonic clock in milliseconds. */
  now(): number
  /** Wall clock, for the result's start time only. */
  epochNow(): number
  /** Opens a connection (undici in production, a fake with a virtual clock in engine tests). */
  createClient(options: EngineClientOptions): EngineClient
}

export const defaultEngineDeps: EngineDeps = {
  now: () => performance.now(),
  epochNow: () => Date.now(),
  createClient: createUndiciClient,
}

/** The most of a journey step's response body kept for its checks and extracts. */
const MAX_STEP_BODY_BYTES = 1_048_576

/** Every this many responses, the Date header is read to bound the target's clock offset (clock-offset.ts). */
const CLOCK_SAMPLE_EVERY = 32

/** Backoff of a closed-model slot after its connection failed, so a dead target is not spun on. */
const CONNECT_FAILURE_BACKOFF_MS = 10
/** How often the per-second sampler runs: once a second, aligned to the origin. */
const SECOND_MS = 1000
/** undici's header and body timers tick about once a second; shorter timeouts need the engine's sweep. */
const UNDICI_TIMER_RESOLUTION_MS = 1000
const MIN_SWEEP_MS = 5

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
 * One connection slot's clients: one per target (one undici Client is one origin), made on first
 * use; with a single target just the one, made at once. Pipelined slots share a connection.
 */
interface Connection {
  readonly pipelining: number
  readonly clients: Array<EngineClient | undefined>
  /** Request slots sharing it (HTTP/2 streams in the open model). */
  slots: number
  /** HTTP/2: streams open on it now. */
  streams: number
}

/** What one target of a balanced run (`--targets`), or one scenario, received: measured requests only. */
interface Tally {
  completed: number
  httpErrors: number
  transportErrors: number
  histogram: Histogram
}

/** One virtual user's way through a journey: where it is, what it extracted, its cookies. */
interface Journey {
  scenario: number
  steps: readonly JourneyStep[]
  step: number
  seq: number
  row: Readonly<Record<string, string>> | undefined
  vars: Record<string, string>
  cookies: Map<string, string> | undefined
}

interface StepTally extends Tally {
  checks: Array<{passed: number; failed: number}>
}

/**
 * A request slot: the undici handler for one outstanding request at a time, reused for every
 * request the slot sends (no per-request closures or promises).
 */
class RequestSlot implements Dispatcher.DispatchHandler {
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
    readonly engine: LoadEngine,
    readonly connection: Connection,
    readonly index: number,
  ) {}

  onConnect(abort: (error: Error) => void): void {
    this.abort = abort
    this.sentMs = this.engine.now()
    this.lastActivityMs = this.sentMs
  }

  onHeaders(statusCode: number, headers: Buffer[] | string[] | null): boolean {
    this.status = statusCode
    if (this.engine.sweepsTimeouts) this.lastActivityMs = this.engine.now()
    if (--this.engine.clockCountdown === 0) this.engine.sampleClock(this, headers)
    if (this.journey) this.responseHeaders = headers
    return true
  }

  onData(chunk: Buffer): boolean {
    // The clock is read per chunk only when the engine enforces a sub-second timeout itself.
    if (this.engine.sweepsTimeouts) this.lastActivityMs = this.engine.now()
    if (this.journey?.steps[this.journey.step]?.readsBody && this.bodyBytes < MAX_STEP_BODY_BYTES) {
      ;(this.bodyChunks ??= []).push(chunk)
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

export class LoadEngine {
  readonly now: () => number
  /** Responses until the next Date header is sampled. */
  clockCountdown = 1
  private readonly clockBounds = emptyClockBounds()
  /** The timeout is below undici's timer resolution, so the engine sweeps for silent requests. */
  readonly sweepsTimeouts: boolean
  private readonly options: RunOptions
  private readonly load: ClosedLoad | OpenLoad
  /** This thread's part of the run (its segment, then its worker). */
  private readonly slice: WorkSlice
  private readonly deps: EngineDeps
  private readonly factory: RequestFactory

  private readonly corrected: Histogram = createLatencyHistogram()
  private readonly uncorrected: Histogram = createLatencyHistogram()
  private readonly interval: Histogram = createLatencyHistogram()
  private readonly counters: EngineCounters = emptyCounters()
  private readonly errorCounts = new Float64Array(ERROR_CLASSES.length)
  private readonly statusCounts = new Float64Array(600)
  private readonly errorCodeCounts = new Map<string, number>()
  private readonly seconds: SecondSample[] = []
  private secondBase = {requests: 0, errors: 0, dropped: 0}

  private readonly clients: EngineClient[] = []
  /** The origins requests go to: the targets of a balanced run, else the one origin. */
  private readonly origins: string[]
  private readonly balancer: TargetBalancer | undefined
  private readonly targetTallies: Tally[]
  /** With several scenarios, or journeys: each one's tally. */
  private readonly scenarioTallies: Tally[]
  /** Journeys: each step's tally and checks, per scenario. */
  private readonly stepTallies: StepTally[][]
  private readonly hasJourneys: boolean
  private readonly http2: boolean
  /** HTTP/2: the most streams open at once on one connection. */
  private maxStreams = 0
  /** Journeys begun and not ended: a run of a fixed amount lets them finish. */
  private activeJourneys = 0
  /** Think times. */
  private readonly random: () => number
  private readonly slots: RequestSlot[] = []
  private readonly liveSockets = new Set<Socket>()
  private closedSocketBytes = {sent: 0, received: 0}

  private originMs = 0
  /** Requests due before this moment are warm-up: sent but not measured. */
  private measureFromMs = 0
  private startedAtEpochMs = 0
  private inFlight = 0
  private stopping = false
  private stopReason: StopReason = 'completed'
  private finished = false
  /** Set once the graceful stop has run out: failures after it are cut-offs, not errors. */
  private finishedGrace = false
  private resolveDone: ((result: EngineResult) => void) | undefined
  private readonly timers = new Set<NodeJS.Timeout>()
  private secondTimer: NodeJS.Timeout | undefined
  /** Waits for --start-at. */
  private startTimer: NodeJS.Timeout | undefined
  /** How late this thread woke after --start-at. */
  private startLagMs: number | undefined
  private sweepTimer: NodeJS.Timeout | undefined
  private secondIndex = 0
  private lastSecond: SecondStats | undefined

  // Closed model.
  private issued = 0
  private amountLimit = Number.POSITIVE_INFINITY
  private slotIntervalMs = 0

  // Open model.
  private schedule: ArrivalSchedule | undefined
  private arrivalIndex = 0
  private nextArrivalMs: number | undefined
  private arrivalTimer: NodeJS.Timeout | undefined
  private readonly freeSlots: RequestSlot[] = []
  private queue: TimeQueue | undefined
  private maxOutstanding = 0
  private maxSlots = 0

  constructor(options: RunOptions, workerIndex = 0, workerCount = 1, deps: EngineDeps = defaultEngineDeps) {
    this.options = options
    this.load = options.load
    this.slice = {segment: options.segment ?? WHOLE_RUN, workerIndex, workerCount}
    this.deps = deps
    this.now = deps.now
    this.sweepsTimeouts = options.timeoutMs < UNDICI_TIMER_RESOLUTION_MS
    this.factory = createRequestFactory({
      scenarios: options.scenarios,
      data: options.data,
      seed: options.seed,
      slice: this.slice,
    })
    this.origins = options.targets?.map((t) => t.origin) ?? [options.origin]
    this.balancer = options.targets
      ? new TargetBalancer(
          options.targets,
          options.balance ?? {policy: 'round-robin'},
          sliceSeed(options.seed, this.slice),
        )
      : undefined
    const tally = (): Tally => ({completed: 0, httpErrors: 0, transportErrors: 0, histogram: createLatencyHistogram()})
    this.targetTallies = this.balancer ? this.origins.map(tally) : []
    this.http2 = options.http2 === true
    this.hasJourneys = options.scenarios.some((scenario) => scenario.steps !== undefined)
    this.scenarioTallies = options.scenarios.length > 1 || this.hasJourneys ? options.scenarios.map(tally) : []
    this.stepTallies = options.scenarios.map((scenario) =>
      (scenario.steps ?? []).map((step) => ({...tally(), checks: step.checks.map(() => ({passed: 0, failed: 0}))})),
    )
    this.random = createRandom(sliceSeed(options.seed, this.slice) + 1)
  }

  /** Runs until the load is done, the duration ends or `stop()` is called. Never rejects for request failures. */
  run(): Promise<EngineResult> {
    const done = new Promise<EngineResult>((resolve) => {
      this.resolveDone = resolve
    })
    // With --start-at the origin is that wall-clock moment, shared by every shard; requests due
    // at it are sent as soon as this thread wakes, and any lag shows in the corrected latency.
    const {startAtEpochMs} = this.options
    const epochMs = this.deps.epochNow()
    const untilStartMs = startAtEpochMs === undefined ? 0 : startAtEpochMs - epochMs
    const delayMs = Math.max(0, untilStartMs)
    this.originMs = this.now() + untilStartMs
    this.measureFromMs = this.originMs + (this.options.warmupMs ?? 0)
    this.startedAtEpochMs = startAtEpochMs ?? epochMs
    if (delayMs > 0) this.startTimer = setTimeout(() => this.begin(), delayMs)
    else this.begin()
    return done
  }

  private begin(): void {
    this.startTimer = undefined
    if (this.options.startAtEpochMs !== undefined) this.startLagMs = this.deps.epochNow() - this.options.startAtEpochMs
    this.armSecondTimer()
    this.armTimeoutSweep()
    if (this.load.model === 'closed') this.startClosed(this.load)
    else this.startOpen(this.load)
  }

  /**
   * Stops sending; in-flight requests get the graceful-stop period, then are cut off. `drainQueue`:
   * arrivals already due but waiting for a socket are still sent (the natural end of an open
   * schedule); otherwise (time is up, the user interrupts) they are abandoned.
   */
  stop(reason: StopReason, drainQueue = reason === 'completed'): void {
    if (this.stopping) {
      // An interrupt while stopping (Ctrl-C twice, or during the graceful stop) cuts off at once.
      if (reason === 'interrupted' && !this.finishedGrace) this.abortInFlight()
      return
    }
    this.stopping = true
    this.stopReason = reason
    if (this.startTimer) clearTimeout(this.startTimer)
    if (this.arrivalTimer) clearTimeout(this.arrivalTimer)
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    for (const slot of this.slots) {
      if (slot.timer) clearTimeout(slot.timer)
      // A fixed amount's journeys still think and finish; otherwise the users leave now.
      if (reason !== 'completed') this.cutJourney(slot)
    }
    if (!drainQueue) this.abandonQueue()
    // A run of a fixed amount waits for its last responses (they end by the request timeout at
    // worst); a timed run gives them the graceful stop, whether its clock or its schedule ran out.
    const graceMs = reason === 'completed' ? this.options.timeoutMs + SECOND_MS : this.options.gracefulStopMs
    const grace = setTimeout(() => this.abortInFlight(), graceMs)
    this.timers.add(grace)
    this.maybeFinish()
  }

  snapshot(): EngineSnapshot {
    const elapsedMs = Math.max(0, this.now() - this.originMs)
    this.counters.bytesSent = this.closedSocketBytes.sent
    this.counters.bytesReceived = this.closedSocketBytes.received
    for (const socket of this.liveSockets) {
      this.counters.bytesSent += socket.bytesWritten
      this.counters.bytesReceived += socket.bytesRead
    }
    let targetRatePerSec: number | undefined
    let plannedDurationMs: number | undefined
    // This thread's part of the rate: the workers' snapshots add up to the process's.
    if (this.load.model === 'closed') {
      if (this.load.ratePerSec !== undefined)
        targetRatePerSec =
          (this.load.ratePerSec * sliceShare(this.load.connections, this.slice)) / this.load.connections
      plannedDurationMs = this.load.durationMs
    } else if (this.schedule) {
      targetRatePerSec = rateAt(this.schedule, elapsedMs) * sliceFraction(this.slice)
      plannedDurationMs = Number.isFinite(this.schedule.totalDurationMs) ? this.schedule.totalDurationMs : undefined
    }
    const statusClasses: Record<string, number> = {}
    for (let status = 100; status < 600; status++) {
      const n = this.statusCounts[status] as number
      if (n > 0)
        statusClasses[`${Math.floor(status / 100)}xx`] = (statusClasses[`${Math.floor(status / 100)}xx`] ?? 0) + n
    }
    return {
      elapsedMs,
      lastSecond: this.lastSecond,
      statusClasses,
      counters: {...this.counters},
      inFlight: this.inFlight,
      queued: this.queue?.length ?? 0,
      targetRatePerSec,
      plannedDurationMs,
    }
  }

  // ---- connections -------------------------------------------------------------------------

  private createClient(pipelining: number, origin: string): EngineClient {
    const {timeoutMs, insecure} = this.options
    const client = this.deps.createClient({
      origin,
      pipelining,
      timeoutMs,
      insecure,
      http2: this.options.http2 === true,
      onSocket: (socket) => this.trackSocket(socket),
    })
    this.clients.push(client)
    return client
  }

  private createConnection(pipelining: number): Connection {
    return {
      pipelining,
      clients: this.balancer ? [] : [this.createClient(pipelining, this.options.origin)],
      slots: 0,
      streams: 0,
    }
  }

  private clientFor(connection: Connection, target: number): EngineClient {
    return (
      connection.clients[target] ??
      (connection.clients[target] = this.createClient(connection.pipelining, this.origins[target] as string))
    )
  }

  private trackSocket(socket: Socket): void {
    this.counters.connectionsOpened++
    if ((socket as Socket & {alpnProtocol?: string | false}).alpnProtocol === 'h2') this.counters.http2Connections++
    this.liveSockets.add(socket)
    socket.once('close', () => {
      this.liveSockets.delete(socket)
      this.closedSocketBytes.sent += socket.bytesWritten
      this.closedSocketBytes.received += socket.bytesRead
    })
  }

  // ---- closed model ------------------------------------------------------------------------

  private startClosed(load: ClosedLoad): void {
    const connections = sliceShare(load.connections, this.slice)
    if (load.amount !== undefined) this.amountLimit = sliceShare(load.amount, this.slice)
    const slotCount = connections * load.pipelining
    if (load.ratePerSec !== undefined) {
      // wrk2-style: every slot follows its own schedule, phases staggered across the interval.
      const threadRate = (load.ratePerSec * connections) / load.connections
      this.slotIntervalMs = (slotCount / threadRate) * 1000
    }
    for (let c = 0; c < connections; c++) {
      const connection = this.createConnection(load.pipelining)
      for (let p = 0; p < load.pipelining; p++) this.slots.push(new RequestSlot(this, connection, this.slots.length))
    }
    if (load.durationMs !== undefined) this.after(this.untilOriginPlus(load.durationMs), () => this.stop('duration'))
    for (const slot of this.slots) this.issueClosed(slot)
  }

  private issueClosed(slot: RequestSlot): void {
    if (this.stopping) return this.maybeFinish()
    if (this.issued >= this.amountLimit) return this.stop('completed')
    let intendedMs: number
    if (this.slotIntervalMs > 0) {
      const phaseMs = (slot.index / this.slots.length) * this.slotIntervalMs
      intendedMs = this.originMs + phaseMs + slot.scheduleIndex * this.slotIntervalMs
      const waitMs = intendedMs - this.now()
      if (waitMs > 0) {
        slot.timer = setTimeout(() => {
          slot.timer = undefined
          this.issueClosed(slot)
        }, waitMs)
        return
      }
      slot.scheduleIndex++
    } else intendedMs = this.now()
    this.issued++
    this.send(slot, intendedMs)
  }

  // ---- open model --------------------------------------------------------------------------

  private startOpen(load: OpenLoad): void {
    this.schedule = compileArrivalSchedule(load.stages, load.startRatePerSec)
    this.maxSlots = sliceShare(load.connections, this.slice) * load.streams
    this.maxOutstanding = sliceShare(load.maxInFlight, this.slice)
    this.queue = new TimeQueue(this.maxOutstanding)
    this.nextArrivalMs = this.arrivalAt(0)
    if (Number.isFinite(this.schedule.totalDurationMs))
      this.after(this.untilOriginPlus(this.schedule.totalDurationMs), () => this.stop('duration', true))
    this.onArrivalTimer()
  }

  /** This thread takes its interleaved part (work-slice) of the one global schedule. */
  private arrivalAt(localIndex: number): number | undefined {
    const index = globalIndex(localIndex, this.slice)
    const load = this.load as OpenLoad
    if (load.amount !== undefined && index >= load.amount) return undefined
    return arrivalOffsetMs(this.schedule as ArrivalSchedule, index)
  }

  private onArrivalTimer = (): void => {
    this.arrivalTimer = undefined
    if (this.stopping) return
    const elapsedMs = this.now() - this.originMs
    while (this.nextArrivalMs !== undefined && this.nextArrivalMs <= elapsedMs) {
      const intendedMs = this.originMs + this.nextArrivalMs
      const queue = this.queue as TimeQueue
      if (this.inFlight + queue.length >= this.maxOutstanding) {
        if (intendedMs >= this.measureFromMs) this.counters.dropped++
      } else {
        const slot = this.acquireSlot()
        if (slot) this.send(slot, intendedMs)
        else queue.push(intendedMs)
      }
      this.nextArrivalMs = this.arrivalAt(++this.arrivalIndex)
    }
    if (this.nextArrivalMs === undefined) {
      // A fixed amount is complete. A timed schedule's last arrival falls just before its end; the
      // duration timer then stops it, draining the queue within the graceful stop.
      if ((this.load as OpenLoad).amount !== undefined) this.stop('completed')
      return
    }
    this.arrivalTimer = setTimeout(this.onArrivalTimer, this.nextArrivalMs - elapsedMs)
  }

  private acquireSlot(): RequestSlot | undefined {
    const free = this.freeSlots.pop()
    if (free) return free
    if (this.slots.length >= this.maxSlots) return undefined
    // HTTP/2: up to `streams` slots share a connection; HTTP/1.1: a connection per slot.
    const {streams} = this.load as OpenLoad
    const last = this.slots.at(-1)?.connection
    const connection = last && last.slots < streams ? last : this.createConnection(streams)
    connection.slots++
    const slot = new RequestSlot(this, connection, this.slots.length)
    this.slots.push(slot)
    return slot
  }

  private releaseOpen(slot: RequestSlot): void {
    const queue = this.queue as TimeQueue
    if (queue.length > 0) this.send(slot, queue.shift())
    else {
      this.freeSlots.push(slot)
      this.maybeFinish()
    }
  }

  // ---- both models -------------------------------------------------------------------------

  private send(slot: RequestSlot, intendedMs: number): void {
    slot.intendedMs = intendedMs
    slot.sentMs = Number.NaN
    slot.status = 0
    slot.busy = true
    slot.abort = undefined
    this.inFlight++
    this.counters.sent++
    let request: Dispatcher.DispatchOptions
    const journey = slot.journey
    if (journey) request = this.factory.step(journey.scenario, journey.step, journey, cookieHeader(journey.cookies))
    else {
      request = this.factory.next()
      slot.scenario = this.factory.scenario
      if (this.hasJourneys) this.beginJourney(slot)
    }
    if (this.http2) {
      const connection = slot.connection
      if (++connection.streams > this.maxStreams) this.maxStreams = connection.streams
    }
    if (this.balancer) {
      const target = this.balancer.choose(slot.index, request)
      slot.target = target
      ;(this.balancer.inFlight[target] as number)++
      this.clientFor(slot.connection, target).dispatch(request, slot)
    } else (slot.connection.clients[0] as EngineClient).dispatch(request, slot)
  }

  /** A balanced run's bookkeeping when a request ends: its target has one fewer outstanding. */
  private released(slot: RequestSlot): Tally | undefined {
    if (this.http2) slot.connection.streams--
    if (!this.balancer) return undefined
    ;(this.balancer.inFlight[slot.target] as number)--
    return slot.intendedMs < this.measureFromMs ? undefined : this.targetTallies[slot.target]
  }

  /** Reads a sampled response's Date header into the clock-offset bounds (HTTP dates have whole seconds). */
  sampleClock(slot: RequestSlot, headers: Buffer[] | string[] | null): void {
    this.clockCountdown = CLOCK_SAMPLE_EVERY
    if (!headers || Number.isNaN(slot.sentMs)) return
    for (let i = 0; i + 1 < headers.length; i += 2) {
      const name = headers[i] as Buffer | string
      if (name.length !== 4 || name.toString().toLowerCase() !== 'date') continue
      const serverMs = Date.parse((headers[i + 1] as Buffer | string).toString())
      if (!Number.isFinite(serverMs)) return
      const toEpoch = (ms: number) => this.startedAtEpochMs + (ms - this.originMs)
      addClockSample(this.clockBounds, serverMs, toEpoch(slot.sentMs), toEpoch(this.now()))
      return
    }
  }

  /** Called by a slot when its response has fully arrived. */
  complete(slot: RequestSlot): void {
    const endMs = this.now()
    slot.busy = false
    this.inFlight--
    const tally = this.released(slot)
    if (slot.intendedMs < this.measureFromMs) {
      this.counters.warmup++
      return this.continueAfter(slot, false)
    }
    this.counters.completed++
    const correctedMs = endMs - slot.intendedMs
    recordLatencyMs(this.corrected, correctedMs)
    recordLatencyMs(this.interval, correctedMs)
    recordLatencyMs(this.uncorrected, Number.isNaN(slot.sentMs) ? correctedMs : endMs - slot.sentMs)
    const status = slot.status
    if (tally) {
      tally.completed++
      if (status >= 400) tally.httpErrors++
      recordLatencyMs(tally.histogram, correctedMs)
    }
    const scenario = this.scenarioTallies[slot.scenario]
    if (scenario) {
      scenario.completed++
      if (status >= 400) scenario.httpErrors++
      recordLatencyMs(scenario.histogram, correctedMs)
    }
    const journey = slot.journey
    if (journey) {
      const step = this.stepTallies[journey.scenario]?.[journey.step] as StepTally
      step.completed++
      if (status >= 400) step.httpErrors++
      recordLatencyMs(step.histogram, correctedMs)
    }
    if (status >= 400) this.counters.httpErrors++
    if (status > 0 && status < 600) (this.statusCounts[status] as number)++
    this.continueAfter(slot, true)
  }

  // ---- journeys ----------------------------------------------------------------------------

  /** A new iteration picked a journey scenario: the slot becomes its virtual user. */
  private beginJourney(slot: RequestSlot): void {
    const steps = this.options.scenarios[slot.scenario]?.steps
    if (!steps) return
    const cookies = this.options.scenarios[slot.scenario]?.cookies === false ? undefined : new Map<string, string>()
    slot.journey = {
      scenario: slot.scenario,
      steps,
      step: 0,
      seq: this.factory.seq,
      row: this.factory.row,
      vars: {},
      cookies,
    }
    this.activeJourneys++
  }

  /** Whether a journey goes on: not once time is up or the user interrupts; a fixed amount's last journeys finish. */
  private journeysContinue(): boolean {
    return !this.stopping || (this.stopReason === 'completed' && !this.finishedGrace)
  }

  /** After a response: a journey judges, extracts and goes on (after its think time); anything else takes its next request. */
  private continueAfter(slot: RequestSlot, measured: boolean): void {
    const journey = slot.journey
    if (!journey) return this.next(slot)
    const step = journey.steps[journey.step] as JourneyStep
    const response = {
      status: slot.status,
      headers: slot.responseHeaders ?? undefined,
      body: slot.bodyChunks ? Buffer.concat(slot.bodyChunks).toString() : undefined,
    }
    slot.responseHeaders = null
    slot.bodyChunks = undefined
    slot.bodyBytes = 0
    let failed = false
    if (step.checks.length > 0) {
      const tally = this.stepTallies[journey.scenario]?.[journey.step] as StepTally
      judgeChecks(step.checks, response).forEach((passed, i) => {
        if (!passed) failed = true
        if (!measured) return
        const counts = tally.checks[i] as {passed: number; failed: number}
        if (passed) counts.passed++
        else counts.failed++
      })
    }
    applyResponse(step.extracts, response, journey.vars, journey.cookies)
    journey.step++
    if (!this.journeysContinue() || journey.step >= journey.steps.length || (failed && step.abortOnFailure))
      return this.endJourney(slot)
    const thinkMs = step.think ? step.think.minMs + this.random() * (step.think.maxMs - step.think.minMs) : 0
    if (thinkMs <= 0) return this.send(slot, this.now())
    slot.thinkTimer = setTimeout(() => {
      slot.thinkTimer = undefined
      if (this.journeysContinue()) this.send(slot, this.now())
      else this.endJourney(slot)
    }, thinkMs)
  }

  private endJourney(slot: RequestSlot): void {
    this.leaveJourney(slot)
    this.next(slot)
  }

  /** The slot's user leaves its journey (ended, failed in transport, or cut off). */
  private leaveJourney(slot: RequestSlot): void {
    if (!slot.journey) return
    slot.journey = undefined
    slot.responseHeaders = null
    slot.bodyChunks = undefined
    slot.bodyBytes = 0
    this.activeJourneys--
  }

  /** Called by a slot when its request failed in transport. */
  fail(slot: RequestSlot, error: Error): void {
    slot.busy = false
    this.inFlight--
    const tally = this.released(slot)
    if (this.stopping && this.finishedGrace) {
      this.counters.aborted++
      this.leaveJourney(slot)
      return this.maybeFinish()
    }
    const errorClass = classifyError(error)
    if (slot.intendedMs < this.measureFromMs) this.counters.warmup++
    else {
      this.counters.transportErrors++
      if (tally) tally.transportErrors++
      const scenario = this.scenarioTallies[slot.scenario]
      if (scenario) scenario.transportErrors++
      const journey = slot.journey
      if (journey) (this.stepTallies[journey.scenario]?.[journey.step] as StepTally).transportErrors++
      ;(this.errorCounts[ERROR_CLASSES.indexOf(errorClass)] as number)++
      this.countErrorCode(error)
    }
    // A journey cannot go on without its response: the user leaves.
    this.leaveJourney(slot)
    // undici may report synchronously from inside dispatch(); never recurse into it.
    const delayMs = isConnectFailure(errorClass) ? CONNECT_FAILURE_BACKOFF_MS : 0
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      this.next(slot)
    }, delayMs)
    this.timers.add(timer)
  }

  /** Counts a failure under its code (the reason a report can name), bounded in distinct codes. */
  private countErrorCode(error: Error): void {
    const raw = (error as {code?: unknown}).code
    let code = typeof raw === 'string' && raw !== '' ? raw : error.name || 'unknown'
    if (!this.errorCodeCounts.has(code) && this.errorCodeCounts.size >= MAX_ERROR_CODES - 1) code = 'other'
    this.errorCodeCounts.set(code, (this.errorCodeCounts.get(code) ?? 0) + 1)
  }

  /** Gives a slot its next request (closed model) or its next queued arrival (open model). */
  private next(slot: RequestSlot): void {
    if (this.load.model === 'closed') this.issueClosed(slot)
    else this.releaseOpen(slot)
  }

  private abandonQueue(): void {
    if (!this.queue) return
    this.counters.aborted += this.queue.length
    this.queue.clear()
  }

  /** A user thinking between steps leaves at once (nothing is in flight for it). */
  private cutJourney(slot: RequestSlot): void {
    if (!slot.thinkTimer) return
    clearTimeout(slot.thinkTimer)
    slot.thinkTimer = undefined
    this.leaveJourney(slot)
  }

  private abortInFlight(): void {
    this.finishedGrace = true
    for (const slot of this.slots) this.cutJourney(slot)
    this.abandonQueue()
    for (const client of this.clients) void client.destroy().catch(() => {})
    this.maybeFinish()
  }

  private maybeFinish(): void {
    if (!this.stopping || this.finished || this.inFlight > 0 || this.activeJourneys > 0) return
    this.finished = true
    void this.finish()
  }

  private async finish(): Promise<void> {
    const elapsedMs = Math.max(0, this.now() - this.originMs)
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    if (this.secondTimer) clearTimeout(this.secondTimer)
    if (this.sweepTimer) clearInterval(this.sweepTimer)
    this.closeSecond()
    const snapshot = this.snapshot()
    await Promise.all(this.clients.map((client) => client.destroy().catch(() => {})))
    const errors = {} as Record<ErrorClass, number>
    ERROR_CLASSES.forEach((name, i) => {
      errors[name] = this.errorCounts[i] as number
    })
    const statusCodes: Record<string, number> = {}
    this.statusCounts.forEach((count, status) => {
      if (count > 0) statusCodes[String(status)] = count
    })
    const result: EngineResult = {
      startedAtEpochMs: this.startedAtEpochMs,
      elapsedMs,
      measuredMs: Math.max(0, elapsedMs - (this.options.warmupMs ?? 0)),
      stopReason: this.stopReason,
      counters: snapshot.counters,
      errors,
      statusCodes,
      errorCodes: Object.fromEntries(this.errorCodeCounts),
      corrected: encodeHistogram(this.corrected),
      uncorrected: encodeHistogram(this.uncorrected),
      seconds: this.seconds,
    }
    if (this.startLagMs !== undefined) result.startLagMs = this.startLagMs
    if (this.clockBounds.samples > 0) result.clockBounds = this.clockBounds
    if (this.http2) result.maxStreamsPerConnection = this.maxStreams
    const sample = (t: Tally) => ({
      completed: t.completed,
      httpErrors: t.httpErrors,
      transportErrors: t.transportErrors,
      histogram: encodeHistogram(t.histogram),
    })
    if (this.balancer)
      result.targets = this.targetTallies.map((t, i) => ({origin: this.origins[i] as string, ...sample(t)}))
    if (this.scenarioTallies.length > 0) {
      result.scenarios = this.scenarioTallies.map((t, i) => {
        const scenario = this.options.scenarios[i]
        const out: ScenarioSample = {name: scenario?.name as string, ...sample(t)}
        if (scenario?.steps)
          out.steps = scenario.steps.map((step, j) => {
            const tally = this.stepTallies[i]?.[j] as StepTally
            return {
              name: step.name,
              ...sample(tally),
              checks: step.checks.map((check, k) => ({
                name: check.name,
                ...(tally.checks[k] as {passed: number; failed: number}),
              })),
            }
          })
        return out
      })
    }
    this.resolveDone?.(result)
  }

  // ---- timers ------------------------------------------------------------------------------

  /** Delay until origin + offsetMs: a thread that woke after a shared --start-at still ends on schedule. */
  private untilOriginPlus(offsetMs: number): number {
    return Math.max(0, this.originMs + offsetMs - this.now())
  }

  private after(delayMs: number, callback: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      callback()
    }, delayMs)
    this.timers.add(timer)
  }

  /**
   * undici checks its header and body timeouts about once a second, so a timeout below a second
   * would fire late or not at all. For those, one shared timer sweeps the slots a few times per
   * timeout and aborts a request that has been silent longer than the timeout, as undici would
   * (counted as a timeout). No timer per request.
   */
  private armTimeoutSweep(): void {
    const {timeoutMs} = this.options
    if (!this.sweepsTimeouts) return
    const sweep = setInterval(
      () => {
        const nowMs = this.now()
        for (const slot of this.slots) {
          if (!slot.busy || slot.abort === undefined || nowMs - slot.lastActivityMs <= timeoutMs) continue
          const abort = slot.abort
          slot.abort = undefined
          abort(
            Object.assign(
              new Error(`no ${slot.status === 0 ? 'response headers' : 'body data'} within ${timeoutMs} ms`),
              {code: slot.status === 0 ? 'UND_ERR_HEADERS_TIMEOUT' : 'UND_ERR_BODY_TIMEOUT'},
            ),
          )
        }
      },
      Math.max(MIN_SWEEP_MS, timeoutMs / 4),
    )
    // Kept through the graceful stop (stop() clears the other timers): the timeout still applies.
    this.sweepTimer = sweep
  }

  private armSecondTimer(): void {
    const dueMs = this.originMs + (this.secondIndex + 1) * SECOND_MS
    this.secondTimer = setTimeout(
      () => {
        this.closeSecond()
        this.armSecondTimer()
      },
      Math.max(0, dueMs - this.now()),
    )
  }

  /** Closes the current one-second interval into a sample and starts the next. */
  private closeSecond(): void {
    const {completed, transportErrors, httpErrors, dropped} = this.counters
    const errors = transportErrors + httpErrors
    this.seconds.push({
      second: this.secondIndex,
      durationMs: Math.min(SECOND_MS, Math.max(0, this.now() - this.originMs - this.secondIndex * SECOND_MS)),
      requests: completed - this.secondBase.requests,
      errors: errors - this.secondBase.errors,
      dropped: dropped - this.secondBase.dropped,
      histogram: encodeHistogram(this.interval),
    })
    const count = this.interval.totalCount
    this.lastSecond = {
      second: this.secondIndex,
      requests: completed - this.secondBase.requests,
      errors: errors - this.secondBase.errors,
      p50Ms: count === 0 ? Number.NaN : this.interval.getValueAtPercentile(50) / 1000,
      p90Ms: count === 0 ? Number.NaN : this.interval.getValueAtPercentile(90) / 1000,
      p99Ms: count === 0 ? Number.NaN : this.interval.getValueAtPercentile(99) / 1000,
      maxMs: count === 0 ? Number.NaN : this.interval.maxValue / 1000,
    }
    this.interval.reset()
    this.secondBase = {requests: completed, errors, dropped}
    this.secondIndex++
  }
}

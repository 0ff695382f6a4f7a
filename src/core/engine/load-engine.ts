/**
 * The request loop of one thread: its lifecycle (start, stop, graceful stop, finish), its slots and
 * connections, and the send and end of every request. It executes a validated RunOptions slice; it
 * never validates, prints or waits for a UI (the UI pulls `snapshot()`). When requests are due is
 * the load model's business (closed-model.ts, open-model.ts), what a virtual user does between
 * steps the journey runner's (journey-runner.ts), what is measured the recorder's (engine-recorder.ts).
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
import type {RunOptions} from './run-options.js'
import {classifyError, isConnectFailure, withSpecificCode} from './classify-error.js'
import type {StopReason} from '../../contracts/results/run-result.js'
import type {EngineSnapshot} from '../../contracts/results/engine-snapshot.js'
import {createRequestFactory, type RequestFactory} from './request-factory.js'
import {TargetBalancer} from './target-balancer.js'
import type {EngineClient} from './undici-client.js'
import {defaultEngineDeps, type EngineDeps} from './engine-deps.js'
import {addClockSample, dateHeaderMs, emptyClockBounds} from './clock-offset.js'
import {cookieHeader} from './journey.js'
import {createRandom} from '../../contracts/stats/random.js'
import {sliceSeed, WHOLE_RUN, type WorkSlice} from './work-slice.js'
import type {EngineExtra, EngineResult} from './engine-result.js'
import {EngineRecorder, SECOND_MS} from './engine-recorder.js'
import {EngineTimers} from './engine-timers.js'
import {abortSilent, RequestSlot, type Connection, type SlotOwner} from './request-slot.js'
import {ConnectionPool} from './connection-pool.js'
import type {LoadModel, ModelHost} from './load-model.js'
import {ClosedModel} from './closed-model.js'
import {OpenModel} from './open-model.js'
import {JourneyRunner, type JourneyHost} from './journey-runner.js'

export type {EngineResult} from './engine-result.js'

/** Every this many responses, the Date header is read to bound the target's clock offset (clock-offset.ts). */
const CLOCK_SAMPLE_EVERY = 32
/** Backoff of a closed-model slot after its connection failed, so a dead target is not spun on. */
const CONNECT_FAILURE_BACKOFF_MS = 10
/** undici's header and body timers tick about once a second; shorter timeouts need the engine's sweep. */
const UNDICI_TIMER_RESOLUTION_MS = 1000
const MIN_SWEEP_MS = 5

export class LoadEngine implements SlotOwner, ModelHost, JourneyHost {
  readonly now: () => number
  /** Responses until the next Date header is sampled. */
  clockCountdown = 1
  private readonly clockBounds = emptyClockBounds()
  /** The timeout is below undici's timer resolution, so the engine sweeps for silent requests. */
  readonly sweepsTimeouts: boolean
  /** This thread's part of the run (its segment, then its worker). */
  readonly slice: WorkSlice
  readonly slots: RequestSlot[] = []
  readonly spinBeforeDueMs: number
  private readonly options: RunOptions
  private readonly deps: EngineDeps
  private readonly factory: RequestFactory
  private readonly recorder: EngineRecorder
  private readonly model: LoadModel
  private readonly journeys: JourneyRunner
  private readonly hasJourneys: boolean

  private readonly pool: ConnectionPool
  private readonly balancer: TargetBalancer | undefined
  private readonly http2: boolean
  /** HTTP/2: the most streams open at once on one connection. */
  private maxStreams = 0

  originMs = 0
  /** Requests due before this moment are warm-up: sent but not measured. */
  measureFromMs = 0
  inFlight = 0
  stopping = false
  private startedAtEpochMs = 0
  private stopReason: StopReason = 'completed'
  private finished = false
  /** Set once the graceful stop has run out: failures after it are cut-offs, not errors. */
  private finishedGrace = false
  private resolveDone: ((result: EngineResult) => void) | undefined
  private readonly timers: EngineTimers
  /** How late this thread woke after --start-at. */
  private startLagMs: number | undefined
  private sweepTimer: NodeJS.Timeout | undefined

  constructor(options: RunOptions, workerIndex = 0, workerCount = 1, deps: EngineDeps = defaultEngineDeps) {
    this.options = options
    this.slice = {segment: options.segment ?? WHOLE_RUN, workerIndex, workerCount}
    this.deps = deps
    this.now = deps.now
    this.timers = new EngineTimers(deps.now)
    this.spinBeforeDueMs = deps.spinBeforeDueMs ?? 0
    this.sweepsTimeouts = options.timeoutMs < UNDICI_TIMER_RESOLUTION_MS
    const {scenarios, data, seed, timeoutMs, insecure} = options
    this.factory = createRequestFactory({scenarios, data, seed, slice: this.slice})
    const origins = options.targets?.map((t) => t.origin) ?? [options.origin]
    this.balancer = options.targets
      ? new TargetBalancer(
          options.targets,
          options.balance ?? {policy: 'round-robin'},
          sliceSeed(options.seed, this.slice),
        )
      : undefined
    this.http2 = options.http2 === true
    this.hasJourneys = options.scenarios.some((scenario) => scenario.steps !== undefined)
    this.recorder = new EngineRecorder(options.scenarios, this.balancer ? origins : [])
    const settings = {timeoutMs, insecure, http2: this.http2, useUndici: options.client === 'undici'}
    const {counters} = this.recorder
    this.pool = new ConnectionPool(deps.createClient, settings, origins, this.balancer !== undefined, counters)
    const random = createRandom(sliceSeed(options.seed, this.slice) + 1)
    this.journeys = new JourneyRunner(options.scenarios, this.factory, this.recorder, random, this)
    this.model =
      options.load.model === 'closed' ? new ClosedModel(this, options.load) : new OpenModel(this, options.load)
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
    this.originMs = this.now() + untilStartMs
    this.measureFromMs = this.originMs + (this.options.warmupMs ?? 0)
    this.startedAtEpochMs = startAtEpochMs ?? epochMs
    if (untilStartMs > 0) this.timers.atOffset(this.originMs, 0, () => this.begin())
    else this.begin()
    return done
  }

  private begin(): void {
    if (this.options.startAtEpochMs !== undefined) this.startLagMs = this.deps.epochNow() - this.options.startAtEpochMs
    this.timers.everySecond(this.recorder, this.originMs)
    this.armTimeoutSweep()
    this.model.start()
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
    this.model.halt()
    // Also the start, when it has not come yet.
    this.timers.clear()
    for (const slot of this.slots) {
      if (slot.timer) clearTimeout(slot.timer)
      // A fixed amount's journeys still think and finish; otherwise the users leave now.
      if (reason !== 'completed') this.journeys.cut(slot)
    }
    if (!drainQueue) this.abandonQueue()
    // A run of a fixed amount waits for its last responses (they end by the request timeout at
    // worst); a timed run gives them the graceful stop, whether its clock or its schedule ran out.
    const graceMs = reason === 'completed' ? this.options.timeoutMs + SECOND_MS : this.options.gracefulStopMs
    this.timers.after(graceMs, () => this.abortInFlight())
    this.maybeFinish()
  }

  snapshot(): EngineSnapshot {
    const elapsedMs = Math.max(0, this.now() - this.originMs)
    const counters = this.recorder.counters
    this.pool.countBytes()
    const target = this.model.target(elapsedMs)
    return {
      elapsedMs,
      lastSecond: this.recorder.lastSecond,
      statusClasses: this.recorder.statusClasses(),
      counters: {...counters},
      inFlight: this.inFlight,
      queued: this.model.queued,
      targetRatePerSec: target.ratePerSec,
      plannedDurationMs: target.durationMs,
    }
  }

  // ---- slots (the load models open them) ----------------------------------------------------

  newConnection(pipelining: number): Connection {
    return this.pool.connection(pipelining)
  }

  newSlot(connection: Connection): RequestSlot {
    const slot = new RequestSlot(this, connection, this.slots.length)
    this.slots.push(slot)
    return slot
  }

  dropped(): void {
    this.recorder.counters.dropped++
  }

  sentLate(lateMs: number, pollMs: number): void {
    this.recorder.sentLate(lateMs, pollMs)
  }

  // ---- one request: send, complete or fail --------------------------------------------------

  send(slot: RequestSlot, intendedMs: number): void {
    slot.intendedMs = intendedMs
    slot.sentMs = Number.NaN
    slot.status = 0
    slot.busy = true
    slot.abort = undefined
    this.inFlight++
    this.recorder.counters.sent++
    let request: Dispatcher.DispatchOptions
    const journey = slot.journey
    if (journey) request = this.factory.step(journey.scenario, journey.step, journey, cookieHeader(journey.cookies))
    else {
      request = this.factory.next()
      slot.scenario = this.factory.scenario
      if (this.hasJourneys) this.journeys.begin(slot)
    }
    if (this.http2) {
      const connection = slot.connection
      if (++connection.streams > this.maxStreams) this.maxStreams = connection.streams
    }
    if (this.balancer) {
      const target = this.balancer.choose(slot.index, request)
      slot.target = target
      ;(this.balancer.inFlight[target] as number)++
      this.pool.clientFor(slot.connection, target).dispatch(request, slot)
    } else (slot.connection.clients[0] as EngineClient).dispatch(request, slot)
  }

  /** A request ended: its stream and its target have one fewer outstanding. Whether its target's tally counts it. */
  private released(slot: RequestSlot): boolean {
    if (this.http2) slot.connection.streams--
    if (!this.balancer) return false
    ;(this.balancer.inFlight[slot.target] as number)--
    return slot.intendedMs >= this.measureFromMs
  }

  /** Reads a sampled response's Date header into the clock-offset bounds (HTTP dates have whole seconds). */
  sampleClock(slot: RequestSlot, headers: Buffer[] | string[] | null): void {
    this.clockCountdown = CLOCK_SAMPLE_EVERY
    if (!headers || Number.isNaN(slot.sentMs)) return
    const serverMs = dateHeaderMs(headers)
    if (serverMs === undefined) return
    const toEpoch = (ms: number) => this.startedAtEpochMs + (ms - this.originMs)
    addClockSample(this.clockBounds, serverMs, toEpoch(slot.sentMs), toEpoch(this.now()))
  }

  /** Called by a slot when its response has fully arrived. */
  complete(slot: RequestSlot): void {
    const endMs = this.now()
    slot.busy = false
    this.inFlight--
    const target = this.released(slot)
    const measured = slot.intendedMs >= this.measureFromMs
    if (!measured) this.recorder.counters.warmup++
    else {
      const correctedMs = endMs - slot.intendedMs
      this.recorder.response(slot, correctedMs, Number.isNaN(slot.sentMs) ? correctedMs : endMs - slot.sentMs, target)
    }
    if (slot.journey) this.journeys.afterResponse(slot, measured)
    else this.next(slot)
  }

  /** Called by a slot when its request failed in transport. */
  fail(slot: RequestSlot, error: Error): void {
    slot.busy = false
    this.inFlight--
    const target = this.released(slot)
    if (this.stopping && this.finishedGrace) {
      this.recorder.counters.aborted++
      this.journeys.leave(slot)
      return this.maybeFinish()
    }
    const specific = withSpecificCode(error)
    const errorClass = classifyError(specific)
    if (slot.intendedMs < this.measureFromMs) this.recorder.counters.warmup++
    else this.recorder.transportError(slot, specific, errorClass, target)
    // A journey cannot go on without its response: the user leaves.
    this.journeys.leave(slot)
    // undici may report synchronously from inside dispatch(); never recurse into it.
    this.timers.after(isConnectFailure(errorClass) ? CONNECT_FAILURE_BACKOFF_MS : 0, () => this.next(slot))
  }

  /** A free slot takes its next request from the load model. */
  next(slot: RequestSlot): void {
    this.model.next(slot)
  }

  journeysContinue(): boolean {
    return !this.stopping || (this.stopReason === 'completed' && !this.finishedGrace)
  }

  // ---- the end ----------------------------------------------------------------------------

  private abandonQueue(): void {
    this.recorder.counters.aborted += this.model.abandonQueue()
  }

  private abortInFlight(): void {
    this.finishedGrace = true
    for (const slot of this.slots) this.journeys.cut(slot)
    this.abandonQueue()
    void this.pool.destroy()
    this.maybeFinish()
  }

  maybeFinish(): void {
    if (!this.stopping || this.finished || this.inFlight > 0 || this.journeys.active > 0) return
    this.finished = true
    void this.finish()
  }

  private async finish(): Promise<void> {
    const elapsedMs = Math.max(0, this.now() - this.originMs)
    this.timers.clear()
    this.timers.stopSeconds()
    if (this.sweepTimer) clearInterval(this.sweepTimer)
    this.recorder.closeSecond(this.now() - this.originMs)
    const snapshot = this.snapshot()
    await this.pool.destroy()
    const extra: EngineExtra = this.pool.clientSummary()
    if (this.startLagMs !== undefined) extra.startLagMs = this.startLagMs
    if (this.clockBounds.samples > 0) extra.clockBounds = this.clockBounds
    if (this.http2) extra.maxStreamsPerConnection = this.maxStreams
    const result = this.recorder.result(
      {
        startedAtEpochMs: this.startedAtEpochMs,
        elapsedMs,
        measuredMs: Math.max(0, elapsedMs - (this.options.warmupMs ?? 0)),
        stopReason: this.stopReason,
        counters: snapshot.counters,
      },
      extra,
    )
    this.resolveDone?.(result)
  }

  // ---- timers ------------------------------------------------------------------------------

  /** At origin + offsetMs: a thread that woke after a shared --start-at still ends on schedule. */
  atOffset(offsetMs: number, callback: () => void): void {
    this.timers.atOffset(this.originMs, offsetMs, callback)
  }

  /**
   * undici checks its header and body timeouts about once a second, so a timeout below a second
   * would fire late or not at all. For those, one shared timer sweeps the slots a few times per
   * timeout and aborts a request that has been silent longer than the timeout, as undici would
   * (counted as a timeout). No timer per request. Longer timeouts are undici's, but the sweep
   * still ends requests that got no final headers in time: undici's header timer restarts on
   * each informational (1xx) response.
   */
  private armTimeoutSweep(): void {
    const {timeoutMs} = this.options
    const headersOnly = !this.sweepsTimeouts
    const sweep = setInterval(
      () => abortSilent(this.slots, timeoutMs, this.now(), headersOnly),
      Math.max(MIN_SWEEP_MS, timeoutMs / 4),
    )
    // Kept through the graceful stop (stop() clears the other timers): the timeout still applies.
    this.sweepTimer = sweep
  }
}

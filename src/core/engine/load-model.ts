/**
 * The two load models behind one interface, the way k6 separates its executors from the engine: a
 * model decides when each request is due and which slot sends it; the engine (load-engine.ts) owns
 * the slots, sends, records and stops. closed-model.ts: connections kept busy (optionally under a
 * wrk2-style rate cap); open-model.ts: arrivals on a schedule, whether or not earlier ones finished.
 */
import type {StopReason} from '../../contracts/results/run-result.js'
import type {WorkSlice} from './work-slice.js'
import type {RequestSlot} from './request-slot.js'

/**
 * What a model needs of a slot: its place among the slots, its schedule under a rate cap, and its
 * connection's count of slots. HTTP requests (request-slot.ts) and sessions (session-engine.ts) both are one.
 */
export interface ModelSlot {
  readonly index: number
  scheduleIndex: number
  timer: NodeJS.Timeout | undefined
  readonly connection: {slots: number}
}

/** What a model drives: the engine's clock, slots, sending and stopping. */
export interface ModelHost<S extends ModelSlot = RequestSlot> {
  readonly slice: WorkSlice
  readonly slots: readonly S[]
  /** The run's origin on the monotonic clock. */
  readonly originMs: number
  /** Requests due before this moment are warm-up: sent but not measured. */
  readonly measureFromMs: number
  readonly stopping: boolean
  readonly inFlight: number
  now(): number
  /** A new connection for `perConnection` slots (pipelined requests or HTTP/2 streams). */
  newConnection(perConnection: number): S['connection']
  /** A new slot on `connection`, added to `slots`. */
  newSlot(connection: S['connection']): S
  send(slot: S, intendedMs: number): void
  stop(reason: StopReason, drainQueue?: boolean): void
  maybeFinish(): void
  /** Runs `callback` at origin + offsetMs (at once if that has passed); cleared by a stop. */
  atOffset(offsetMs: number, callback: () => void): void
  /** An arrival was dropped: --max-in-flight requests were outstanding. */
  dropped(): void
  /**
   * How long before a due time the model stops sleeping on a timer and polls the event loop
   * instead (setImmediate): Node's timers fire whole milliseconds late. 0: timers only (a virtual clock).
   */
  readonly spinBeforeDueMs: number
  /** A measured arrival went out `lateMs` after its due time, straight from the schedule (not queued). */
  sentLate(lateMs: number, spinMs: number): void
}

export interface LoadModel<S extends ModelSlot = RequestSlot> {
  /** Opens the first connections and sends (or schedules) the first requests. */
  start(): void
  /** A slot is free again: it takes its next request (closed) or the next queued arrival (open). */
  next(slot: S): void
  /** Stops scheduling arrivals. */
  halt(): void
  /** Arrivals due but waiting for a slot. */
  readonly queued: number
  /** Empties the queue (a stop that does not drain it); returns how many arrivals were abandoned. */
  abandonQueue(): number
  /** This thread's share of the target rate at `elapsedMs`, and the planned duration, for the live view. */
  target(elapsedMs: number): {ratePerSec: number | undefined; durationMs: number | undefined}
}

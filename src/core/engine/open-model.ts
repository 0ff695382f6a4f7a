/**
 * The open model: arrivals on a schedule computed from one absolute origin (constant or ramping),
 * sent whether or not earlier requests finished. At most --max-in-flight are outstanding; an
 * arrival beyond that is counted as dropped, never queued silently. Arrivals waiting for a socket
 * are queued with their due time, so the wait shows in the corrected latency.
 */
import {arrivalOffsetMs, compileArrivalSchedule, rateAt, type ArrivalSchedule} from '../schedule/arrival-schedule.js'
import {TimeQueue} from '../../contracts/stats/time-queue.js'
import type {OpenLoad} from './run-options.js'
import type {LoadModel, ModelHost, ModelSlot} from './load-model.js'
import {globalIndex, sliceFraction, sliceShare} from './work-slice.js'

export class OpenModel<S extends ModelSlot> implements LoadModel<S> {
  private readonly schedule: ArrivalSchedule
  private readonly queue: TimeQueue
  private readonly maxOutstanding: number
  private readonly maxSlots: number
  private readonly freeSlots: S[] = []
  private arrivalIndex = 0
  private nextArrivalMs: number | undefined
  private arrivalTimer: NodeJS.Timeout | undefined
  private arrivalPoll: NodeJS.Immediate | undefined
  /** When polling for the next due time began (NaN when not polling): the poll's cost, reported. */
  private pollSinceMs = Number.NaN
  /** The schedule runs from start(): before it (waiting for --start-at) there is no target yet. */
  private started = false

  constructor(
    private readonly host: ModelHost<S>,
    private readonly load: OpenLoad,
  ) {
    this.schedule = compileArrivalSchedule(load.stages, load.startRatePerSec)
    this.maxSlots = sliceShare(load.connections, host.slice) * load.streams
    this.maxOutstanding = sliceShare(load.maxInFlight, host.slice)
    this.queue = new TimeQueue(this.maxOutstanding)
  }

  get queued(): number {
    return this.queue.length
  }

  start(): void {
    this.started = true
    this.nextArrivalMs = this.arrivalAt(0)
    if (Number.isFinite(this.schedule.totalDurationMs))
      this.host.atOffset(this.schedule.totalDurationMs, () => this.host.stop('duration', true))
    this.onArrivalTimer()
  }

  /** This thread takes its interleaved part (work-slice) of the one global schedule. */
  private arrivalAt(localIndex: number): number | undefined {
    const index = globalIndex(localIndex, this.host.slice)
    if (this.load.amount !== undefined && index >= this.load.amount) return undefined
    return arrivalOffsetMs(this.schedule, index)
  }

  private onArrivalTimer = (): void => {
    const host = this.host
    this.arrivalTimer = undefined
    this.arrivalPoll = undefined
    if (host.stopping) return
    const nowMs = host.now()
    const elapsedMs = nowMs - host.originMs
    let pollMs = 0
    if (this.nextArrivalMs !== undefined && this.nextArrivalMs <= elapsedMs && !Number.isNaN(this.pollSinceMs)) {
      pollMs = nowMs - this.pollSinceMs
      this.pollSinceMs = Number.NaN
    }
    while (this.nextArrivalMs !== undefined && this.nextArrivalMs <= elapsedMs) {
      const intendedMs = host.originMs + this.nextArrivalMs
      if (host.inFlight + this.queue.length >= this.maxOutstanding) {
        if (intendedMs >= host.measureFromMs) host.dropped()
      } else {
        const slot = this.acquireSlot()
        if (slot) {
          if (intendedMs >= host.measureFromMs) host.sentLate(nowMs - intendedMs, pollMs)
          pollMs = 0
          host.send(slot, intendedMs)
        } else this.queue.push(intendedMs)
      }
      this.nextArrivalMs = this.arrivalAt(++this.arrivalIndex)
    }
    if (this.nextArrivalMs === undefined) {
      // A fixed amount is complete. A timed schedule's last arrival falls just before its end; the
      // duration timer then stops it, draining the queue within the graceful stop.
      if (this.load.amount !== undefined) host.stop('completed')
      return
    }
    const delayMs = this.nextArrivalMs - (host.now() - host.originMs)
    if (delayMs > host.spinBeforeDueMs) {
      // Asleep until just before the due time; with no polling, until the due time itself.
      this.arrivalTimer = setTimeout(this.onArrivalTimer, delayMs - host.spinBeforeDueMs)
    } else {
      // The last stretch: poll once per event-loop turn, I/O included, so the arrival goes out
      // within a turn of its due time instead of up to a millisecond and more after it.
      if (Number.isNaN(this.pollSinceMs)) this.pollSinceMs = host.now()
      this.arrivalPoll = setImmediate(this.onArrivalTimer)
    }
  }

  private acquireSlot(): S | undefined {
    const free = this.freeSlots.pop()
    if (free) return free
    const host = this.host
    if (host.slots.length >= this.maxSlots) return undefined
    // HTTP/2: up to `streams` slots share a connection; HTTP/1.1: a connection per slot.
    const {streams} = this.load
    const last = host.slots.at(-1)?.connection
    const connection = last && last.slots < streams ? last : host.newConnection(streams)
    connection.slots++
    return host.newSlot(connection)
  }

  next(slot: S): void {
    if (this.queue.length > 0) this.host.send(slot, this.queue.shift())
    else {
      this.freeSlots.push(slot)
      this.host.maybeFinish()
    }
  }

  halt(): void {
    if (this.arrivalTimer) clearTimeout(this.arrivalTimer)
    if (this.arrivalPoll) clearImmediate(this.arrivalPoll)
  }

  abandonQueue(): number {
    const abandoned = this.queue.length
    this.queue.clear()
    return abandoned
  }

  target(elapsedMs: number): {ratePerSec: number | undefined; durationMs: number | undefined} {
    const {schedule} = this
    if (!this.started) return {ratePerSec: undefined, durationMs: undefined}
    return {
      ratePerSec: rateAt(schedule, elapsedMs) * sliceFraction(this.host.slice),
      durationMs: Number.isFinite(schedule.totalDurationMs) ? schedule.totalDurationMs : undefined,
    }
  }
}

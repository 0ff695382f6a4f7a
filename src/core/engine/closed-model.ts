/**
 * The closed model: `connections` × `pipelining` slots, each sending its next request when the
 * previous answer arrives. Under a rate cap every slot follows its own schedule (wrk2), phases
 * staggered across the interval, and latency is measured from when the request was due.
 */
import type {ClosedLoad} from './run-options.js'
import type {LoadModel, ModelHost, ModelSlot} from './load-model.js'
import {sliceShare} from './work-slice.js'

export class ClosedModel<S extends ModelSlot> implements LoadModel<S> {
  readonly queued = 0
  private issued = 0
  private amountLimit = Number.POSITIVE_INFINITY
  /** Under a rate cap: the interval between one slot's requests. */
  private slotIntervalMs = 0

  constructor(
    private readonly host: ModelHost<S>,
    private readonly load: ClosedLoad,
  ) {}

  start(): void {
    const {host, load} = this
    const connections = sliceShare(load.connections, host.slice)
    if (load.amount !== undefined) this.amountLimit = sliceShare(load.amount, host.slice)
    const slotCount = connections * load.pipelining
    if (load.ratePerSec !== undefined) {
      // wrk2-style: every slot follows its own schedule, phases staggered across the interval.
      const threadRate = (load.ratePerSec * connections) / load.connections
      this.slotIntervalMs = (slotCount / threadRate) * 1000
    }
    for (let c = 0; c < connections; c++) {
      const connection = host.newConnection(load.pipelining)
      for (let p = 0; p < load.pipelining; p++) host.newSlot(connection)
    }
    if (load.durationMs !== undefined) host.atOffset(load.durationMs, () => host.stop('duration'))
    for (const slot of host.slots) this.next(slot)
  }

  next(slot: S): void {
    const host = this.host
    if (host.stopping) return host.maybeFinish()
    if (this.issued >= this.amountLimit) return host.stop('completed')
    let intendedMs: number
    if (this.slotIntervalMs > 0) {
      const phaseMs = (slot.index / host.slots.length) * this.slotIntervalMs
      intendedMs = host.originMs + phaseMs + slot.scheduleIndex * this.slotIntervalMs
      const waitMs = intendedMs - host.now()
      if (waitMs > 0) {
        slot.timer = setTimeout(() => {
          slot.timer = undefined
          this.next(slot)
        }, waitMs)
        return
      }
      slot.scheduleIndex++
    } else intendedMs = host.now()
    this.issued++
    host.send(slot, intendedMs)
  }

  halt(): void {}

  abandonQueue(): number {
    return 0
  }

  target(): {ratePerSec: number | undefined; durationMs: number | undefined} {
    const {load, host} = this
    // This thread's part of the rate: the workers' snapshots add up to the process's.
    const ratePerSec =
      load.ratePerSec === undefined
        ? undefined
        : (load.ratePerSec * sliceShare(load.connections, host.slice)) / load.connections
    return {ratePerSec, durationMs: load.durationMs}
  }
}

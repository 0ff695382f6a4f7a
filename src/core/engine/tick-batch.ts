/**
 * Runs its work once on the next tick however often it is asked for during this one: the raw
 * clients gather what one turn of the event loop produces (requests, frames) into one write.
 */
// Imported, not the global: globalThis.process is an accessor, a getter call on every use.
import {nextTick} from 'node:process'

export class TickBatch {
  private due = false

  constructor(private readonly work: () => void) {}

  request(): void {
    if (this.due) return
    this.due = true
    nextTick(() => {
      this.due = false
      this.work()
    })
  }
}

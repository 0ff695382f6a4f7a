/**
 * The timers of one engine thread (load-engine.ts, session-engine.ts): one-shots that a stop
 * clears together, and the per-second sample closed on each second from the run's origin.
 */
import {SECOND_MS, type EngineRecorder} from './engine-recorder.js'

export class EngineTimers {
  private readonly pending = new Set<NodeJS.Timeout>()
  private secondTimer: NodeJS.Timeout | undefined

  constructor(private readonly now: () => number) {}

  after(delayMs: number, callback: () => void): void {
    const timer = setTimeout(() => {
      this.pending.delete(timer)
      callback()
    }, delayMs)
    this.pending.add(timer)
  }

  /**
   * At origin + offsetMs: a thread that woke after a shared --start-at still ends on schedule.
   * Node counts timers in whole milliseconds of the event loop's clock, so one can fire up to a
   * millisecond before performance.now() reaches its due time (a --start-at begin was measured
   * 0.195 ms early): what is left is waited for again. (A start fired early made the first
   * requests look due before the origin, and counted them as warm-up.)
   */
  atOffset(originMs: number, offsetMs: number, callback: () => void): void {
    const dueMs = originMs + offsetMs
    this.after(Math.max(0, dueMs - this.now()), () =>
      this.now() < dueMs ? this.atOffset(originMs, offsetMs, callback) : callback(),
    )
  }

  /** Clears the one-shots (a stop); the seconds go on until `stopSeconds`. */
  clear(): void {
    for (const timer of this.pending) clearTimeout(timer)
    this.pending.clear()
  }

  /** Closes the recorder's current second at each whole second from `originMs`. */
  everySecond(recorder: EngineRecorder, originMs: number): void {
    const dueMs = originMs + (recorder.nextSecond + 1) * SECOND_MS
    this.secondTimer = setTimeout(
      () => {
        recorder.closeSecond(this.now() - originMs)
        this.everySecond(recorder, originMs)
      },
      Math.max(0, dueMs - this.now()),
    )
  }

  stopSeconds(): void {
    if (this.secondTimer) clearTimeout(this.secondTimer)
  }
}

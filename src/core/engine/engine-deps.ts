/** What the engine takes from outside: its clocks and its connections, so engine tests can run on a virtual clock. */
// Imported rather than the global: globalThis.performance is an accessor, read on every call (one
// clock read per send, response and completion).
import {performance} from 'node:perf_hooks'
import {createRawHttp1Client} from './raw-http1-client.js'
import {createRawHttp2Client} from './raw-http2-client.js'
import {createUndiciClient, type EngineClient, type EngineClientOptions} from './undici-client.js'

export interface EngineDeps {
  /** Monotonic clock in milliseconds. */
  now(): number
  /** Wall clock, for the result's start time only. */
  epochNow(): number
  /** Opens a connection (undici in production, a fake with a virtual clock in engine tests). */
  createClient(options: EngineClientOptions): EngineClient
  /**
   * The open model polls the event loop for this long before each due time instead of trusting a
   * timer (see ModelHost.spinBeforeDueMs); absent or 0 on a virtual clock.
   */
  spinBeforeDueMs?: number
}

/**
 * Node's timers fire up to a millisecond and more after their time (whole-millisecond loop time):
 * at 2,000/s against nginx that was 0.8 ms of generator delay in every corrected latency.
 */
export const SPIN_BEFORE_DUE_MS = 1

export const defaultEngineDeps: EngineDeps = {
  now: () => performance.now(),
  epochNow: () => Date.now(),
  createClient: (options) =>
    options.useUndici === true
      ? createUndiciClient(options)
      : options.http2 === true
        ? createRawHttp2Client(options)
        : createRawHttp1Client(options),
  spinBeforeDueMs: SPIN_BEFORE_DUE_MS,
}

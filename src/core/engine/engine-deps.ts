/** What the engine takes from outside: its clocks and its connections, so engine tests can run on a virtual clock. */
import {createUndiciClient, type EngineClient, type EngineClientOptions} from './undici-client.js'

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

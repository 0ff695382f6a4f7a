/**
 * How a command watches and steers load while it runs, without src/app knowing about terminals:
 * the command (src/cli) supplies these hooks; the application calls them at the right moments.
 */
import type {EngineSnapshot} from '../contracts/results/engine-snapshot.js'
import type {Stage} from '../core/schedule/arrival-schedule.js'

export interface LiveView {
  /** The current counters and last second's latency. */
  snapshot(): EngineSnapshot
  /** A title and finished-step lines for views that show more than one run (capacity). */
  extra?(): {title?: string; notes?: string[]}
  /** Ends the load early, as Ctrl-C would; called again, cuts off the in-flight requests. */
  stop(): void
}

export interface LoadLive {
  /** Aborting it stops the load; what was measured so far is still returned. */
  signal?: AbortSignal
  /** Aborting it after `signal` cuts off the in-flight requests instead of waiting for them. */
  cutOff?: AbortSignal
  /** Progress for stderr. */
  log(line: string): void
  /** After every input was checked and before load starts (a dashboard draws its first frame here). */
  beforeStart?(plan: {title: string; stages: Stage[]}): Promise<void>
  /** Once load runs. */
  onStart?(view: LiveView): void
  /** After the load, before the result is returned (live views are taken down). */
  afterRun?(): Promise<void>
}

/** Calls `stop` when the signal aborts; returns the function that stops listening. */
export function onAbort(signal: AbortSignal | undefined, stop: () => void): () => void {
  if (!signal) return () => {}
  signal.addEventListener('abort', stop, {once: true})
  return () => signal.removeEventListener('abort', stop)
}

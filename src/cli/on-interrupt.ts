/**
 * Ctrl-C, SIGTERM and SIGHUP (the terminal closed) while work is running. The first aborts `signal`: the work stops gracefully
 * and still returns what it has. With `cutOffMessage`, the second aborts `cutOff` (a load test then
 * cuts off its in-flight requests at once and still writes its result); the next exits at once.
 */
import {EXIT} from '../contracts/errors.js'

export interface Interrupt {
  signal: AbortSignal
  /** Aborted by the second signal when the work can be hurried (see onInterrupt). */
  cutOff: AbortSignal
  /** Removes the handlers. */
  dispose(): void
}

/** Every signal that ends a process by default and that a terminal or a supervisor sends. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/** Installs the handlers; `message` is printed on the first signal, `cutOffMessage` on the second. */
export function onInterrupt(message: string, cutOffMessage?: string): Interrupt {
  const stop = new AbortController()
  const cutOff = new AbortController()
  const handler = () => {
    if (!stop.signal.aborted) {
      process.stderr.write(`\n${message}\n`)
      stop.abort()
    } else if (cutOffMessage !== undefined && !cutOff.signal.aborted) {
      process.stderr.write(`\n${cutOffMessage}\n`)
      cutOff.abort()
    } else process.exit(EXIT.interrupted)
  }
  for (const name of SIGNALS) process.on(name, handler)
  return {
    signal: stop.signal,
    cutOff: cutOff.signal,
    dispose() {
      for (const name of SIGNALS) process.off(name, handler)
    },
  }
}

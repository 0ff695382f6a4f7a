/**
 * Ctrl-C and SIGTERM while work is running: the first aborts the signal, so the work stops
 * gracefully and still returns what it has; a second one exits at once.
 */
import {EXIT} from '../errors.js'

export interface Interrupt {
  signal: AbortSignal
  /** Removes the handlers. */
  dispose(): void
}

/** Installs the handlers; `message` is printed on the first signal. */
export function onInterrupt(message: string): Interrupt {
  const controller = new AbortController()
  const handler = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted)
    process.stderr.write(`\n${message}\n`)
    controller.abort()
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler)
      process.off('SIGTERM', handler)
    },
  }
}

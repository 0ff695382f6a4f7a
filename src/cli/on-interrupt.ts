/**
 * Ctrl-C and SIGTERM while load is running: the first asks the work to stop gracefully (it then
 * prints and writes what it has); a second one exits at once.
 */
import {EXIT} from './exit-codes.js'

/** Installs the handlers; returns a function that removes them. */
export function onInterrupt(stop: () => void, message: string): () => void {
  let interrupted = false
  const handler = () => {
    if (interrupted) process.exit(EXIT.interrupted)
    interrupted = true
    process.stderr.write(`\n${message}\n`)
    stop()
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return () => {
    process.off('SIGINT', handler)
    process.off('SIGTERM', handler)
  }
}

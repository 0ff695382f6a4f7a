/**
 * Writes progress lines to stderr while a run goes: every second, redrawn in place, on a TTY;
 * at most every 10 s as plain lines otherwise (CI logs stay short).
 */
import type {EngineSnapshot} from '../contracts/results/engine-snapshot.js'
import {formatProgressLine, type ProgressState} from '../report/progress-line.js'
import {progressLines} from './progress-lines.js'

const TTY_INTERVAL_MS = 1000
const PLAIN_INTERVAL_MS = 10_000

export interface ProgressReporter {
  stop(): void
}

export function startProgressReporter(
  snapshot: () => EngineSnapshot,
  stream: NodeJS.WriteStream,
  interactive: boolean,
): ProgressReporter {
  const state: ProgressState = {previousCompleted: 0, previousElapsedMs: 0}
  const lines = progressLines(stream, interactive)
  const timer = setInterval(
    () => {
      const current = snapshot()
      const line = formatProgressLine(current, state)
      state.previousCompleted = current.counters.completed
      state.previousElapsedMs = current.elapsedMs
      lines.show(line)
    },
    interactive ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS,
  )
  timer.unref()
  return {
    stop() {
      clearInterval(timer)
      lines.end()
    },
  }
}

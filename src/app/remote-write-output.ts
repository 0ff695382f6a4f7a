/**
 * `--out prometheus-rw=URL`: pushes the run's live series every few seconds while it runs and its
 * final totals when it ends. A receiver that is down costs a warning, never the run or its result.
 */
import {createRemoteWriter} from '../adapters/io/prometheus-remote-write.js'
import {finalSeries, liveSeries} from '../report/remote-write-metrics.js'
import type {EngineSnapshot} from '../contracts/results/engine-snapshot.js'
import type {RunResult} from '../contracts/results/run-result.js'

/** k6's default push interval for the same output. */
export const REMOTE_WRITE_INTERVAL_MS = 5000

export interface RemoteWriteOutput {
  /** Stops the periodic pushes and sends the final series; resolves with warnings. */
  finish(result: RunResult): Promise<string[]>
}

export function startRemoteWrite(input: {
  url: string
  labels: Record<string, string>
  snapshot: () => EngineSnapshot
  intervalMs?: number
}): RemoteWriteOutput {
  const writer = createRemoteWriter(input.url)
  const warnings: string[] = []
  let pushing: Promise<void> = Promise.resolve()
  let busy = false
  const push = () => {
    if (busy) return
    busy = true
    pushing = writer.push(liveSeries(input.snapshot(), input.labels), Date.now()).then((failure) => {
      busy = false
      // The first failure is reported; a receiver that stays down would otherwise repeat it every push.
      if (failure && warnings.length === 0) warnings.push(`warning: live metrics not sent to Prometheus: ${failure}`)
    })
  }
  const timer = setInterval(push, input.intervalMs ?? REMOTE_WRITE_INTERVAL_MS)
  timer.unref()
  return {
    async finish(result) {
      clearInterval(timer)
      await pushing
      // A millisecond after any live push, so the final sample is the newest of each series.
      const failure = await writer.push(finalSeries(result, input.labels), Date.now() + 1)
      if (failure)
        warnings.push(`warning: the final metrics were not sent to Prometheus (the result file has them): ${failure}`)
      return warnings
    },
  }
}

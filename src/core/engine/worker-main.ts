/**
 * Entry point of a load worker thread: runs its slice of the load and posts snapshots and the
 * final result (histograms encoded) to the main thread.
 */
import {parentPort, workerData} from 'node:worker_threads'
import type {RunOptions} from './run-options.js'
import type {EngineResult} from './load-engine.js'
import {createEngine} from './run-load.js'
import type {EngineSnapshot} from '../../contracts/results/engine-snapshot.js'
import type {StopReason} from '../../contracts/results/run-result.js'

export interface WorkerData {
  options: RunOptions
  index: number
  count: number
  snapshotIntervalMs: number
}

export type WorkerMessage = {type: 'snapshot'; snapshot: EngineSnapshot} | {type: 'done'; result: EngineResult}

if (parentPort) {
  const port = parentPort
  const data = workerData as WorkerData
  const engine = createEngine(data.options, data.index, data.count)
  port.on('message', (message: {type: 'stop'; reason: StopReason}) => {
    if (message.type === 'stop') engine.stop(message.reason)
  })
  const ticker = setInterval(
    () => port.postMessage({type: 'snapshot', snapshot: engine.snapshot()} satisfies WorkerMessage),
    data.snapshotIntervalMs,
  )
  const result = await engine.run()
  clearInterval(ticker)
  port.postMessage({type: 'done', result} satisfies WorkerMessage)
  port.close()
}

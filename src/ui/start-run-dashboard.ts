/** Starts the dashboard thread and feeds it snapshots; handles q and Ctrl-C on the main thread. */
import {Worker} from 'node:worker_threads'
import type {EngineSnapshot} from '../contracts/results/engine-snapshot.js'
import type {Stage} from '../core/schedule/arrival-schedule.js'
import type {DashboardMessage, DashboardWorkerData} from './dashboard-worker.js'
import {preferProductionReact} from './load-ink.js'
import {UI_INTERVAL_MS} from './ui-interval.js'

/** `--dashboard auto|on|off`: auto means on a terminal, outside CI, without --quiet. */
export function wantsDashboard(mode: string | undefined, quiet: boolean): boolean {
  if (mode === 'on') return true
  if (mode === 'off') return false
  return Boolean(process.stderr.isTTY) && !process.env.CI && !quiet
}

export interface DashboardHandle {
  /** Resolves when the dashboard thread has drawn its first frame. */
  ready: Promise<void>
  /** Starts feeding snapshots (call once the run has started); `extra` adds a title and step lines. */
  attach(snapshot: () => EngineSnapshot, extra?: () => {title?: string; notes?: string[]}): void
  /** Draws the last frame and removes the live view; resolves when the terminal is free. */
  stop(): Promise<void>
}

export function startRunDashboard(options: {
  title: string
  stages: Stage[]
  onQuit: () => void
  stream: NodeJS.WriteStream & {fd?: number}
}): DashboardHandle {
  // The dashboard thread takes this process's environment: React's production build there too.
  preferProductionReact()
  const data: DashboardWorkerData = {
    title: options.title,
    stages: options.stages,
    fd: options.stream.fd ?? 2,
    columns: options.stream.columns ?? 80,
    rows: options.stream.rows ?? 24,
  }
  const worker = new Worker(new URL('./dashboard-worker.js', import.meta.url), {workerData: data})
  const post = (message: DashboardMessage) => worker.postMessage(message)
  const ready = new Promise<void>((resolve) => {
    worker.once('message', () => resolve())
    worker.once('error', () => resolve())
  })
  let snapshot: (() => EngineSnapshot) | undefined
  let timer: NodeJS.Timeout | undefined
  // Raw mode turns Ctrl-C into a key, so both keys are handled here.
  const stdin = process.stdin
  const onKey = (key: Buffer) => {
    const text = key.toString()
    if (text === 'q' || text === '\u0003') options.onQuit()
  }
  if (stdin.isTTY) {
    stdin.setRawMode(true)
    stdin.on('data', onKey)
    stdin.resume()
  }
  return {
    ready,
    attach(source, extra) {
      snapshot = source
      const send = () => post({type: 'snapshot', snapshot: source(), ...extra?.()})
      send()
      timer = setInterval(send, UI_INTERVAL_MS)
    },
    async stop() {
      clearInterval(timer)
      if (stdin.isTTY) {
        stdin.off('data', onKey)
        stdin.setRawMode(false)
        stdin.pause()
      }
      if (snapshot) post({type: 'snapshot', snapshot: snapshot()})
      const stopped = new Promise<void>((resolve) => {
        worker.once('message', () => resolve())
        worker.once('exit', () => resolve())
      })
      post({type: 'stop'})
      await stopped
      await worker.terminate()
    },
  }
}

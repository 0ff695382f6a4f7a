/**
 * The dashboard runs in its own thread, so that rendering (React, layout, terminal output) never
 * takes time from the load engine's event loop. It writes straight to the terminal's file
 * descriptor; the main thread only posts a snapshot ten times a second and handles the keys.
 */
import {createWriteStream} from 'node:fs'
import {parentPort, workerData} from 'node:worker_threads'
import {render} from 'ink'
import type {EngineSnapshot} from '../contracts/results/engine-snapshot.js'
import type {Stage} from '../core/schedule/arrival-schedule.js'
import {RunDashboardApp, type DashboardUpdate} from './run-dashboard.js'

export interface DashboardWorkerData {
  title: string
  stages: Stage[]
  fd: number
  columns: number
  rows: number
}

/** A snapshot, optionally with a new title and lines to keep above the live view (capacity steps). */
export type DashboardMessage =
  {type: 'snapshot'; snapshot: EngineSnapshot; title?: string; notes?: string[]} | {type: 'stop'}

if (parentPort) {
  const port = parentPort
  const data = workerData as DashboardWorkerData
  const terminal = Object.assign(createWriteStream('', {fd: data.fd, autoClose: false}), {
    isTTY: true,
    columns: data.columns,
    rows: data.rows,
  })
  const listeners = new Set<(update: DashboardUpdate) => void>()
  const subscribe = (listener: (update: DashboardUpdate) => void) => {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }
  const instance = render(
    <RunDashboardApp title={data.title} stages={data.stages} columns={data.columns} subscribe={subscribe} />,
    {
      stdout: terminal as unknown as NodeJS.WriteStream,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 10,
    },
  )
  // Loading React, Ink and Yoga takes a moment: say when the first frame is up, so that the load
  // starts only then and the start-up cost does not land on the measured run.
  port.postMessage('ready')
  port.on('message', (message: DashboardMessage) => {
    if (message.type === 'snapshot') for (const listener of listeners) listener(message)
    else {
      instance.unmount()
      terminal.write('', () => {
        port.postMessage('stopped')
        port.close()
      })
    }
  })
}

/**
 * The terminal side of a running load test or capacity search: the live Ink dashboard on a
 * terminal, else progress lines on stderr; Ctrl-C stops the load gracefully, a second Ctrl-C cuts off
 * the in-flight requests (the result is still written), a third quits at once.
 */
import type {LiveView, LoadLive} from '../app/live-load.js'
import {startRunDashboard, wantsDashboard, type DashboardHandle} from '../ui/start-run-dashboard.js'
import {onInterrupt} from './on-interrupt.js'
import {startProgressReporter, type ProgressReporter} from './progress-reporter.js'

export interface WatchOptions {
  /** auto: the live dashboard on a terminal (not in CI, not with --quiet); on; off. */
  dashboard: string | undefined
  quiet: boolean
  /** Progress lines while the load runs (run); capacity logs its finished steps instead. */
  progressLines: boolean
  /** Printed on Ctrl-C. */
  stopMessage: string
}

export function watchLoad(options: WatchOptions): LoadLive & {dispose(): void} {
  const interrupt = onInterrupt(
    options.stopMessage,
    'Cutting off in-flight requests and writing what was measured (Ctrl-C again quits at once, without a result)…',
  )
  const useDashboard = wantsDashboard(options.dashboard, options.quiet)
  let dashboard: DashboardHandle | undefined
  let progress: ProgressReporter | undefined
  let view: LiveView | undefined
  const live: LoadLive & {dispose(): void} = {
    signal: interrupt.signal,
    cutOff: interrupt.cutOff,
    log: (line) => {
      if (!options.quiet) process.stderr.write(`${line}\n`)
    },
    onStart(started) {
      view = started
      if (dashboard) dashboard.attach(() => started.snapshot(), started.extra)
      else if (options.progressLines && !options.quiet)
        progress = startProgressReporter(
          () => started.snapshot(),
          process.stderr,
          Boolean(process.stderr.isTTY) && !process.env.CI,
        )
    },
    async afterRun() {
      progress?.stop()
      await dashboard?.stop()
    },
    dispose: () => interrupt.dispose(),
  }
  if (useDashboard) {
    live.beforeStart = async (plan) => {
      dashboard = startRunDashboard({
        title: plan.title,
        stages: plan.stages,
        onQuit: () => view?.stop(),
        stream: process.stderr,
      })
      await dashboard.ready
    }
  }
  return live
}

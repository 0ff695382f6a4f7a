/**
 * The monitor's live view for the command: keeps the recent CPU samples, computes the headroom
 * from each sample (report/monitor-views, the same function the text view uses) and hands the
 * view model to the Ink view, which loads only here.
 */
import {instantHeadroom} from '../report/monitor-views.js'
import {preferProductionReact} from '../ui/load-ink.js'

/** Samples the CPU trend shows. */
const HISTORY = 60

export async function startLiveMonitor(
  stdout: NodeJS.WriteStream,
): Promise<{onSample(sample: Readonly<Record<string, number>>, timeMs: number, vcpus: number): void; stop(): void}> {
  preferProductionReact()
  const {startMonitorView} = await import('../ui/monitor-view.js')
  const view = startMonitorView(stdout)
  const cpuHistory: number[] = []
  return {
    onSample(sample, timeMs, vcpus) {
      cpuHistory.push(sample['cpu.busy'] ?? 0)
      if (cpuHistory.length > HISTORY) cpuHistory.shift()
      view.update({
        sample,
        timeMs,
        vcpus,
        headroom: instantHeadroom(sample, vcpus),
        cpuHistory,
        columns: stdout.columns ?? 80,
      })
    },
    stop: () => view.stop(),
  }
}

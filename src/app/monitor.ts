/** `loadplan monitor` (sample this host into the SQLite history) and `loadplan monitor export`. */
import {resolveMonitorExportOptions, resolveMonitorOptions, type MonitorFlags} from '../config/monitor-options.js'
import {hostname} from 'node:os'
import {EXIT, InputError} from '../contracts/errors.js'
import {createFallbackSampler} from '../adapters/host/fallback-sampler.js'
import {readHostInventory} from '../adapters/host/inventory.js'
import {createLinuxSampler, type HostSampler} from '../adapters/host/linux-sampler.js'
import {runMonitor, type MonitorHooks} from '../adapters/host/run-monitor.js'
import type {HostInventory} from '../contracts/results/capacity-result.js'
import type {RollupRow} from '../contracts/stats/rollup.js'
import {isLiveWriter, MetricsStore} from '../adapters/store/metrics-store.js'
import type {AppResult} from './app-result.js'
import {onAbort} from './live-load.js'

export interface MonitorLive extends MonitorHooks {
  /** Aborting it stops sampling; the current period is written first. */
  signal?: AbortSignal
  /** Progress for stderr. */
  log(line: string): void
  /** Called once the host is known, before the first sample (the live view needs its size). */
  onStart?(inventory: HostInventory): void
}

export interface MonitorSummary {
  db: string
  periodsWritten: number
  samples: number
  inventory: HostInventory
  sampler: string
}

export async function monitorHost(
  flags: MonitorFlags,
  live: MonitorLive,
  platform: NodeJS.Platform,
): Promise<AppResult<MonitorSummary>> {
  const options = resolveMonitorOptions(flags)
  const store = new MetricsStore(options.db)
  let refresh: NodeJS.Timeout | undefined
  const startedAtMs = Date.now()
  const holder = store.claimWriter(
    {pid: process.pid, host: hostname(), startedAtMs, renewedAtMs: startedAtMs, rollupMs: options.rollupMs},
    (lease) => isLiveWriter(lease, Date.now()),
  )
  if (holder) {
    store.close()
    const since = new Date(holder.startedAtMs).toISOString().replace(/\.\d+Z$/, 'Z')
    throw new InputError(`Cannot monitor into ${options.db}:`, [
      {
        field: '--db',
        value: options.db,
        message: `another loadplan monitor (pid ${holder.pid} on ${holder.host}, since ${since}) is writing to it; stop that one, or give this one its own --db`,
      },
    ])
  }
  try {
    let sampler: HostSampler
    if (platform === 'linux') sampler = createLinuxSampler()
    else {
      const fallback = createFallbackSampler()
      await fallback.refresh()
      refresh = setInterval(() => void fallback.refresh(), options.intervalMs)
      sampler = fallback
    }
    const inventory = await readHostInventory()
    store.setMeta('inventory', inventory)
    store.setMeta('sampler', sampler.method)
    const history = store.summary()
    live.log(
      `monitoring ${inventory.vCpus} vCPUs, ${inventory.memoryGiB} GiB (${inventory.cpuModel}, ${inventory.os}) every ${options.intervalText}, ${options.rollupText} rollups into ${options.db}${history.periods > 0 ? ` (appending to ${history.periods} stored periods)` : ''}; ${sampler.method}`,
    )
    for (const note of sampler.notes) live.log(`note: ${note}`)
    live.onStart?.(inventory)
    const handle = runMonitor(
      sampler,
      store,
      {
        intervalMs: options.intervalMs,
        rollupMs: options.rollupMs,
        durationMs: options.durationMs,
        retentionMs: options.retentionMs,
        trafficLogFile: options.trafficLog,
      },
      {onSample: live.onSample, onPeriod: live.onPeriod},
    )
    const unlisten = onAbort(live.signal, () => handle.stop())
    const {failure, ...result} = await handle.done.finally(unlisten)
    live.log(`stored ${result.periodsWritten} periods from ${result.samples} samples`)
    if (failure !== undefined) {
      if (!(failure instanceof InputError)) throw failure
      throw new InputError(
        `Stopped monitoring into ${options.db}:`,
        failure.problems.map((p) => ({
          ...p,
          message: `${p.message}; the ${result.periodsWritten} periods stored before are kept`,
        })),
      )
    }
    return {document: {db: options.db, ...result, inventory, sampler: sampler.method}, warnings: [], exitCode: EXIT.ok}
  } finally {
    if (refresh) clearInterval(refresh)
    store.releaseWriter(process.pid)
    store.close()
  }
}

export function exportRecording(
  flags: {db: string; format: string; json?: boolean; metric?: string; since?: string},
  nowMs: number,
): AppResult<{rows: RollupRow[]; format: 'csv' | 'json'}> {
  const options = resolveMonitorExportOptions(flags)
  const store = new MetricsStore(options.db, {readonly: true})
  try {
    const rows = store.read({
      metricPrefix: options.metric,
      sinceMs: options.sinceMs === undefined ? 0 : nowMs - options.sinceMs,
    })
    return {document: {rows, format: options.format}, warnings: [], exitCode: EXIT.ok}
  } finally {
    store.close()
  }
}

/** `loadplan monitor` and `loadplan monitor export`. */
import {homedir} from 'node:os'
import {join} from 'node:path'
import {parseDurationMs} from '../config/units.js'
import {ProblemList} from '../errors.js'
import {createFallbackSampler} from '../host/fallback-sampler.js'
import {readHostInventory} from '../host/inventory.js'
import {createLinuxSampler, type HostSampler} from '../host/linux-sampler.js'
import {runMonitor} from '../host/run-monitor.js'
import {renderMonitorTop, renderPeriodLine, rollupsToCsv} from '../report/monitor-views.js'
import {MetricsStore} from '../store/metrics-store.js'
import {EXIT} from './exit-codes.js'
import {onInterrupt} from './on-interrupt.js'
import {reportError} from './report-error.js'

export const DEFAULT_DB = join(homedir(), '.loadplan', 'metrics.db')

export interface ExecuteMonitorInput {
  db: string
  interval: string
  rollup: string
  for: string | undefined
  retention: string
  trafficLog: string | undefined
  quiet: boolean
}

function duration(problems: ProblemList, flag: string, text: string | undefined, minMs: number): number | undefined {
  if (text === undefined) return undefined
  const ms = parseDurationMs(text)
  if (ms === undefined || ms < minMs) problems.add(flag, `expected a duration of at least ${minMs} ms, such as 1s, 1m or 24h`, text)
  return ms
}

export async function executeMonitor(input: ExecuteMonitorInput): Promise<number> {
  let store: MetricsStore | undefined
  try {
    const problems = new ProblemList()
    const intervalMs = duration(problems, '--interval', input.interval, 10) ?? 1000
    const rollupMs = duration(problems, '--rollup', input.rollup, 100) ?? 60_000
    const durationMs = duration(problems, '--for', input.for, 1)
    const retentionMs = duration(problems, '--retention', input.retention, 1) ?? 30 * 86_400_000
    if (rollupMs < intervalMs) problems.add('--rollup', `must be at least the sampling --interval (${input.interval})`, input.rollup)
    problems.throwIfAny('Cannot monitor:')

    store = new MetricsStore(input.db)
    let sampler: HostSampler
    let refresh: NodeJS.Timeout | undefined
    if (process.platform === 'linux') sampler = createLinuxSampler()
    else {
      const fallback = createFallbackSampler()
      await fallback.refresh()
      refresh = setInterval(() => void fallback.refresh(), intervalMs)
      sampler = fallback
    }
    const inventory = await readHostInventory()
    store.setMeta('inventory', inventory)
    store.setMeta('sampler', sampler.method)
    const history = store.summary()
    const log = (line: string) => {
      if (!input.quiet) process.stderr.write(`${line}\n`)
    }
    log(`monitoring ${inventory.vCpus} vCPUs, ${inventory.memoryGiB} GiB (${inventory.cpuModel}, ${inventory.os}) every ${input.interval}, ${input.rollup} rollups into ${input.db}${history.periods > 0 ? ` (appending to ${history.periods} stored periods)` : ''}; ${sampler.method}`)
    for (const note of sampler.notes) log(`note: ${note}`)
    const interactive = Boolean(process.stdout.isTTY) && !process.env.CI && !input.quiet
    const handle = runMonitor(sampler, store, {intervalMs, rollupMs, durationMs, retentionMs, trafficLogFile: input.trafficLog}, {
      onSample: interactive ? (sample, t) => process.stdout.write(`\x1b[H\x1b[2J${renderMonitorTop(sample, t, inventory.vCpus)}\n`) : undefined,
      onPeriod: interactive || input.quiet ? undefined : (rows) => process.stdout.write(`${renderPeriodLine(rows)}\n`),
    })
    const dispose = onInterrupt(() => handle.stop(), 'Stopping: writing the current period…')
    const result = await handle.done
    dispose()
    if (refresh) clearInterval(refresh)
    log(`stored ${result.periodsWritten} periods from ${result.samples} samples`)
    return EXIT.ok
  } catch (error) {
    return reportError(error)
  } finally {
    store?.close()
  }
}

export function executeMonitorExport(db: string, format: string, metric: string | undefined, since: string | undefined): number {
  let store: MetricsStore | undefined
  try {
    const problems = new ProblemList()
    if (format !== 'csv' && format !== 'json') problems.add('--format', 'expected csv or json', format)
    const sinceMs = since === undefined ? undefined : parseDurationMs(since)
    if (since !== undefined && sinceMs === undefined) problems.add('--since', 'expected a duration such as 24h or 7d', since)
    problems.throwIfAny('Cannot export:')
    store = new MetricsStore(db)
    const rows = store.read({metricPrefix: metric, sinceMs: sinceMs === undefined ? 0 : Date.now() - sinceMs})
    process.stdout.write(format === 'csv' ? rollupsToCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`)
    return EXIT.ok
  } catch (error) {
    return reportError(error)
  } finally {
    store?.close()
  }
}

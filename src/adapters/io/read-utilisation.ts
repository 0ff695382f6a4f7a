/** Utilisation history (CPU and memory percent per period) for headroom: from a monitor recording or a CSV. */
import type {UtilisationPoint} from '../../core/capacity/headroom.js'
import type {HostInventory} from '../../contracts/results/capacity-result.js'
import {ProblemList} from '../../contracts/errors.js'
import type {MetricsStore} from '../store/metrics-store.js'
import {readInputFile} from './read-input-file.js'
import {parseCsvRows, parseTimestamp} from './read-series-csv.js'

const positiveOr = (value: number | undefined, fallback: number | undefined) =>
  value !== undefined && value > 0 ? value : fallback

/** CPU (the effective cgroup share when limited) and memory per stored period. */
function historyFromStore(store: MetricsStore): {points: UtilisationPoint[]; limits: {cpu?: number; memGiB?: number}} {
  const rows = store.read()
  const byPeriod = new Map<number, Record<string, {mean: number; max: number}>>()
  for (const r of rows) {
    const entry = byPeriod.get(r.periodStartMs) ?? {}
    entry[r.metric] = {mean: r.mean, max: r.max}
    byPeriod.set(r.periodStartMs, entry)
  }
  const points: UtilisationPoint[] = []
  let cpuLimit: number | undefined
  let memLimit: number | undefined
  for (const [timeMs, m] of [...byPeriod.entries()].sort(([a], [b]) => a - b)) {
    const cpu = m['cgroup.cpu_used_pct']?.mean ?? m['cpu.busy']?.mean
    const mem = m['cgroup.mem_used_pct']?.max ?? m['mem.used_pct']?.max
    cpuLimit = positiveOr(m['cgroup.cpu_limit']?.mean, cpuLimit)
    memLimit = positiveOr(m['cgroup.mem_limit_bytes']?.mean, memLimit)
    if (cpu !== undefined && mem !== undefined) points.push({timeMs, cpuPct: cpu, memPct: mem})
  }
  return {points, limits: {cpu: cpuLimit, memGiB: memLimit === undefined ? undefined : memLimit / 2 ** 30}}
}

/** A CSV of timestamp,cpu,memory (percent); a header row is skipped. */
export function readUtilisationCsv(path: string): UtilisationPoint[] {
  const rows = parseCsvRows(readInputFile(path, 'no such file'), path, {
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
  })
  const points = rows.map(([time = '', cpu = '', memory = '']) => ({
    timeMs: parseTimestamp(time),
    cpuPct: Number(cpu),
    memPct: Number(memory),
  }))
  // A percent outside 0–100 is a unit mix-up (a fraction, a core count) or a damaged row: it would
  // move every percentile, so it is refused rather than dropped without a word.
  const problems = new ProblemList()
  points.forEach((p, i) => {
    for (const [column, value] of [
      ['cpu', p.cpuPct],
      ['memory', p.memPct],
    ] as const)
      if (Number.isFinite(value) && (value < 0 || value > 100) && problems.items.length < MAX_ROW_PROBLEMS)
        problems.add(`${path}: row ${i + 1} ${column}`, 'expected a percent from 0 to 100', rows[i]?.join(','))
  })
  problems.throwIfAny('Cannot read the utilisation history:')
  return points.filter((p) => Number.isFinite(p.timeMs) && Number.isFinite(p.cpuPct) && Number.isFinite(p.memPct))
}

/** Rows named when a file has many bad ones: enough to see the pattern. */
const MAX_ROW_PROBLEMS = 5

/** The stored inventory when it has a usable size (a hand-edited database may hold anything). */
function usableInventory(value: unknown): HostInventory | undefined {
  const inventory = value as Partial<HostInventory> | null | undefined
  const positive = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n > 0
  return inventory && typeof inventory === 'object' && positive(inventory.vCpus) && positive(inventory.memoryGiB)
    ? (inventory as HostInventory)
    : undefined
}

/** The recorded history with the host's inventory and cgroup limits (SQLite loads only here). */
export async function readUtilisationRecording(path: string): Promise<{
  points: UtilisationPoint[]
  limits: {cpu?: number; memGiB?: number}
  inventory: HostInventory | undefined
}> {
  const {MetricsStore} = await import('../store/metrics-store.js')
  const store = new MetricsStore(path, {readonly: true})
  try {
    return {...historyFromStore(store), inventory: usableInventory(store.getMeta<unknown>('inventory'))}
  } finally {
    store.close()
  }
}

/** How the monitor reports: the headroom of a sample (the live view, src/ui/monitor-view), one line per period, CSV. Pure. */
import {toCsv} from '../contracts/format/csv.js'
import type {RollupRow} from '../contracts/stats/rollup.js'
import {queueingKnee} from '../core/capacity/erlang-c.js'

const f1 = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(1))

/**
 * Headroom right now against the batch profile's targets: CPU ≤ min(80 %, the queueing knee of the
 * effective vCPUs), memory ≤ 80 %. `loadplan headroom` judges the stored history instead.
 */
export function instantHeadroom(
  sample: Readonly<Record<string, number>>,
  vcpus: number,
): {factor: number; binding: 'cpu' | 'memory'} {
  const effective = Math.min(vcpus, sample['cgroup.cpu_limit'] ?? vcpus)
  const cpu =
    (sample['cgroup.cpu_used_pct'] ?? sample['cpu.busy'] ?? 0) /
    Math.min(80, 100 * queueingKnee(Math.max(1, Math.round(effective))))
  const memory = (sample['cgroup.mem_used_pct'] ?? sample['mem.used_pct'] ?? 0) / 80
  const worst = Math.max(cpu, memory, 1e-9)
  return {factor: 1 / worst, binding: cpu >= memory ? 'cpu' : 'memory'}
}

/** One line summarising a stored period. */
export function renderPeriodLine(rows: readonly RollupRow[]): string {
  const get = (metric: string) => rows.find((r) => r.metric === metric)
  const cpu = get('cpu.busy')
  const mem = get('mem.used_pct')
  const psi = get('psi.cpu.some10')
  const traffic = get('traffic.requests_per_sec')
  const time = rows[0] ? new Date(rows[0].periodStartMs).toISOString() : ''
  return `${time}  cpu mean ${f1(cpu?.mean)}% p95 ${f1(cpu?.p95)}% max ${f1(cpu?.max)}%  mem max ${f1(mem?.max)}%  psi cpu ${f1(psi?.mean)}%${traffic ? `  traffic ${f1(traffic.mean)} req/s` : ''}  (${cpu?.samples ?? 0} samples)`
}

/** CSV export: `timestamp,metric,mean,max,p95,samples`. */
export function rollupsToCsv(rows: readonly RollupRow[]): string {
  return toCsv(
    ['timestamp', 'metric', 'mean', 'max', 'p95', 'samples'],
    rows.map((r) => [new Date(r.periodStartMs).toISOString(), r.metric, r.mean, r.max, r.p95, r.samples]),
  )
}

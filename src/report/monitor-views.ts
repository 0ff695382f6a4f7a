/** How the monitor shows a sample: a top-like block on a terminal, one line per period otherwise. Pure. */
import {toCsv} from '../format/csv.js'
import {formatBytes} from '../format/units.js'
import type {RollupRow} from '../stats/rollup.js'
import {queueingKnee} from '../capacity/erlang-c.js'

const f1 = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(1))

function bar(percent: number, width = 30): string {
  const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * width)
  return `[${'█'.repeat(filled)}${' '.repeat(width - filled)}]`
}

/** Devices or interfaces present in a sample, e.g. disk.vda.iops → vda. */
function names(sample: Readonly<Record<string, number>>, prefix: string): string[] {
  return [...new Set(Object.keys(sample).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length).split('.')[0] as string))]
}

/**
 * Headroom right now against the batch profile's targets: CPU ≤ min(80 %, the queueing knee of the
 * effective vCPUs), memory ≤ 80 %. `loadplan headroom` judges the stored history instead.
 */
export function instantHeadroom(sample: Readonly<Record<string, number>>, vcpus: number): {factor: number; binding: 'cpu' | 'memory'} {
  const effective = Math.min(vcpus, sample['cgroup.cpu_limit'] ?? vcpus)
  const cpu = (sample['cgroup.cpu_used_pct'] ?? sample['cpu.busy'] ?? 0) / Math.min(80, 100 * queueingKnee(Math.max(1, Math.round(effective))))
  const memory = (sample['cgroup.mem_used_pct'] ?? sample['mem.used_pct'] ?? 0) / 80
  const worst = Math.max(cpu, memory, 1e-9)
  return {factor: 1 / worst, binding: cpu >= memory ? 'cpu' : 'memory'}
}

export function renderMonitorTop(sample: Readonly<Record<string, number>>, timeMs: number, vcpus = 1): string {
  const s = sample
  const headroom = instantHeadroom(s, vcpus)
  const lines = [
    `loadplan monitor  ${new Date(timeMs).toISOString().slice(11, 19)}Z  load ${f1(s['load.1'])} ${f1(s['load.5'])} ${f1(s['load.15'])}  run queue ${s['cpu.run_queue'] ?? '–'}`,
    `cpu  ${bar(s['cpu.busy'] ?? 0)} ${f1(s['cpu.busy'])}%  usr ${f1(s['cpu.user'])} sys ${f1(s['cpu.system'])} iow ${f1(s['cpu.iowait'])} irq ${f1(s['cpu.irq'])} sirq ${f1(s['cpu.softirq'])} steal ${f1(s['cpu.steal'])}`,
    `mem  ${bar(s['mem.used_pct'] ?? 0)} ${f1(s['mem.used_pct'])}%  available ${formatBytes(s['mem.available_bytes'] ?? 0)}  swap ${f1(s['swap.used_pct'])}%`,
    `room ×${headroom.factor >= 100 ? '≥100' : headroom.factor.toFixed(2)} before ${headroom.binding} reaches its target (batch profile; see loadplan headroom)`,
    `psi  cpu ${f1(s['psi.cpu.some10'])}%  memory ${f1(s['psi.memory.some10'])}% (full ${f1(s['psi.memory.full10'])}%)  io ${f1(s['psi.io.some10'])}% (full ${f1(s['psi.io.full10'])}%)`,
  ]
  if (s['cgroup.cpu_limit'] !== undefined || s['cgroup.mem_limit_bytes'] !== undefined) {
    lines.push(`cgroup  cpu limit ${f1(s['cgroup.cpu_limit'])} (used ${f1(s['cgroup.cpu_used_pct'])}%, throttled ${f1(s['cgroup.throttled_pct'])}%)  memory limit ${s['cgroup.mem_limit_bytes'] === undefined ? 'none' : formatBytes(s['cgroup.mem_limit_bytes'])} (used ${f1(s['cgroup.mem_used_pct'])}%)`)
  }
  for (const d of names(s, 'disk.')) lines.push(`disk ${d.padEnd(8)} ${f1(s[`disk.${d}.iops`])} IOPS  r ${formatBytes(s[`disk.${d}.read_bps`] ?? 0)}/s  w ${formatBytes(s[`disk.${d}.write_bps`] ?? 0)}/s  util ${f1(s[`disk.${d}.util_pct`])}%  await ${f1(s[`disk.${d}.await_ms`])} ms`)
  for (const n of names(s, 'net.')) lines.push(`net  ${n.padEnd(8)} rx ${formatBytes(s[`net.${n}.rx_bps`] ?? 0)}/s  tx ${formatBytes(s[`net.${n}.tx_bps`] ?? 0)}/s  err ${f1(s[`net.${n}.errors_ps`])}/s  drop ${f1(s[`net.${n}.drops_ps`])}/s`)
  lines.push(`tcp  ${s['tcp.established'] ?? '–'} established, ${f1(s['tcp.retrans_ps'])} retransmits/s   fds ${f1(s['fd.used_pct'])}%${s['traffic.requests_per_sec'] === undefined ? '' : `   traffic ${f1(s['traffic.requests_per_sec'])} req/s`}`)
  return lines.join('\n')
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

/**
 * `loadplan monitor` on a terminal: the host's last sample as Ink components — CPU by mode with a
 * bar and the recent trend, memory, pressure (PSI), cgroup limits, disks, network, TCP, and the
 * headroom factor — redrawn once per sample. The numbers are the sampler's and the headroom the
 * caller computed: nothing is measured here.
 */
import {Box, render, Text} from 'ink'
import pc from 'picocolors'
import {sparkline} from '../contracts/format/sparkline.js'
import {formatBytes} from '../contracts/format/units.js'
import {meter} from './components.js'

export interface MonitorViewModel {
  sample: Readonly<Record<string, number>>
  timeMs: number
  vcpus: number
  headroom: {factor: number; binding: 'cpu' | 'memory'}
  /** CPU busy % of the recent samples, oldest first. */
  cpuHistory: readonly number[]
  columns: number
}

const f1 = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(1))

/** Devices or interfaces present in a sample, e.g. disk.vda.iops → vda. */
function names(sample: Readonly<Record<string, number>>, prefix: string): string[] {
  return [
    ...new Set(
      Object.keys(sample)
        .filter((k) => k.startsWith(prefix))
        .map((k) => k.slice(prefix.length).split('.')[0] as string),
    ),
  ]
}

/**
 * One Text per line, coloured inside the string: the view redraws every sample, and fewer Ink
 * nodes keep a redraw near 5 ms.
 */
export function MonitorView({view}: {view: MonitorViewModel}) {
  const s = view.sample
  const barWidth = Math.max(10, Math.min(40, view.columns - 50))
  const cpu = s['cpu.busy']
  const mem = s['mem.used_pct']
  const room = view.headroom.factor
  const roomColor = room < 1 ? pc.red : room < 1.5 ? pc.yellow : pc.green
  const lines = [
    `${pc.bold('loadplan monitor')}  ${new Date(view.timeMs).toISOString().slice(11, 19)}Z  ${view.vcpus} vCPUs  load ${f1(s['load.1'])} ${f1(s['load.5'])} ${f1(s['load.15'])}  run queue ${s['cpu.run_queue'] ?? '–'}`,
    `cpu  ${meter(cpu === undefined ? undefined : cpu / 100, barWidth)} ${f1(cpu)}%  ${pc.gray(sparkline(view.cpuHistory, Math.min(20, view.cpuHistory.length), 100))}`,
    pc.gray(
      `     usr ${f1(s['cpu.user'])}  sys ${f1(s['cpu.system'])}  iowait ${f1(s['cpu.iowait'])}  irq ${f1(s['cpu.irq'])}  softirq ${f1(s['cpu.softirq'])}  steal ${f1(s['cpu.steal'])}`,
    ),
    `mem  ${meter(mem === undefined ? undefined : mem / 100, barWidth)} ${f1(mem)}%  available ${formatBytes(s['mem.available_bytes'] ?? 0)}  swap ${f1(s['swap.used_pct'])}%`,
    `room ${pc.bold(roomColor(`×${room >= 100 ? '≥100' : room.toFixed(2)}`))} before ${view.headroom.binding} reaches its target (batch profile; loadplan headroom judges the history)`,
    `psi  cpu ${f1(s['psi.cpu.some10'])}%  memory ${f1(s['psi.memory.some10'])}% (full ${f1(s['psi.memory.full10'])}%)  io ${f1(s['psi.io.some10'])}% (full ${f1(s['psi.io.full10'])}%)`,
  ]
  if (s['cgroup.cpu_limit'] !== undefined || s['cgroup.mem_limit_bytes'] !== undefined) {
    lines.push(
      `cgroup  cpu limit ${f1(s['cgroup.cpu_limit'])} (used ${f1(s['cgroup.cpu_used_pct'])}%, throttled ${f1(s['cgroup.throttled_pct'])}%)  memory limit ${s['cgroup.mem_limit_bytes'] === undefined ? 'none' : formatBytes(s['cgroup.mem_limit_bytes'])}`,
    )
  }
  for (const d of names(s, 'disk.'))
    lines.push(
      `disk ${d.padEnd(8)} ${f1(s[`disk.${d}.iops`])} IOPS  r ${formatBytes(s[`disk.${d}.read_bps`] ?? 0)}/s  w ${formatBytes(s[`disk.${d}.write_bps`] ?? 0)}/s  util ${f1(s[`disk.${d}.util_pct`])}%  await ${f1(s[`disk.${d}.await_ms`])} ms`,
    )
  for (const n of names(s, 'net.'))
    lines.push(
      `net  ${n.padEnd(8)} rx ${formatBytes(s[`net.${n}.rx_bps`] ?? 0)}/s  tx ${formatBytes(s[`net.${n}.tx_bps`] ?? 0)}/s  err ${f1(s[`net.${n}.errors_ps`])}/s  drop ${f1(s[`net.${n}.drops_ps`])}/s`,
    )
  lines.push(
    `tcp  ${s['tcp.established'] ?? '–'} established, ${f1(s['tcp.retrans_ps'])} retransmits/s   fds ${f1(s['fd.used_pct'])}%${s['traffic.requests_per_sec'] === undefined ? '' : `   traffic ${f1(s['traffic.requests_per_sec'])} req/s`}`,
  )
  lines.push(pc.gray('Ctrl-C stops and writes the current period'))
  return (
    <Box flexDirection="column" width={view.columns}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  )
}

/**
 * A live view: `update` redraws with the next sample, `stop` leaves the last frame on screen. Whole
 * frames: Ink's incremental rendering left each earlier header and room line on screen in tmux.
 */
export function startMonitorView(stdout: NodeJS.WriteStream): {update(view: MonitorViewModel): void; stop(): void} {
  let instance: ReturnType<typeof render> | undefined
  return {
    update(view) {
      if (instance) instance.rerender(<MonitorView view={view} />)
      else
        instance = render(<MonitorView view={view} />, {
          stdout,
          patchConsole: false,
          exitOnCtrlC: false,
        })
    },
    stop() {
      instance?.unmount()
    },
  }
}

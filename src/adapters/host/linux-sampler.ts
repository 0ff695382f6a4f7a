/**
 * Samples a Linux host by reading /proc and /sys directly (no child processes: a few file reads
 * per tick), and turns two consecutive snapshots into one flat sample of named metrics. Roots are
 * injectable so tests can point it at fixture trees.
 */
import {existsSync, readdirSync, readFileSync, statfsSync} from 'node:fs'
import {join} from 'node:path'
import {
  cpuPercent,
  diskRates,
  memoryUse,
  parseCgroupV1,
  parseCgroupV2,
  parseDiskstats,
  parseFileNr,
  parseLoadavg,
  parseMeminfo,
  parseNetDev,
  parsePressure,
  parseProcStat,
  parseTcpSnmp,
  type CgroupLimits,
  type DiskCounters,
  type NetCounters,
  type ProcStat,
} from './proc-parsers.js'

export type HostSample = Record<string, number>

export interface HostSampler {
  /** A sample since the previous call; undefined on the first call, which only primes the counters. */
  sample(nowMs: number): HostSample | undefined
  readonly method: string
  readonly notes: string[]
}

export interface LinuxSamplerOptions {
  procRoot?: string
  sysRoot?: string
  /** Filesystem usage changes slowly: statfs every this many ticks. */
  statfsEveryTicks?: number
}

interface Snapshot {
  timeMs: number
  stat: ProcStat
  disks: DiskCounters[]
  nets: NetCounters[]
  retransSegs: number
  tcpEstablished: number
  cgroup: CgroupLimits | undefined
  cgroupUsageUsec: number | undefined
}

const REAL_FILESYSTEMS = new Set([
  'ext2',
  'ext3',
  'ext4',
  'xfs',
  'btrfs',
  'zfs',
  'f2fs',
  'overlay',
  'vfat',
  'nfs',
  'nfs4',
])

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

interface CgroupPaths {
  version: 1 | 2
  cpu: string
  memory: string
}

/** Finds this process's cgroup directories (v2 unified, or v1 cpu and memory hierarchies). */
export function findCgroup(procRoot: string, sysRoot: string): CgroupPaths | undefined {
  const lines = (read(join(procRoot, 'self', 'cgroup')) ?? '').trim().split('\n')
  const base = join(sysRoot, 'fs', 'cgroup')
  const within = (root: string, path: string) => (existsSync(join(root, path)) ? join(root, path) : root)
  const unified = lines.find((l) => l.startsWith('0::'))
  if (unified !== undefined && existsSync(join(base, 'cgroup.controllers'))) {
    const dir = within(base, unified.slice(3))
    return {version: 2, cpu: dir, memory: dir}
  }
  const controller = (name: string) => {
    const line = lines.find((l) => l.split(':')[1]?.split(',').includes(name))
    if (!line) return undefined
    const path = line.split(':').slice(2).join(':')
    const mount = ['cpu,cpuacct', 'cpu', 'cpuacct', name]
      .map((m) => join(base, m))
      .find((m) => existsSync(m) && (name === 'memory' ? m.endsWith('memory') : true))
    return mount ? within(mount, path) : undefined
  }
  const cpu = controller('cpu')
  const memory = controller('memory')
  return cpu || memory ? {version: 1, cpu: cpu ?? base, memory: memory ?? base} : undefined
}

export function createLinuxSampler(options: LinuxSamplerOptions = {}): HostSampler {
  const proc = options.procRoot ?? '/proc'
  const sys = options.sysRoot ?? '/sys'
  const statfsEvery = options.statfsEveryTicks ?? 10
  const notes: string[] = []
  const cgroupPaths = findCgroup(proc, sys)
  const wholeDisks = new Set(existsSync(join(sys, 'block')) ? readdirSync(join(sys, 'block')) : [])
  let previous: Snapshot | undefined
  let tick = 0
  let filesystems: Record<string, number> = {}

  const readCgroup = (): {limits: CgroupLimits; usageUsec: number | undefined} | undefined => {
    if (!cgroupPaths) return undefined
    const {cpu, memory} = cgroupPaths
    if (cgroupPaths.version === 2) {
      const cpuStat = read(join(cpu, 'cpu.stat'))
      const limits = parseCgroupV2({
        cpuMax: read(join(cpu, 'cpu.max')),
        memoryMax: read(join(memory, 'memory.max')),
        memoryCurrent: read(join(memory, 'memory.current')),
        memoryStat: read(join(memory, 'memory.stat')),
        cpuStat,
      })
      const usage = /^usage_usec (\d+)/m.exec(cpuStat ?? '')?.[1]
      return {limits, usageUsec: usage === undefined ? undefined : Number(usage)}
    }
    const limits = parseCgroupV1({
      cfsQuotaUs: read(join(cpu, 'cpu.cfs_quota_us')),
      cfsPeriodUs: read(join(cpu, 'cpu.cfs_period_us')),
      memoryLimit: read(join(memory, 'memory.limit_in_bytes')),
      memoryUsage: read(join(memory, 'memory.usage_in_bytes')),
      memoryStat: read(join(memory, 'memory.stat')),
      cpuStat: read(join(cpu, 'cpu.stat')),
    })
    const usageNs = read(join(cpu, 'cpuacct.usage'))
    return {limits, usageUsec: usageNs === undefined ? undefined : Number(usageNs) / 1000}
  }

  const readFilesystems = (): Record<string, number> => {
    const out: Record<string, number> = {}
    for (const line of (read(join(proc, 'mounts')) ?? '').split('\n')) {
      const [, mountPoint, type] = line.split(' ')
      if (!mountPoint || !type || !REAL_FILESYSTEMS.has(type) || out[`fs.${mountPoint}.used_pct`] !== undefined)
        continue
      try {
        const s = statfsSync(mountPoint)
        if (s.blocks > 0)
          out[`fs.${mountPoint}.used_pct`] = (100 * (s.blocks - s.bfree)) / (s.blocks - s.bfree + s.bavail)
      } catch {
        // unreadable mount (permissions, stale NFS): skip it
      }
    }
    return out
  }

  const snapshot = (timeMs: number): Snapshot => {
    const cgroup = readCgroup()
    const tcp = parseTcpSnmp(read(join(proc, 'net', 'snmp')) ?? '')
    return {
      timeMs,
      stat: parseProcStat(read(join(proc, 'stat')) ?? ''),
      disks: parseDiskstats(read(join(proc, 'diskstats')) ?? '').filter(
        (d) => wholeDisks.size === 0 || wholeDisks.has(d.device),
      ),
      nets: parseNetDev(read(join(proc, 'net', 'dev')) ?? '').filter((n) => n.iface !== 'lo'),
      retransSegs: tcp.RetransSegs ?? 0,
      tcpEstablished: tcp.CurrEstab ?? 0,
      cgroup: cgroup?.limits,
      cgroupUsageUsec: cgroup?.usageUsec,
    }
  }

  return {
    method: `direct reads of ${proc} and ${sys}`,
    notes,
    sample(nowMs) {
      const current = snapshot(nowMs)
      const before = previous
      previous = current
      if (tick++ % statfsEvery === 0) filesystems = readFilesystems()
      if (!before) return undefined
      const intervalMs = Math.max(1, current.timeMs - before.timeMs)
      const seconds = intervalMs / 1000
      const out: HostSample = {}
      const cpu = cpuPercent(before.stat.total, current.stat.total)
      for (const [mode, value] of Object.entries(cpu)) out[`cpu.${mode}`] = value
      current.stat.cores.forEach((core, i) => {
        const was = before.stat.cores[i]
        if (was) out[`cpu.core${i}.busy`] = cpuPercent(was, core).busy
      })
      out['cpu.run_queue'] = current.stat.procsRunning
      const load = parseLoadavg(read(join(proc, 'loadavg')) ?? '')
      out['load.1'] = load.load1
      out['load.5'] = load.load5
      out['load.15'] = load.load15
      const memory = memoryUse(parseMeminfo(read(join(proc, 'meminfo')) ?? ''))
      out['mem.used_pct'] = memory.usedPercent
      out['mem.available_bytes'] = memory.availableBytes
      out['mem.total_bytes'] = memory.totalBytes
      out['swap.used_pct'] = memory.swapUsedPercent
      for (const resource of ['cpu', 'memory', 'io']) {
        const text = read(join(proc, 'pressure', resource))
        if (text === undefined) continue
        const pressure = parsePressure(text)
        out[`psi.${resource}.some10`] = pressure.someAvg10
        if (pressure.fullAvg10 !== undefined && resource !== 'cpu') out[`psi.${resource}.full10`] = pressure.fullAvg10
      }
      for (const disk of current.disks) {
        const was = before.disks.find((d) => d.device === disk.device)
        if (!was) continue
        const rates = diskRates(was, disk, intervalMs)
        out[`disk.${disk.device}.iops`] = rates.iops
        out[`disk.${disk.device}.read_bps`] = rates.readBytesPerSec
        out[`disk.${disk.device}.write_bps`] = rates.writeBytesPerSec
        out[`disk.${disk.device}.util_pct`] = rates.utilPercent
        out[`disk.${disk.device}.await_ms`] = rates.awaitMs
      }
      for (const net of current.nets) {
        const was = before.nets.find((n) => n.iface === net.iface)
        if (!was) continue
        out[`net.${net.iface}.rx_bps`] = (net.rxBytes - was.rxBytes) / seconds
        out[`net.${net.iface}.tx_bps`] = (net.txBytes - was.txBytes) / seconds
        out[`net.${net.iface}.rx_pps`] = (net.rxPackets - was.rxPackets) / seconds
        out[`net.${net.iface}.tx_pps`] = (net.txPackets - was.txPackets) / seconds
        out[`net.${net.iface}.errors_ps`] = (net.rxErrors + net.txErrors - was.rxErrors - was.txErrors) / seconds
        out[`net.${net.iface}.drops_ps`] = (net.rxDrops + net.txDrops - was.rxDrops - was.txDrops) / seconds
      }
      out['tcp.retrans_ps'] = (current.retransSegs - before.retransSegs) / seconds
      out['tcp.established'] = current.tcpEstablished
      const fds = parseFileNr(read(join(proc, 'sys', 'fs', 'file-nr')) ?? '')
      if (fds.max > 0) out['fd.used_pct'] = (100 * fds.allocated) / fds.max
      Object.assign(out, filesystems)
      const cg = current.cgroup
      if (cg) {
        if (cg.cpuLimit !== undefined) {
          out['cgroup.cpu_limit'] = cg.cpuLimit
          if (current.cgroupUsageUsec !== undefined && before.cgroupUsageUsec !== undefined) {
            out['cgroup.cpu_used_pct'] =
              (100 * (current.cgroupUsageUsec - before.cgroupUsageUsec)) / (intervalMs * 1000 * cg.cpuLimit)
          }
        }
        const periods = cg.periods - (before.cgroup?.periods ?? 0)
        if (periods > 0)
          out['cgroup.throttled_pct'] = (100 * (cg.throttledPeriods - (before.cgroup?.throttledPeriods ?? 0))) / periods
        if (cg.memoryLimitBytes !== undefined) {
          out['cgroup.mem_limit_bytes'] = cg.memoryLimitBytes
          if (cg.memoryWorkingSetBytes !== undefined)
            out['cgroup.mem_used_pct'] = (100 * cg.memoryWorkingSetBytes) / cg.memoryLimitBytes
        }
      }
      return out
    },
  }
}

/**
 * Parsers for Linux /proc and cgroup files, and the rate arithmetic between two snapshots. Pure:
 * text in, numbers out; the sampler does the reading. Field layouts are those of proc(5) and the
 * kernel's cgroup-v1/v2 documentation.
 */

/** The ten /proc/stat CPU time fields, in USER_HZ ticks. */
export interface CpuTimes {
  user: number
  nice: number
  system: number
  idle: number
  iowait: number
  irq: number
  softirq: number
  steal: number
  guest: number
  guestNice: number
}

export interface ProcStat {
  total: CpuTimes
  cores: CpuTimes[]
  procsRunning: number
  procsBlocked: number
}

const CPU_FIELDS = [
  'user',
  'nice',
  'system',
  'idle',
  'iowait',
  'irq',
  'softirq',
  'steal',
  'guest',
  'guestNice',
] as const

function cpuTimes(fields: readonly string[]): CpuTimes {
  const times = {} as CpuTimes
  CPU_FIELDS.forEach((name, i) => {
    times[name] = Number(fields[i] ?? 0)
  })
  return times
}

export function parseProcStat(text: string): ProcStat {
  let total = cpuTimes([])
  const cores: CpuTimes[] = []
  let procsRunning = 0
  let procsBlocked = 0
  for (const line of text.split('\n')) {
    const [key, ...fields] = line.trim().split(/\s+/)
    if (key === 'cpu') total = cpuTimes(fields)
    else if (key !== undefined && /^cpu\d+$/.test(key)) cores.push(cpuTimes(fields))
    else if (key === 'procs_running') procsRunning = Number(fields[0])
    else if (key === 'procs_blocked') procsBlocked = Number(fields[0])
  }
  return {total, cores, procsRunning, procsBlocked}
}

/** Share of CPU time by mode between two snapshots, in percent; busy = 100 − idle − iowait. */
export type CpuPercent = Record<Exclude<keyof CpuTimes, 'guest' | 'guestNice'> | 'busy', number>

/**
 * CPU use between two snapshots. Total time counts the eight fields user … steal; guest and
 * guest_nice are already included in user and nice by the kernel, so they are not added again.
 * Busy is everything but idle and iowait (an idle CPU waiting for IO is idle capacity).
 */
export function cpuPercent(before: CpuTimes, after: CpuTimes): CpuPercent {
  const delta = (name: (typeof CPU_FIELDS)[number]) => Math.max(0, after[name] - before[name])
  const parts = {
    user: delta('user'),
    nice: delta('nice'),
    system: delta('system'),
    idle: delta('idle'),
    iowait: delta('iowait'),
    irq: delta('irq'),
    softirq: delta('softirq'),
    steal: delta('steal'),
  }
  const total = Object.values(parts).reduce((a, b) => a + b, 0)
  const pct = (v: number) => (total === 0 ? 0 : (100 * v) / total)
  return {
    busy: pct(total - parts.idle - parts.iowait),
    user: pct(parts.user),
    nice: pct(parts.nice),
    system: pct(parts.system),
    idle: pct(parts.idle),
    iowait: pct(parts.iowait),
    irq: pct(parts.irq),
    softirq: pct(parts.softirq),
    steal: pct(parts.steal),
  }
}

/** /proc/meminfo in bytes (the file says kB, meaning KiB). */
export function parseMeminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const line of text.split('\n')) {
    const m = /^(\S+):\s+(\d+)(\s+kB)?/.exec(line)
    if (m) out[m[1] as string] = Number(m[2]) * (m[3] ? 1024 : 1)
  }
  return out
}

export interface MemoryUse {
  totalBytes: number
  availableBytes: number
  /** 100 × (1 − MemAvailable / MemTotal): what is really spoken for, page cache excluded. */
  usedPercent: number
  swapUsedPercent: number
}

export function memoryUse(meminfo: Record<string, number>): MemoryUse {
  const total = meminfo.MemTotal ?? 0
  const available = meminfo.MemAvailable ?? meminfo.MemFree ?? 0
  const swapTotal = meminfo.SwapTotal ?? 0
  const swapFree = meminfo.SwapFree ?? 0
  return {
    totalBytes: total,
    availableBytes: available,
    usedPercent: total === 0 ? 0 : 100 * (1 - available / total),
    swapUsedPercent: swapTotal === 0 ? 0 : 100 * (1 - swapFree / swapTotal),
  }
}

export function parseLoadavg(text: string): {load1: number; load5: number; load15: number} {
  const [a, b, c] = text.trim().split(/\s+/).map(Number)
  return {load1: a ?? 0, load5: b ?? 0, load15: c ?? 0}
}

export interface Pressure {
  someAvg10: number
  someAvg60: number
  fullAvg10: number | undefined
  fullAvg60: number | undefined
}

/** /proc/pressure/{cpu,memory,io} (PSI): share of time some (or all) tasks stalled, percent. */
export function parsePressure(text: string): Pressure {
  const line = (kind: string) => {
    const m = new RegExp(`^${kind} avg10=([\\d.]+) avg60=([\\d.]+)`, 'm').exec(text)
    return m ? [Number(m[1]), Number(m[2])] : undefined
  }
  const some = line('some') ?? [0, 0]
  const full = line('full')
  return {someAvg10: some[0] as number, someAvg60: some[1] as number, fullAvg10: full?.[0], fullAvg60: full?.[1]}
}

export interface DiskCounters {
  device: string
  readsCompleted: number
  sectorsRead: number
  readTicksMs: number
  writesCompleted: number
  sectorsWritten: number
  writeTicksMs: number
  ioTicksMs: number
  weightedTicksMs: number
}

/** /proc/diskstats: whole disks and partitions; loop and ram devices are skipped. */
export function parseDiskstats(text: string): DiskCounters[] {
  const disks: DiskCounters[] = []
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/)
    if (f.length < 14) continue
    const device = f[2] as string
    if (/^(loop|ram|zram)\d*/.test(device)) continue
    disks.push({
      device,
      readsCompleted: Number(f[3]),
      sectorsRead: Number(f[5]),
      readTicksMs: Number(f[6]),
      writesCompleted: Number(f[7]),
      sectorsWritten: Number(f[9]),
      writeTicksMs: Number(f[10]),
      ioTicksMs: Number(f[12]),
      weightedTicksMs: Number(f[13]),
    })
  }
  return disks
}

export interface DiskRates {
  device: string
  iops: number
  readBytesPerSec: number
  writeBytesPerSec: number
  /** Share of the interval with IO in flight (io_ticks), percent. */
  utilPercent: number
  /** Mean time per completed IO, queueing included, ms. */
  awaitMs: number
}

/** Rates between two diskstats snapshots taken `intervalMs` apart (sectors are 512 bytes). */
export function diskRates(before: DiskCounters, after: DiskCounters, intervalMs: number): DiskRates {
  const ios = after.readsCompleted - before.readsCompleted + (after.writesCompleted - before.writesCompleted)
  const ticks = after.readTicksMs - before.readTicksMs + (after.writeTicksMs - before.writeTicksMs)
  const seconds = intervalMs / 1000
  return {
    device: after.device,
    iops: ios / seconds,
    readBytesPerSec: ((after.sectorsRead - before.sectorsRead) * 512) / seconds,
    writeBytesPerSec: ((after.sectorsWritten - before.sectorsWritten) * 512) / seconds,
    utilPercent: Math.min(100, (100 * (after.ioTicksMs - before.ioTicksMs)) / intervalMs),
    awaitMs: ios === 0 ? 0 : ticks / ios,
  }
}

export interface NetCounters {
  iface: string
  rxBytes: number
  rxPackets: number
  rxErrors: number
  rxDrops: number
  txBytes: number
  txPackets: number
  txErrors: number
  txDrops: number
}

/** /proc/net/dev, loopback included (callers decide). */
export function parseNetDev(text: string): NetCounters[] {
  const out: NetCounters[] = []
  for (const line of text.split('\n').slice(2)) {
    const m = /^\s*([^:]+):\s*(.*)$/.exec(line)
    if (!m) continue
    const f = (m[2] as string).trim().split(/\s+/).map(Number)
    out.push({
      iface: (m[1] as string).trim(),
      rxBytes: f[0] ?? 0,
      rxPackets: f[1] ?? 0,
      rxErrors: f[2] ?? 0,
      rxDrops: f[3] ?? 0,
      txBytes: f[8] ?? 0,
      txPackets: f[9] ?? 0,
      txErrors: f[10] ?? 0,
      txDrops: f[11] ?? 0,
    })
  }
  return out
}

/** TCP counters from /proc/net/snmp (the header line names the fields of the value line). */
export function parseTcpSnmp(text: string): Record<string, number> {
  const lines = text.split('\n').filter((l) => l.startsWith('Tcp:'))
  const names = (lines[0] ?? '').split(/\s+/).slice(1)
  const values = (lines[1] ?? '').split(/\s+/).slice(1).map(Number)
  return Object.fromEntries(names.map((name, i) => [name, values[i] ?? 0]))
}

/** /proc/sys/fs/file-nr: allocated, unused, max. */
export function parseFileNr(text: string): {allocated: number; max: number} {
  const [allocated, , max] = text.trim().split(/\s+/).map(Number)
  return {allocated: allocated ?? 0, max: max ?? 0}
}

export interface CgroupLimits {
  version: 1 | 2
  /** CPUs the group may use (quota ÷ period); undefined when unlimited. */
  cpuLimit: number | undefined
  /** Memory limit in bytes; undefined when unlimited. */
  memoryLimitBytes: number | undefined
  /** Memory in use minus reclaimable file cache (the working set, as kubelet counts it). */
  memoryWorkingSetBytes: number | undefined
  throttledPeriods: number
  periods: number
  throttledUsec: number
}

/** Larger than any real machine: the kernel's way of writing "no limit" in v1 (PAGE_COUNTER_MAX). */
const UNLIMITED_V1 = 2 ** 60

function statMap(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {}
  for (const line of (text ?? '').split('\n')) {
    const [key, value] = line.trim().split(/\s+/)
    if (key && value !== undefined) out[key] = Number(value)
  }
  return out
}

/**
 * Limits from cgroup v2 files (`cpu.max` "quota period" or "max period", `memory.max`,
 * `memory.current`, `memory.stat`, `cpu.stat`).
 */
export function parseCgroupV2(files: {
  cpuMax?: string
  memoryMax?: string
  memoryCurrent?: string
  memoryStat?: string
  cpuStat?: string
}): CgroupLimits {
  const [quota, period] = (files.cpuMax ?? 'max 100000').trim().split(/\s+/)
  const memoryMax = (files.memoryMax ?? 'max').trim()
  const current = files.memoryCurrent === undefined ? undefined : Number(files.memoryCurrent.trim())
  const inactiveFile = statMap(files.memoryStat).inactive_file ?? 0
  const cpu = statMap(files.cpuStat)
  return {
    version: 2,
    cpuLimit: quota === 'max' ? undefined : Number(quota) / Number(period),
    memoryLimitBytes: memoryMax === 'max' ? undefined : Number(memoryMax),
    memoryWorkingSetBytes: current === undefined ? undefined : Math.max(0, current - inactiveFile),
    throttledPeriods: cpu.nr_throttled ?? 0,
    periods: cpu.nr_periods ?? 0,
    throttledUsec: cpu.throttled_usec ?? 0,
  }
}

/** Limits from cgroup v1 files (`cpu.cfs_quota_us` −1 = none, `memory.limit_in_bytes`, …). */
export function parseCgroupV1(files: {
  cfsQuotaUs?: string
  cfsPeriodUs?: string
  memoryLimit?: string
  memoryUsage?: string
  memoryStat?: string
  cpuStat?: string
}): CgroupLimits {
  const quota = Number((files.cfsQuotaUs ?? '-1').trim())
  const period = Number((files.cfsPeriodUs ?? '100000').trim())
  const limit = Number((files.memoryLimit ?? String(UNLIMITED_V1)).trim())
  const usage = files.memoryUsage === undefined ? undefined : Number(files.memoryUsage.trim())
  const stat = statMap(files.memoryStat)
  const inactiveFile = stat.total_inactive_file ?? stat.inactive_file ?? 0
  const cpu = statMap(files.cpuStat)
  return {
    version: 1,
    cpuLimit: quota > 0 && period > 0 ? quota / period : undefined,
    memoryLimitBytes: limit >= UNLIMITED_V1 ? undefined : limit,
    memoryWorkingSetBytes: usage === undefined ? undefined : Math.max(0, usage - inactiveFile),
    throttledPeriods: cpu.nr_throttled ?? 0,
    periods: cpu.nr_periods ?? 0,
    throttledUsec: (cpu.throttled_time ?? 0) / 1000,
  }
}

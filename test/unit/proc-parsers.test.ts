/** /proc and cgroup parsers on fixture trees, against values worked out by hand. */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
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
} from '../../src/adapters/host/proc-parsers.js'

const fixture = (path: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'host', path), 'utf8')

describe('CPU from two /proc/stat snapshots', () => {
  const a = parseProcStat(fixture('a/proc/stat'))
  const b = parseProcStat(fixture('b/proc/stat'))

  it('reads all ten fields, per core, and the run queue', () => {
    expect(a.total).toEqual({
      user: 1000,
      nice: 0,
      system: 500,
      idle: 8000,
      iowait: 100,
      irq: 0,
      softirq: 200,
      steal: 50,
      guest: 0,
      guestNice: 0,
    })
    expect(a.cores).toHaveLength(2)
    expect(b.procsRunning).toBe(2)
    expect(a.procsBlocked).toBe(1)
  })

  it('matches the reference formula busy = 1 − Δ(idle + iowait) / Δtotal, iowait and softirq included', () => {
    // By hand: Δ user 600, system 300, idle 900, iowait 200, softirq 300, steal 0 → Δtotal 2300;
    // busy = 1 − (900 + 200)/2300 = 52.174 %; iowait 200/2300 = 8.696 %; softirq 300/2300 = 13.043 %.
    const cpu = cpuPercent(a.total, b.total)
    expect(Math.abs(cpu.busy - 52.174)).toBeLessThan(0.1)
    expect(Math.abs(cpu.iowait - 8.696)).toBeLessThan(0.1)
    expect(Math.abs(cpu.softirq - 13.043)).toBeLessThan(0.1)
    expect(Math.abs(cpu.user - 26.087)).toBeLessThan(0.1)
    expect(cpu.busy + cpu.idle + cpu.iowait).toBeCloseTo(100, 9)
    // Core 0: Δ user 400, system 250, idle 200, iowait 100, softirq 150 → total 1100; busy 800/1100.
    expect(cpuPercent(a.cores[0] as never, b.cores[0] as never).busy).toBeCloseTo((100 * 800) / 1100, 6)
  })
})

describe('memory, load, pressure, fds', () => {
  it('uses MemAvailable, not MemFree', () => {
    const use = memoryUse(parseMeminfo(fixture('a/proc/meminfo')))
    // By hand: 1 − 6,000,000/8,000,000 = 25 %; swap 1 − 1.5/2 = 25 %.
    expect(use).toEqual({
      totalBytes: 8_000_000 * 1024,
      availableBytes: 6_000_000 * 1024,
      usedPercent: 25,
      swapUsedPercent: 25,
    })
  })

  it('reads load, PSI and file descriptors', () => {
    expect(parseLoadavg(fixture('a/proc/loadavg'))).toEqual({load1: 0.52, load5: 0.58, load15: 0.59})
    expect(parsePressure(fixture('a/proc/pressure/cpu'))).toEqual({
      someAvg10: 2.97,
      someAvg60: 7.48,
      fullAvg10: 0,
      fullAvg60: 0,
    })
    expect(parsePressure('some avg10=1.00 avg60=2.00 avg300=3.00 total=5\n')).toEqual({
      someAvg10: 1,
      someAvg60: 2,
      fullAvg10: undefined,
      fullAvg60: undefined,
    })
    expect(parseFileNr(fixture('a/proc/sys/fs/file-nr'))).toEqual({allocated: 2304, max: Number('9223372036854775807')})
  })
})

describe('disks and network', () => {
  it('derives IOPS, throughput, %util and await from diskstats, skipping loop devices', () => {
    const [before] = parseDiskstats(fixture('a/proc/diskstats'))
    const [after] = parseDiskstats(fixture('b/proc/diskstats'))
    expect(before?.device).toBe('nvme0n1')
    // By hand over 1 s: 100 reads + 100 writes = 200 IOPS; 8,000 sectors read × 512 = 4,096,000 B/s;
    // io_ticks +300 ms → 30 %util; (200 + 600) ms / 200 IOs = 4 ms await.
    expect(diskRates(before as never, after as never, 1000)).toEqual({
      device: 'nvme0n1',
      iops: 200,
      readBytesPerSec: 4_096_000,
      writeBytesPerSec: 4_096_000,
      utilPercent: 30,
      awaitMs: 4,
    })
  })

  it('reads interfaces and TCP retransmits', () => {
    const eth0 = parseNetDev(fixture('a/proc/net/dev')).find((i) => i.iface === 'eth0')
    expect(eth0).toEqual({
      iface: 'eth0',
      rxBytes: 98765432,
      rxPackets: 54321,
      rxErrors: 2,
      rxDrops: 5,
      txBytes: 12345678,
      txPackets: 23456,
      txErrors: 0,
      txDrops: 1,
    })
    const tcp = parseTcpSnmp(fixture('a/proc/net/snmp'))
    expect(tcp.RetransSegs).toBe(1234)
    expect(tcp.CurrEstab).toBe(42)
  })
})

describe('cgroup limits', () => {
  it('reads cgroup v2: 1.5 CPUs, 2 GiB, working set without inactive file cache, throttling', () => {
    const read = (name: string) => fixture(`cgroup-v2/${name}`)
    const limits = parseCgroupV2({
      cpuMax: read('cpu.max'),
      memoryMax: read('memory.max'),
      memoryCurrent: read('memory.current'),
      memoryStat: read('memory.stat'),
      cpuStat: read('cpu.stat'),
    })
    // By hand: 150000/100000 = 1.5 CPUs; 1,073,741,824 − 273,741,824 = 800,000,000 B working set.
    expect(limits).toEqual({
      version: 2,
      cpuLimit: 1.5,
      memoryLimitBytes: 2_147_483_648,
      memoryWorkingSetBytes: 800_000_000,
      throttledPeriods: 120,
      periods: 1000,
      throttledUsec: 4_500_000,
    })
    expect(parseCgroupV2({cpuMax: 'max 100000\n', memoryMax: 'max\n'})).toMatchObject({
      cpuLimit: undefined,
      memoryLimitBytes: undefined,
    })
  })

  it('reads cgroup v1: no CFS quota and the "unlimited" memory sentinel', () => {
    const read = (name: string) => fixture(`cgroup-v1/${name}`)
    const limits = parseCgroupV1({
      cfsQuotaUs: read('cpu.cfs_quota_us'),
      cfsPeriodUs: read('cpu.cfs_period_us'),
      memoryLimit: read('memory.limit_in_bytes'),
      memoryUsage: read('memory.usage_in_bytes'),
      memoryStat: read('memory.stat'),
      cpuStat: read('cpu.stat'),
    })
    // By hand: 536,870,912 − 136,870,912 (total_inactive_file) = 400,000,000 B.
    expect(limits).toEqual({
      version: 1,
      cpuLimit: undefined,
      memoryLimitBytes: undefined,
      memoryWorkingSetBytes: 400_000_000,
      throttledPeriods: 0,
      periods: 0,
      throttledUsec: 0,
    })
    expect(parseCgroupV1({cfsQuotaUs: '200000', cfsPeriodUs: '100000', memoryLimit: '1073741824'})).toMatchObject({
      cpuLimit: 2,
      memoryLimitBytes: 1_073_741_824,
    })
  })
})

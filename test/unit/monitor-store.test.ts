import {cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {createLinuxSampler} from '../../src/adapters/host/linux-sampler.js'
import {isLiveWriter, MetricsStore, type WriterLease} from '../../src/adapters/store/metrics-store.js'
import {RollupBuffer} from '../../src/contracts/stats/rollup.js'

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'host')

describe('rollups', () => {
  it('rolls each metric up into mean, max, p95 and a sample count', () => {
    const buffer = new RollupBuffer()
    for (const v of [10, 20, 30, 40]) buffer.add({'cpu.busy': v, 'mem.used_pct': 50, gap: Number.NaN})
    const rows = buffer.flush(60_000)
    // By hand: mean 25, max 40, p95 = 30 + 0.85 × 10 = 38.5 (position 2.85).
    expect(rows.find((r) => r.metric === 'cpu.busy')).toEqual({
      periodStartMs: 60_000,
      metric: 'cpu.busy',
      mean: 25,
      max: 40,
      p95: 38.5,
      samples: 4,
    })
    expect(rows.some((r) => r.metric === 'gap')).toBe(false)
    expect(buffer.flush(120_000)).toEqual([])
  })
})

describe('one writer per database', () => {
  const lease = (pid: number, renewedAtMs = 0): WriterLease => ({
    pid,
    host: 'h1',
    startedAtMs: 0,
    renewedAtMs,
    rollupMs: 60_000,
  })

  it('a second writer is refused while the first is live, and takes over once it has released or died', () => {
    const store = new MetricsStore(join(mkdtempSync(join(tmpdir(), 'loadplan-lease-')), 'm.db'))
    expect(store.claimWriter(lease(1), () => true)).toBeUndefined()
    expect(store.claimWriter(lease(2), () => true)).toMatchObject({pid: 1})
    expect(store.claimWriter(lease(2), () => false)).toBeUndefined() // 1 died: 2 takes over
    store.releaseWriter(1) // not the holder: nothing changes
    expect(store.claimWriter(lease(3), () => true)).toMatchObject({pid: 2})
    store.releaseWriter(2)
    expect(store.claimWriter(lease(3), () => true)).toBeUndefined()
    store.close()
  })

  it('a lease is live while its process exists on this host and it wrote within two periods and a minute', () => {
    // This process exists; pid 2^22 + 1 is above Linux's pid_max and cannot.
    expect(isLiveWriter({...lease(process.pid, 0)}, 180_000, 'h1')).toBe(true)
    expect(isLiveWriter({...lease(process.pid, 0)}, 180_001, 'h1')).toBe(false) // silent for 2 × 60 s + 60 s
    expect(isLiveWriter({...lease(4_194_305, 0)}, 1000, 'h1')).toBe(false)
    expect(isLiveWriter({...lease(4_194_305, 0)}, 1000, 'other-host')).toBe(true) // cannot check: trust the renewal
  })
})

describe('MetricsStore', () => {
  it('writes periods, reads them by metric prefix and time, prunes and keeps metadata', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'loadplan-store-')), 'sub', 'm.db')
    const store = new MetricsStore(path)
    store.write([
      {periodStartMs: 0, metric: 'cpu.busy', mean: 1, max: 2, p95: 2, samples: 60},
      {periodStartMs: 0, metric: 'cpu_x', mean: 9, max: 9, p95: 9, samples: 60},
      {periodStartMs: 60_000, metric: 'cpu.busy', mean: 3, max: 4, p95: 4, samples: 60},
    ])
    store.setMeta('inventory', {vCpus: 2})
    expect(store.read({metricPrefix: 'cpu.'}).map((r) => r.mean)).toEqual([1, 3]) // "_" is not a wildcard
    expect(store.read({sinceMs: 60_000})).toHaveLength(1)
    expect(store.summary()).toEqual({periods: 2, firstMs: 0, lastMs: 60_000})
    expect(store.prune(60_000)).toBe(2)
    store.close()
    const reopened = new MetricsStore(path)
    expect(reopened.getMeta('inventory')).toEqual({vCpus: 2})
    expect(reopened.read()).toHaveLength(1)
    expect(reopened.integrityCheck()).toBe('ok')
    reopened.close()
  })
})

describe('Linux sampler on fixture trees', () => {
  it('turns two snapshots into rates', () => {
    // Given a /proc that changes from fixture a to fixture b between two samples 1 s apart.
    const root = mkdtempSync(join(tmpdir(), 'loadplan-proc-'))
    const proc = join(root, 'proc')
    mkdirSync(join(root, 'sys', 'block', 'nvme0n1'), {recursive: true})
    cpSync(join(fixtures, 'a', 'proc'), proc, {recursive: true})
    writeFileSync(join(proc, 'mounts'), '')
    const sampler = createLinuxSampler({procRoot: proc, sysRoot: join(root, 'sys')})
    expect(sampler.sample(1_000)).toBeUndefined()
    rmSync(proc, {recursive: true})
    cpSync(join(fixtures, 'b', 'proc'), proc, {recursive: true})
    writeFileSync(join(proc, 'mounts'), '')
    const sample = sampler.sample(2_000) as Record<string, number>
    // By hand (see proc-parsers.test.ts): busy 1200/2300; 200 IOPS; eth0 +100,000 B in, +50,000 B out,
    // +1,000 and +500 packets; 100 retransmits; memory 25 % used.
    expect(sample['cpu.busy']).toBeCloseTo((100 * 1200) / 2300, 9)
    expect(sample['cpu.softirq']).toBeCloseTo((100 * 300) / 2300, 9)
    expect(sample['cpu.core0.busy']).toBeCloseTo((100 * 800) / 1100, 9)
    expect(sample['disk.nvme0n1.iops']).toBe(200)
    expect(sample['disk.nvme0n1.util_pct']).toBe(30)
    expect(sample['net.eth0.rx_bps']).toBe(100_000)
    expect(sample['net.eth0.tx_bps']).toBe(50_000)
    expect(sample['net.eth0.rx_pps']).toBe(1000)
    expect(sample['net.lo.rx_bps']).toBeUndefined()
    expect(sample['tcp.retrans_ps']).toBe(100)
    expect(sample['mem.used_pct']).toBe(25)
    expect(sample['psi.cpu.some10']).toBe(2.97)
    expect(sample['cpu.run_queue']).toBe(2)
  })
})

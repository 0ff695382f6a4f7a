/** `loadplan headroom` in-process, on a recorded history, a CSV and a real Prometheus server. */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {MetricsStore} from '../../src/adapters/store/metrics-store.js'
import {runInProcess} from '../helpers/in-process.js'
import {hasPrometheus, startPrometheus, type PrometheusServer} from '../helpers/prometheus.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'loadplan-headroom-'))
const MINUTE = 60_000
const start = Date.UTC(2026, 10, 1)

describe('loadplan headroom', () => {
  it('judges a recorded week and recommends a smaller type', async () => {
    // Given a week of minutes on an 8-vCPU, 32-GiB host: CPU 30 % for 10 minutes an hour, else 15 %; memory 10 %.
    const db = join(tmp(), 'host.db')
    const store = new MetricsStore(db)
    store.setMeta('inventory', {vCpus: 8, physicalCores: 4, memoryGiB: 32, cpuModel: 'test', os: 'test'})
    for (let m = 0; m < 7 * 24 * 60; m++) {
      const cpu = m % 60 < 10 ? 30 : 15
      store.write([
        {periodStartMs: start + m * MINUTE, metric: 'cpu.busy', mean: cpu, max: cpu, p95: cpu, samples: 60},
        {periodStartMs: start + m * MINUTE, metric: 'mem.used_pct', mean: 10, max: 10, p95: 10, samples: 60},
      ])
    }
    store.close()
    const {code, stdout} = await runInProcess([
      'headroom',
      '--db',
      db,
      '--profile',
      'batch',
      '--family',
      'm7g,c7g,r7g',
      '--instance-type',
      'm7g.2xlarge',
    ])
    expect(code).toBe(0)
    // By hand (as in test/unit/headroom.test.ts): CPU p95 30 % of 8 vCPUs → c7g.xlarge at about 60 %,
    // carried by the two types' stress-ng scores on all cores (the performance table): 30 % × 12,247 / 6,112 = 60.11 %.
    expect(stdout).toMatch(/^cpu\s+15\.0%\s+30\.0%/m)
    expect(stdout).toMatch(/binding resource: cpu; headroom factor ×2\.67/)
    expect(stdout).toMatch(
      /recommendation \(downsize\): c7g\.xlarge .*\$105\.85\/month; projected CPU 60\.1%.*; saves \$132\.42\/month/,
    )
    expect(stdout).toContain("the load's CPU-to-memory shape suits compute types")
  })

  it('reads a CSV, refuses too little history, and reports bad flags', async () => {
    const dir = tmp()
    const file = join(dir, 'usage.csv')
    const rows = Array.from(
      {length: 48},
      (_, h) => `${new Date(start + h * 3_600_000).toISOString()},${20 + (h % 24)},40`,
    )
    writeFileSync(file, `timestamp,cpu,memory\n${rows.join('\n')}\n`)
    const ok = await runInProcess(['headroom', '--csv', file, '--vcpus', '4', '--memory', '16', '--json'])
    expect(ok.code).toBe(0)
    expect(ok.stderr).toContain('only 48 h of history')
    expect(JSON.parse(ok.stdout)).toMatchObject({schema: 'loadplan/headroom', profile: 'aws', hours: 48})
    writeFileSync(file, `timestamp,cpu,memory\n${rows.slice(0, 10).join('\n')}\n`)
    const short = await runInProcess(['headroom', '--csv', file, '--vcpus', '4', '--memory', '16'])
    expect(short.code).toBe(2)
    expect(short.stderr).toContain('headroom needs at least 30 h')
    const bad = await runInProcess(['headroom', '--csv', file, '--profile', 'gold', '--provider', 'ibm'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--profile')
    expect(bad.stderr).toContain('--provider')
  })

  it('refuses percents outside 0–100 in the CSV, naming the rows, instead of dropping or judging them (issue 35)', async () => {
    const file = join(tmp(), 'usage.csv')
    const rows = Array.from({length: 48}, (_, h) => `${new Date(start + h * 3_600_000).toISOString()},30,40`)
    rows[6] = `${new Date(start + 6 * 3_600_000).toISOString()},150,40`
    rows[9] = `${new Date(start + 9 * 3_600_000).toISOString()},30,-5`
    writeFileSync(file, `timestamp,cpu,memory\n${rows.join('\n')}\n`)
    const {code, stderr} = await runInProcess(['headroom', '--csv', file, '--vcpus', '4', '--memory', '16'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/row 8 cpu: expected a percent from 0 to 100/)
    expect(stderr).toMatch(/row 11 memory: expected a percent from 0 to 100/)
  })
})

describe.skipIf(!hasPrometheus)('loadplan headroom from Prometheus', () => {
  let prometheus: PrometheusServer | undefined
  afterAll(() => prometheus?.stop())

  it('reads CPU and memory percent queries and judges them', async () => {
    // Given 40 hours of 1-minute samples: CPU 30 %, memory 50 %, ending at the last full minute.
    const end = Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE
    const minutes = Array.from({length: 40 * 60}, (_, i) => end - (40 * 60 - 1 - i) * MINUTE)
    prometheus = await startPrometheus({
      host_cpu_pct: minutes.map((t) => [t, 30]),
      host_mem_pct: minutes.map((t) => [t, 50]),
    })
    const {code, stdout, stderr} = await runInProcess([
      'headroom',
      '--prometheus',
      prometheus.url,
      '--cpu-query',
      'host_cpu_pct',
      '--memory-query',
      'host_mem_pct',
      '--since',
      '2d',
      '--step',
      '1m',
      '--vcpus',
      '4',
      '--memory',
      '16',
      '--profile',
      'batch',
      '--json',
    ])
    expect(code, stderr).toBe(0)
    const result = JSON.parse(stdout) as {
      hours: number
      resources: Array<{resource: string; judged: number}>
      headroomFactor: number
    }
    expect(result.hours).toBeCloseTo(40, 0)
    expect(result.resources.map((r) => [r.resource, r.judged])).toEqual([
      ['cpu', 30],
      ['memory', 50],
    ])
    // By hand: CPU 30/min(80, knee(4) = 75) = 0.4, memory 50/80 = 0.625 → H = 1.6, memory binds.
    expect(result.headroomFactor).toBeCloseTo(1.6, 6)
  }, 60_000)
})
